"""Language-model backends behind one small Protocol: ``stream(system, user)`` yields text.

- ``TransformersGenerator``: a prepared checkpoint run by transformers on CPU.
- ``LlamaCppGenerator``: the GGUF run by llama.cpp in this process (the ``xllamacpp`` wheel),
  streamed through the OpenAI-compatible endpoint llama.cpp opens on 127.0.0.1.
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
import os
import queue
import re
import secrets
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


def sentences_end(text: str, limit: int) -> int | None:
    """Where the ``limit``-th whole sentence of ``text`` ends (its citation markers and one space
    included), or None while there are fewer.

    A sentence counts as whole once the space after it has come, so "No. 5" mid-stream is not
    taken for an end before the model has moved on.

    Example:
        >>> sentences_end("It met [1]. It agreed [2]. And", 2)
        27
        >>> sentences_end("It met [1]. It agreed", 2) is None
        True
    """
    for n, match in enumerate(_SENTENCE_END.finditer(text), start=1):
        if n == limit:
            return match.end()
    return None


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
        return sentences_end(text, self.limit) is not None


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


class OpenAIGenerator:
    """Any server speaking the OpenAI chat-completions protocol, streamed over SSE."""

    def __init__(self, base_url: str, model: str = "local", timeout: float = 120.0, api_key: str = "") -> None:
        if not base_url:
            raise QAError("generator 'openai' needs a server URL: set QA_OPENAI_URL, e.g. http://127.0.0.1:8080/v1")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.name = f"openai:{self.base_url}"
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}

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
                client.stream("POST", f"{self.base_url}/chat/completions", json=body, headers=self._headers) as response,
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


def _usable_cpus() -> int:
    """The CPUs this process may run on, where the OS says (else all of them)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class LlamaCppGenerator:
    """The GGUF through llama.cpp in this process (the ``xllamacpp`` wheel: no compiling), greedy.

    ``xllamacpp.Server`` loads the model and opens llama.cpp's OpenAI-compatible endpoint on
    127.0.0.1; answers stream through it with ``OpenAIGenerator``. Its in-process call
    (``handle_chat_completions``) cannot be stopped from its callback, whereas closing the HTTP
    stream cancels the generation in llama.cpp: a reader who leaves frees the model within a
    token. The endpoint takes only a key made at load (other local users cannot borrow the
    model) and serves no web UI. Generation is serialised here, as for the other local models,
    and stops after ``max_sentences`` whole sentences, as the transformers path does.
    """

    def __init__(self, gguf: Path, threads: int | None = None, context: int = 2048, max_sentences: int = 2) -> None:
        self.gguf = gguf
        self.threads = threads
        self.context = context
        self.max_sentences = max_sentences
        self.name = f"llama-cpp:{gguf.parent.name}"
        self._server: object | None = None
        self._client: OpenAIGenerator | None = None
        self._load_lock = threading.Lock()
        self._run_lock = FairLock()

    def load(self) -> None:
        """Load the model and open its endpoint now (about a second for Qwen 0.5B).

        Raises:
            ModelUnavailableError: if xllamacpp is missing or llama.cpp cannot load the file.
        """
        with self._load_lock:
            if self._client is not None:
                return
            try:
                import xllamacpp
            except ImportError as error:
                raise ModelUnavailableError("xllamacpp is not installed: run `bash scripts/setup.sh`") from error
            if not self.gguf.is_file():
                raise ModelUnavailableError(f"no model file {self.gguf}: run `.venv/bin/python -m qa prepare`")
            # llama.cpp's threads wait for one another at every step: when anything else (another
            # process, this app's own retrieval) takes a core from one of them, decoding collapses.
            # Measured on 2 busy cores: 2 threads 1.4-3 tokens/s, 1 thread 34-44. One core stays free.
            threads = self.threads or max(1, _usable_cpus() - 1)
            params = xllamacpp.CommonParams()
            params.model.path = str(self.gguf)
            params.offline = True  # never fetch a model from a hub
            params.n_ctx = self.context
            params.n_parallel = 1  # one generation at a time (the lock below keeps their order)
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            params.verbosity = -1
            params.ui = False
            params.endpoint_slots = False
            # llama.cpp keeps earlier prompts' states in RAM for reuse, 8 GiB by default: a
            # long-running app must not grow that far. The live slot still reuses the common
            # prefix (the system prompt) of consecutive questions.
            params.cache_ram_mib = 256
            key = secrets.token_urlsafe(24)
            params.api_keys = [key]
            try:
                server = xllamacpp.Server(params)
            except RuntimeError as error:
                raise ModelUnavailableError(f"llama.cpp could not load {self.gguf} ({error}); run `.venv/bin/python -m qa prepare`") from error
            log.info("llama.cpp serves %s at %s", self.gguf.name, server.listening_address)
            self._server = server  # the endpoint lives as long as this object
            self._client = OpenAIGenerator(f"{server.listening_address}/v1", api_key=key)

    def stream(self, system: str, user: str, max_new_tokens: int) -> Iterator[str]:
        self.load()
        client = self._client

        def work(emit: Callable[[str], None], cancelled: threading.Event) -> None:
            text = ""
            # Leaving this block closes the HTTP stream, which stops llama.cpp at once.
            with contextlib.closing(client.stream(system, user, max_new_tokens)) as pieces:
                for piece in pieces:
                    if cancelled.is_set():
                        return
                    end = sentences_end(text + piece, self.max_sentences)
                    if end is not None:
                        emit(piece[: end - len(text)])
                        return
                    text += piece
                    emit(piece)

        yield from exclusive_stream(self._run_lock, work, self.name)


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
    if kind in ("llama-cpp", "xllamacpp"):
        from qa.models import assemble_gguf

        return LlamaCppGenerator(assemble_gguf(model_spec(model), models_dir), threads)
    if kind == "openai":
        return OpenAIGenerator(openai_url, openai_model)
    raise QAError(f"unknown generator {kind!r}; choose transformers, llama-cpp (or xllamacpp), openai or extractive")
