"""The chat handlers in process (no server, no browser), over the real seeds index."""

import pytest

from qa import chat
from qa.render import answer_html, parse_ref, refs_in

pytestmark = pytest.mark.slow


def last_bot(history: list[dict]) -> str:
    return history[-1]["content"]


def test_answer_streams_then_renders_citations(extractive_engine) -> None:
    steps = list(chat.respond(extractive_engine, "What did NATO say about North Korea in 2017?", [], chat.Filters()))
    assert len(steps) >= 2
    final = last_bot(steps[-1])
    refs = [parse_ref(v) for v in refs_in(final)]
    assert refs and all(r is not None for r in refs)
    for doc_id, start, end, _ in refs:
        assert doc_id.startswith("003") and end > start
    panel = chat.show_source(extractive_engine, refs_in(final)[0] + "\x1e123")
    assert '<mark class="qa-hl">' in panel and "31 October 2017" in panel and "Copy quote" in panel


def test_empty_and_huge_messages(extractive_engine) -> None:
    assert list(chat.respond(extractive_engine, "   ", [], chat.Filters())) == []
    (only,) = chat.respond(extractive_engine, "x" * 5000, [], chat.Filters())
    assert "2000" in last_bot(only) and "Not asked" in last_bot(only)


def test_not_found_looks_different(extractive_engine) -> None:
    final = list(chat.respond(extractive_engine, "What did NATO say about Brazil?", [], chat.Filters()))[-1]
    assert "qa-notfound" in last_bot(final) and "5 statements" in last_bot(final)


def test_html_in_a_question_is_text(extractive_engine) -> None:
    answer = extractive_engine.ask("<script>alert(1)</script> What did NATO say about Taiwan?")
    rendered = answer_html(answer)
    assert "<script>" not in rendered


def test_follow_up_through_chat_history(extractive_engine) -> None:
    first = list(chat.respond(extractive_engine, "What did NATO say about North Korea in 2017?", [], chat.Filters()))[-1]
    second = list(chat.respond(extractive_engine, "And in 2023?", first, chat.Filters()))[-1]
    refs = [parse_ref(v) for v in refs_in(last_bot(second))]
    assert refs and all(r[0].startswith("004") for r in refs)
    # The first answer's links are still in the history, and still open their source.
    old_ref = refs_in(last_bot(second[:2]))[0]
    assert "qa-hl" in chat.show_source(extractive_engine, old_ref)


def test_filters_narrow_the_search(extractive_engine) -> None:
    only_2023 = chat.Filters(2023, 2023)
    answer = chat.api_answer(extractive_engine, "What did NATO say about North Korea?", [], only_2023)
    assert answer["status"] == "answered" and all(c["date"].startswith("2023") for c in answer["citations"])
    docs = chat.Filters(doc_ids=("002_d8e5542438cedef0",))
    answer = chat.api_answer(extractive_engine, "What did NATO say about North Korea?", [], docs)
    assert {c["doc_id"] for c in answer["citations"]} == {"002_d8e5542438cedef0"}


def test_source_panel_rejects_bad_references(extractive_engine) -> None:
    assert "Click a citation" in chat.show_source(extractive_engine, "not json")
    assert "no longer" in chat.show_source(extractive_engine, '#cite=["nope",0,5,[]]')
    doc = next(iter(extractive_engine.index.documents))
    assert "no longer" in chat.show_source(extractive_engine, f'#cite=["{doc}",0,99999999,[]]')


def test_corpus_view_lists_every_document(extractive_engine) -> None:
    rows = chat.corpus_rows(extractive_engine)
    assert len(rows) == 5 and rows[0][0] == "31 January 2023"
