"""The local models' streams: the model is freed when a reader goes away (real models)."""

import os
import threading
import time

import pytest

from qa.config import Settings
from qa.generators import FairLock, LlamaCppGenerator, TransformersGenerator, sentences_end
from qa.models import assemble_gguf, checkpoint_dir, model_spec, quantized_path

SYSTEM = "You are a helpful assistant."
LONG = "Count from 1 to 300, with one number on each line."  # some 600 tokens, 10-15 s here


def local_generator(kind: str, max_sentences: int) -> TransformersGenerator | LlamaCppGenerator:
    settings = Settings()
    spec = model_spec(settings.model)
    if kind == "llama-cpp":
        return LlamaCppGenerator(assemble_gguf(spec, settings.models_dir), max_sentences=max_sentences)
    return TransformersGenerator(
        checkpoint_dir(spec, settings.models_dir), max_sentences=max_sentences, quantized=quantized_path(spec, settings.models_dir)
    )


@pytest.fixture(scope="module", params=["transformers", "llama-cpp"])
def storyteller(request) -> TransformersGenerator | LlamaCppGenerator:
    """A local model, allowed to write on for hundreds of tokens."""
    generator = local_generator(request.param, max_sentences=1000)
    generator.load()
    return generator


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def first_piece_in_thread(generator: TransformersGenerator | LlamaCppGenerator, max_new_tokens: int) -> tuple[threading.Thread, list[float]]:
    seen: list[float] = []

    def read() -> None:
        started = time.perf_counter()
        pieces = generator.stream(SYSTEM, "Say hello.", max_new_tokens)
        next(pieces)
        seen.append(time.perf_counter() - started)
        pieces.close()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, seen


@pytest.mark.slow
def test_closing_a_stream_stops_generation_and_frees_the_model(storyteller) -> None:
    before = set(threading.enumerate())
    pieces = storyteller.stream(SYSTEM, LONG, 600)
    assert next(pieces).strip()
    started = [t for t in threading.enumerate() if t not in before]
    pieces.close()  # the reader goes away after one piece
    deadline = time.monotonic() + 3
    for thread in started:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not [t.name for t in started if t.is_alive()], "the model is still writing for a reader that left"
    # llama.cpp generates in its own native threads: the process must fall quiet too.
    before_cpu = cpu_seconds()
    time.sleep(1.0)
    assert cpu_seconds() - before_cpu < 0.5, "the model is still computing for a reader that left"
    reader, seen = first_piece_in_thread(storyteller, 8)
    reader.join(timeout=30)
    assert seen and seen[0] < 30


@pytest.mark.slow
def test_a_reader_that_stops_reading_does_not_hold_the_model(storyteller) -> None:
    abandoned = storyteller.stream(SYSTEM, LONG, 120)
    assert next(abandoned).strip()
    # The reader neither reads on nor closes; the next request still gets the model once the
    # abandoned generation has run its course (at most 120 tokens).
    reader, seen = first_piece_in_thread(storyteller, 8)
    reader.join(timeout=60)
    abandoned.close()
    reader.join(timeout=60)
    assert seen and seen[0] < 60, "the next request waited for a reader that stopped reading"


def test_the_model_lock_is_granted_in_order() -> None:
    lock = FairLock()
    order: list[int] = []
    lock.__enter__()
    threads = []
    for n in range(6):
        thread = threading.Thread(target=lambda n=n: (lock.__enter__(), order.append(n), lock.__exit__()))
        thread.start()
        threads.append(thread)
        time.sleep(0.05)  # each asks after the one before
    lock.__exit__()
    for thread in threads:
        thread.join(timeout=5)
    assert order == list(range(6))


def test_a_reply_ends_after_whole_sentences() -> None:
    assert sentences_end("NATO met Japan [1]. They agreed on cyber [2]. Then", 2) == len("NATO met Japan [1]. They agreed on cyber [2]. ")
    assert sentences_end("NATO met Japan [1]. They agreed", 2) is None
    assert sentences_end("It cost $1.5 billion. ", 1) == len("It cost $1.5 billion. ")  # "1.5" is no end
    assert sentences_end("Who? Japan! ", 2) == len("Who? Japan! ")


@pytest.mark.slow
def test_llama_cpp_stops_after_two_sentences() -> None:
    generator = local_generator("llama-cpp", max_sentences=2)
    reply = "".join(generator.stream(SYSTEM, "Write five sentences about the sea, each on its own line.", 200))
    assert sentences_end(reply, 2) is not None and sentences_end(reply, 3) is None, reply


@pytest.mark.slow
def test_llama_cpp_endpoint_serves_only_this_process() -> None:
    import httpx

    generator = local_generator("llama-cpp", max_sentences=2)
    generator.load()
    url = generator._client.base_url
    assert url.startswith("http://127.0.0.1:")
    body = {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 4}
    assert httpx.post(f"{url}/chat/completions", json=body, trust_env=False, timeout=30).status_code == 401
