"""Language-model backends behind one small Protocol: ``stream(system, user)`` yields text.

- ``TransformersGenerator``: the default; a prepared checkpoint run by transformers on CPU.
- ``LlamaCppGenerator``: the GGUF run by llama-cpp-python (the optional ``llama`` extra).
- ``OpenAIGenerator``: any OpenAI-compatible server (vLLM, llama.cpp server, Ollama).

Each loads lazily and serialises generation with a lock: one CPU-bound generation at a time
is faster for everyone than several fighting over two cores. The lock is held by a worker
thread that runs the model, never by the reader of the stream: a slow or vanished reader does
not hold up other users, and closing a stream stops its generation within a token. Decoding
is greedy, so the same question gives the same answer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from embeddings.embedder import offline_environment
from embeddings.errors import ModelUnavailableError, QAError

log = logging.getLogger(__name__)


class GenerationError(QAError):
    """The generator failed while answering (server down, model crashed)."""


class Generator(Protocol):
    """Streams a completion of a system and a user message."""

    name: str

    def stream(self, system: str, user: str, max_new_tokens: int) -> Iterator[str]:
        """Yield pieces of the reply as they are produced."""
        ...


class FairLock:
    """A lock granted in the order it was asked for (``threading.Lock`` promises no order), so
    under load no request waits behind later ones.

    Example:
        >>> lock = FairLock()
        >>> with lock:
        ...     pass
    """

    def __init__(self) -> None:
        self._turns = threading.Condition(threading.Lock())
        self._issued = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._turns:
            ticket = self._issued
            self._issued += 1
            self._turns.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc: object) -> None:
        with self._turns:
            self._serving += 1
            self._turns.notify_all()


#: ``work(emit, cancelled)``: run the model, pass each piece of text to ``emit``, stop soon once
#: ``cancelled`` is set.
Work = Callable[[Callable[[str], None], threading.Event], None]
_END = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def exclusive_stream(lock: FairLock, work: Work, name: str) -> Iterator[str]:
    """Yield what ``work`` emits, running it in its own thread while that thread holds ``lock``.

    Control returns to the reader between pieces without the lock: pieces wait in a queue. When
    the reader closes the iterator (or drops it), ``cancelled`` is set, a waiting turn is given
    up and a running generation stops at its next token, freeing the model.

    Raises:
        GenerationError: if ``work`` fails.
    """
    pieces: queue.SimpleQueue[object] = queue.SimpleQueue()
    cancelled = threading.Event()

    def run() -> None:
        try:
            with lock:
                if not cancelled.is_set():
                    work(pieces.put, cancelled)
        except BaseException as error:  # handed to the reader below
            pieces.put(_Failure(error))
        finally:
            pieces.put(_END)

    threading.Thread(target=run, name=f"generate:{name}", daemon=True).start()
    try:
        while (item := pieces.get()) is not _END:
            if isinstance(item, _Failure):
                raise GenerationError(f"the local model failed: {item.error}") from item.error
            if item:
                yield item  # type: ignore[misc]
    finally:
        cancelled.set()


class Cancelled:
    """A transformers stopping criterion: stop once the reader has gone (its event is set)."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, input_ids: object, scores: object, **kwargs: object) -> bool:
        return self.event.is_set()


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?:\s*\[\d+\])*\s")


class SentenceLimit:
    """A transformers stopping criterion: stop once the reply holds ``limit`` whole sentences.

    The model is asked for two sentences but tends to go on copying quotes; every token it
    writes past the answer costs a user about a tenth of a second.
    """

    def __init__(self, tokenizer: object, prompt_length: int, limit: int) -> None:
        self.tokenizer = tokenizer
        self.prompt_length = prompt_length
        self.limit = limit

    def __call__(self, input_ids: object, scores: object, **kwargs: object) -> bool:
        text = self.tokenizer.decode(input_ids[0, self.prompt_length :], skip_special_tokens=True)
        return len(_SENTENCE_END.findall(text)) >= self.limit


class TransformersGenerator:
    """A causal LM checkpoint on CPU through transformers, bf16, greedy."""

    def __init__(self, checkpoint: Path, threads: int | None = None, max_sentences: int = 2, quantized: Path | None = None) -> None:
        self.checkpoint = checkpoint
        self.threads = threads
        self.max_sentences = max_sentences
        self.quantized = quantized
        variant = "int8" if quantized else "bf16"
        self.name = f"transformers:{checkpoint.parent.name}:{variant}"
        self._model = None
        self._tokenizer = None
        self._load_lock = threading.Lock()
        self._run_lock = FairLock()

    def load(self) -> None:
        """Load the model now (seconds, from a prepared checkpoint)."""
        with self._load_lock:
            if self._model is not None:
                return
            offline_environment()
            if not (self.checkpoint / "config.json").exists():
                raise ModelUnavailableError(f"no prepared model in {self.checkpoint}: run `.venv/bin/python -m qa prepare`")
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
            if self.threads:
                torch.set_num_threads(self.threads)
            self._tokenizer = AutoTokenizer.from_pretrained(str(self.checkpoint))
            if self.quantized is not None:
                if not self.quantized.exists():
                    raise ModelUnavailableError(f"no int8 model in {self.quantized}: run `.venv/bin/python -m qa prepare`")
                # Our own file, written by `qa prepare` on this machine (see qa.models).
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # torch.ao's deprecation notices, once per load
                    self._model = torch.load(self.quantized, weights_only=False)
            else:
                self._model = AutoModelForCausalLM.from_pretrained(str(self.checkpoint), dtype=torch.bfloat16)
            self._model.eval()

    def stream(self, system: str, user: str, max_new_tokens: int) -> Iterator[str]:
        self.load()
        from transformers import StoppingCriteriaList, TextStreamer

        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        inputs = self._tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        prompt_length = inputs["input_ids"].shape[1]

        class Emitter(TextStreamer):
            """Hands each finished piece of text to the reader's queue (TextStreamer prints it)."""

            def __init__(self, tokenizer: object, emit: Callable[[str], None]) -> None:
                super().__init__(tokenizer, skip_prompt=True, skip_special_tokens=True)
                self.emit = emit

            def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
                if text:
                    self.emit(text)

        def work(emit: Callable[[str], None], cancelled: threading.Event) -> None:
            stop = StoppingCriteriaList([SentenceLimit(self._tokenizer, prompt_length, self.max_sentences), Cancelled(cancelled)])
            self._model.generate(
                **inputs,
                streamer=Emitter(self._tokenizer, emit),
                max_new_tokens=max_new_tokens,
                do_sample=False,
                repetition_penalty=1.05,
                stopping_criteria=stop,
            )

        yield from exclusive_stream(self._run_lock, work, self.name)


class LlamaCppGenerator:
    """The GGUF file through llama-cpp-python (``pip install -e .[llama]``)."""

    def __init__(self, gguf: Path, threads: int | None = None, context: int = 2048) -> None:
        self.gguf = gguf
        self.threads = threads
        self.context = context
        self.name = f"llama-cpp:{gguf.parent.name}"
        self._llm = None
        self._load_lock = threading.Lock()
        self._run_lock = FairLock()

    def load(self) -> None:
        with self._load_lock:
            if self._llm is not None:
                return
            try:
                from llama_cpp import Llama
            except ImportError as error:
                raise ModelUnavailableError(
                    "llama-cpp-python is not installed: `.venv/bin/pip install -e '.[llama]'` (compiles ~9 min)"
                ) from error
            self._llm = Llama(model_path=str(self.gguf), n_ctx=self.context, n_threads=self.threads, verbose=False)

    def stream(self, system: str, user: str, max_new_tokens: int) -> Iterator[str]:
        self.load()
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]

        def work(emit: Callable[[str], None], cancelled: threading.Event) -> None:
            chunks = self._llm.create_chat_completion(messages, stream=True, temperature=0.0, max_tokens=max_new_tokens)
            with contextlib.closing(chunks):
                for chunk in chunks:
                    if cancelled.is_set():
                        break
                    piece = chunk["choices"][0].get("delta", {}).get("content")
                    if piece:
                        emit(piece)

        yield from exclusive_stream(self._run_lock, work, self.name)


class OpenAIGenerator:
    """Any server speaking the OpenAI chat-completions protocol, streamed over SSE."""

    def __init__(self, base_url: str, model: str = "local", timeout: float = 120.0) -> None:
        if not base_url:
            raise QAError("generator 'openai' needs a server URL: set QA_OPENAI_URL, e.g. http://127.0.0.1:8080/v1")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.name = f"openai:{self.base_url}"

    def stream(self, system: str, user: str, max_new_tokens: int) -> Iterator[str]:
        import httpx

        body = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "stream": True,
            "temperature": 0.0,
            "max_tokens": max_new_tokens,
        }
        try:
            with (
                httpx.Client(timeout=self.timeout, trust_env=False) as client,
                client.stream("POST", f"{self.base_url}/chat/completions", json=body) as response,
            ):
                if response.status_code != 200:
                    response.read()
                    raise GenerationError(f"the model server at {self.base_url} answered {response.status_code}: {response.text[:200]}")
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    choices = json.loads(data).get("choices") or [{}]
                    piece = (choices[0].get("delta") or {}).get("content")
                    if piece:
                        yield piece
        except httpx.HTTPError as error:
            raise GenerationError(f"cannot reach the model server at {self.base_url} ({error}); is it running?") from error


def make_generator(
    kind: str, model: str, models_dir: Path, threads: int | None, openai_url: str, openai_model: str, int8: bool = True
) -> Generator | None:
    """The configured generator, or None for purely extractive answers.

    Raises:
        QAError: for an unknown kind or a missing server URL.
    """
    from qa.models import checkpoint_dir, model_spec, quantized_path

    if kind == "extractive":
        return None
    if kind == "transformers":
        spec = model_spec(model)
        return TransformersGenerator(
            checkpoint_dir(spec, models_dir), threads, quantized=quantized_path(spec, models_dir) if int8 else None
        )
    if kind == "llama-cpp":
        from qa.models import assemble_gguf

        return LlamaCppGenerator(assemble_gguf(model_spec(model), models_dir), threads)
    if kind == "openai":
        return OpenAIGenerator(openai_url, openai_model)
    raise QAError(f"unknown generator {kind!r}; choose transformers, llama-cpp, openai or extractive")
