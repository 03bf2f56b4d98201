"""The OpenAI-compatible backend against a real server: llama.cpp's, started in this process by
xllamacpp, as a user would run one beside the app."""

import socket

import pytest

from qa.config import Settings
from qa.generators import GenerationError, OpenAIGenerator
from qa.models import assemble_gguf, model_spec


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(assemble_gguf(model_spec("qwen2.5-0.5b"), Settings().models_dir))
    params.offline = True
    params.n_ctx = 2048
    params.n_parallel = 1
    params.verbosity = -1
    params.ui = False
    srv = xllamacpp.Server(params)  # loads the model and listens on 127.0.0.1, a free port
    yield f"{srv.listening_address}/v1"
    del srv  # stops the server


@pytest.mark.slow
def test_streams_from_a_real_server(server) -> None:
    generator = OpenAIGenerator(server)
    pieces = list(generator.stream("Reply with one short sentence.", "Say hello to NATO.", 20))
    assert len(pieces) > 1 and "".join(pieces).strip()


@pytest.mark.slow
def test_engine_answers_through_the_server(server, seeds_index, embedder) -> None:
    from dataclasses import replace

    from qa.engine import Engine

    settings = replace(Settings(), index_dir=seeds_index, auto_index=False, generator="openai", openai_url=server)
    engine = Engine(settings, embedder=embedder)
    answer = engine.ask("Which cyber defence exercise did Japanese experts train in?")
    assert answer.status == "answered" and "Cyber Coalition" in answer.text
    for c in answer.citations:
        assert engine.index.documents[c.quote.ref.doc_id].text[c.quote.ref.start : c.quote.ref.end] == c.quote.text


@pytest.mark.slow
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
