"""The Gradio API, through gradio_client, against a launched server."""

import concurrent.futures

import pytest

from .ui_server import serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def url(extractive_engine):
    with serve(extractive_engine) as url:
        yield url


def client(url: str):
    from gradio_client import Client

    return Client(url, analytics_enabled=False, verbose=False)


def test_ask_endpoint_returns_the_cli_object(url) -> None:
    result = client(url).predict(question="What did NATO say about North Korea in 2017?", api_name="/ask")
    assert {"question", "status", "answer", "citations", "timings_ms"} <= result.keys()
    assert result["status"] == "answered"
    assert all(c["date"].startswith("2017") for c in result["citations"])


def test_stream_endpoint_ends_with_the_answer(url) -> None:
    job = client(url).submit(question="What did NATO say about Taiwan?", api_name="/ask_stream")
    outputs = list(job)
    assert outputs and outputs[-1]["status"] == "answered" and "Taiwan" in outputs[-1]["answer"]


def test_several_users_at_once_each_get_their_own_answer(url) -> None:
    questions = [
        "What did NATO say about North Korea in 2017?",
        "What did NATO say about Taiwan?",
        "What did NATO say about Brazil?",
        "Which cyber defence exercise did Japanese experts train in?",
        "What did NATO say about North Korea in 2013?",
        "What share of GDP does Japan plan to invest in defence?",
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda q: client(url).predict(question=q, api_name="/ask"), questions))
    assert [r["question"] for r in results] == questions
    assert [r["status"] for r in results] == ["answered", "answered", "not_found", "answered", "answered", "answered"]


def test_bad_input_through_the_api(url) -> None:
    result = client(url).predict(question="", api_name="/ask")
    assert result["status"] == "error" and "empty" in result["error"]
