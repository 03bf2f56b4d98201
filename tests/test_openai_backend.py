"""The OpenAI-compatible backend against a real server process: llama-cpp-python's own."""

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from qa.config import Settings
from qa.generators import GenerationError, OpenAIGenerator
from qa.models import assemble_gguf, model_spec

pytestmark = [pytest.mark.slow, pytest.mark.llama]
pytest.importorskip("llama_cpp.server", reason="the llama extra is not installed: pip install -e '.[llama]'")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    gguf = assemble_gguf(model_spec("qwen2.5-0.5b"), Settings().models_dir)
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    log = open(log_path, "w")  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/models", timeout=1, trust_env=False).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited: {log_path.read_text()[-2000:]}")
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start within 120 s")
    yield url
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_streams_from_a_real_server(server) -> None:
    generator = OpenAIGenerator(server)
    pieces = list(generator.stream("Reply with one short sentence.", "Say hello to NATO.", 20))
    assert len(pieces) > 1 and "".join(pieces).strip()


def test_engine_answers_through_the_server(server, seeds_index, embedder) -> None:
    from dataclasses import replace

    from qa.engine import Engine

    settings = replace(Settings(), index_dir=seeds_index, auto_index=False, generator="openai", openai_url=server)
    engine = Engine(settings, embedder=embedder)
    answer = engine.ask("Which cyber defence exercise did Japanese experts train in?")
    assert answer.status == "answered" and "Cyber Coalition" in answer.text
    for c in answer.citations:
        assert engine.index.documents[c.quote.ref.doc_id].text[c.quote.ref.start : c.quote.ref.end] == c.quote.text


def test_engine_falls_back_to_quotes_when_the_server_is_down(seeds_index, embedder) -> None:
    from dataclasses import replace

    from qa.engine import Engine

    dead = f"http://127.0.0.1:{free_port()}/v1"
    settings = replace(Settings(), index_dir=seeds_index, auto_index=False, generator="openai", openai_url=dead)
    answer = Engine(settings, embedder=embedder).ask("Which cyber defence exercise did Japanese experts train in?")
    assert answer.status == "answered" and answer.method == "extractive" and "Cyber Coalition" in answer.text


def test_a_server_that_is_down_is_a_clear_error() -> None:
    generator = OpenAIGenerator(f"http://127.0.0.1:{free_port()}/v1", timeout=2)
    with pytest.raises(GenerationError, match="cannot reach"):
        list(generator.stream("s", "u", 5))
