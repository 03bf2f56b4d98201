"""The Gradio API, through gradio_client, against a launched server."""

import concurrent.futures
import json
import os
import threading
import time
from pathlib import Path

import httpx
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


def raw_call(url: str, api_name: str, body: bytes) -> list:
    """Call an endpoint with a JSON body as given (gradio_client cannot send a lone surrogate)."""
    posted = httpx.post(f"{url}gradio_api/call/{api_name}", content=body, headers={"content-type": "application/json"})
    posted.raise_for_status()
    with httpx.stream("GET", f"{url}gradio_api/call/{api_name}/{posted.json()['event_id']}", timeout=60) as events:
        lines = [line for line in events.iter_lines() if line.startswith("data:")]
    return [json.loads(line[5:]) for line in lines]


def test_bad_values_get_a_clear_line_not_a_null_error(url) -> None:
    c = client(url)
    for values, says in [
        ({"year_from": -1}, "year_from must be a year between 1 and 9999"),
        ({"year_from": 99999}, "year_from must be a year between 1 and 9999"),
        ({"year_from": "abc"}, "year_from must be a year such as 2017"),
        ({"history": [1, 2]}, "history item 1 must be an earlier question (a string), not a number"),
        ({"history": [{"q": 1}]}, "history item 1 must be an earlier question (a string), not an object"),
        ({"history": ["x" * 20_000]}, "earlier question 1 in the history is 20000 characters long"),
    ]:
        result = c.predict(question="What did NATO say about Taiwan?", api_name="/ask", **values)
        assert result["status"] == "error" and says in result["error"], result
    *_, last = c.submit(question="What did NATO say about Taiwan?", year_to="abc", api_name="/ask_stream")
    assert last["status"] == "error" and "year_to must be a year" in last["error"]
    for api_name in ("ask", "ask_stream"):
        *_, (reply,) = raw_call(url, api_name, b'{"data": ["What did NATO say \\ud800 about Taiwan?", null, null, null]}')
        assert reply["status"] == "error" and "lone surrogate" in reply["error"] and reply["question"] == "What did NATO say ? about Taiwan?"


def test_uploads_are_refused_and_temporary_files_stay_in_the_cache(url) -> None:
    from gradio.utils import get_upload_folder

    from qa.config import cache_root

    big = httpx.post(f"{url}gradio_api/upload", files={"files": ("big.bin", b"0" * 5_000_000)}, timeout=60)
    small = httpx.post(f"{url}gradio_api/upload", files={"files": ("small.txt", b"hello")})
    assert big.status_code in (404, 413) and small.status_code in (404, 413)
    assert Path(get_upload_folder()).resolve().is_relative_to(cache_root().resolve())
    assert Path(os.environ["GRADIO_TEMP_DIR"]).resolve().is_relative_to(cache_root().resolve())


@pytest.fixture(scope="module")
def model_url(seeds_index, embedder):
    """The local model (transformers), without the re-scorer: what is measured here is which work
    queues for the model. (The re-scorer serves one question at a time, ~0.3-0.8 s each on two
    busy cores, so with it the sixth of six simultaneous users sees quotes a few seconds later.)"""
    from dataclasses import replace

    from qa.config import Settings
    from qa.engine import Engine

    engine = Engine(replace(Settings(), index_dir=seeds_index, auto_index=False, rescorer="none", generator="transformers"), embedder=embedder)
    engine.warm_up()
    with serve(engine) as url:
        yield url


def test_only_the_model_queues_quotes_and_declines_come_at_once(model_url) -> None:
    """Answers waiting for the model do not hold up a decline on the same endpoint, nor anyone's quotes."""
    answerable = [
        "What did NATO say about North Korea in 2017?",
        "What did NATO say about Taiwan?",
        "Which cyber defence exercise did Japanese experts train in?",
        "What share of GDP does Japan plan to invest in defence?",
        "What did NATO say about North Korea in 2013?",
        "What did Abe propose during the courtesy call?",
    ]
    clients = [client(model_url) for _ in range(len(answerable) + 1)]
    started = time.perf_counter()
    first_quotes: dict[int, float] = {}
    finished: dict[int, float] = {}
    finals: dict[int, dict] = {}

    def read(n: int) -> None:
        for update in clients[n].submit(question=answerable[n], api_name="/ask_stream"):
            if update.get("quotes") and n not in first_quotes:
                assert update["partial"] == "" and n not in finished  # the quotes come before any text
                first_quotes[n] = time.perf_counter() - started
            finals[n] = update
        finished[n] = time.perf_counter() - started

    readers = [threading.Thread(target=read, args=(n,)) for n in range(len(answerable))]
    for reader in readers:
        reader.start()
    time.sleep(0.5)
    *_, decline = clients[-1].submit(question="What did NATO say about Brazil?", api_name="/ask_stream")
    declined = time.perf_counter() - started
    for reader in readers:
        reader.join(timeout=300)
    assert decline["status"] == "not_found"
    assert [finals[n]["status"] for n in range(len(answerable))] == ["answered"] * len(answerable)
    first_answer = min(finished.values())
    assert declined < first_answer, (declined, finished)
    assert len(first_quotes) == len(answerable) and max(first_quotes.values()) < first_answer, (first_quotes, finished)
