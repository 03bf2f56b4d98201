"""The local model's streams: the model is freed when a reader goes away (real model)."""

import threading
import time

import pytest

from qa.config import Settings
from qa.generators import FairLock, TransformersGenerator
from qa.models import checkpoint_dir, model_spec, quantized_path

SYSTEM = "You are a helpful assistant."
LONG = "Count from 1 to 300, with one number on each line."  # some 600 tokens, 10-15 s here


@pytest.fixture(scope="module")
def storyteller() -> TransformersGenerator:
    """The default model, allowed to write on for hundreds of tokens."""
    settings = Settings()
    spec = model_spec(settings.model)
    generator = TransformersGenerator(
        checkpoint_dir(spec, settings.models_dir), max_sentences=1000, quantized=quantized_path(spec, settings.models_dir)
    )
    generator.load()
    return generator


def first_piece_in_thread(generator: TransformersGenerator, max_new_tokens: int) -> tuple[threading.Thread, list[float]]:
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
