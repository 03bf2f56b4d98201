"""The chat handlers in process (no server, no browser), over the real seeds index."""

import json

import pytest

from qa import chat
from qa.checks import QuestionError, Turn, check_history
from qa.render import answer_html, draft_html, parse_ref, refs_in, user_html, user_text

pytestmark = pytest.mark.slow


def last_bot(history: list[dict]) -> str:
    return history[-1]["content"]


def test_answer_streams_then_renders_citations(extractive_engine) -> None:
    steps = list(chat.respond(extractive_engine, "What did NATO say about North Korea in 2017?", [], chat.Filters()))
    assert len(steps) >= 2
    final = last_bot(steps[-1])
    refs = [parse_ref(v) for v in refs_in(final)]
    assert refs and all(r is not None for r in refs)
    for ref in refs:
        assert ref.doc_id.startswith("003") and ref.end > ref.start and ref.fingerprint
    panel = chat.show_source(extractive_engine, refs_in(final)[0] + "\x1e123")
    assert '<mark class="qa-hl">' in panel and "31 October 2017" in panel and "Copy quote" in panel


def test_empty_and_huge_messages(extractive_engine) -> None:
    assert list(chat.respond(extractive_engine, "   ", [], chat.Filters())) == []
    (only,) = chat.respond(extractive_engine, "x" * 5000, [], chat.Filters())
    # The length pasted, the limit, and a sentence that starts as one.
    assert "<strong>Not asked.</strong> The question is 5,000 characters long; the limit is 2,000" in last_bot(only)


def test_not_found_looks_different(extractive_engine) -> None:
    final = list(chat.respond(extractive_engine, "What did NATO say about Brazil?", [], chat.Filters()))[-1]
    assert "qa-notfound" in last_bot(final) and "5 statements" in last_bot(final)


def test_html_in_a_question_is_text(extractive_engine) -> None:
    answer = extractive_engine.ask("<script>alert(1)</script> What did NATO say about Taiwan?")
    rendered = answer_html(answer, chat.words_of(extractive_engine))
    assert "<script>" not in rendered


def test_follow_up_through_chat_history(extractive_engine) -> None:
    first = list(chat.respond(extractive_engine, "What did NATO say about North Korea in 2017?", [], chat.Filters()))[-1]
    second = list(chat.respond(extractive_engine, "And in 2023?", first, chat.Filters()))[-1]
    refs = [parse_ref(v) for v in refs_in(last_bot(second))]
    assert refs and all(r.doc_id.startswith("004") for r in refs)
    # The first answer's links are still in the history, and still open their source.
    old_ref = refs_in(last_bot(second[:2]))[0]
    assert "qa-hl" in chat.show_source(extractive_engine, old_ref)


def test_filters_narrow_the_search(extractive_engine) -> None:
    answer = chat.api_answer(extractive_engine, "What did NATO say about North Korea?", [], 2023, "2023")
    assert answer["status"] == "answered" and all(c["date"].startswith("2023") for c in answer["citations"])
    answer = chat.api_answer(extractive_engine, "What did NATO say about North Korea?", doc_ids=["002_d8e5542438cedef0"])
    assert {c["doc_id"] for c in answer["citations"]} == {"002_d8e5542438cedef0"}
    final = list(chat.respond(extractive_engine, "What did NATO say about North Korea?", [], chat.Filters(2023, 2023)))[-1]
    assert all(parse_ref(v).doc_id.startswith("004") for v in refs_in(last_bot(final)))


def test_source_panel_rejects_bad_references(extractive_engine) -> None:
    assert "Click a citation" in chat.show_source(extractive_engine, "not json")
    assert "no longer" in chat.show_source(extractive_engine, '#cite=["nope",0,5,[]]')
    doc = next(iter(extractive_engine.index.documents))
    assert "no longer" in chat.show_source(extractive_engine, f'#cite=["{doc}",0,99999999,[]]')


def test_corpus_view_lists_every_document(extractive_engine) -> None:
    rows = chat.corpus_rows(extractive_engine)
    assert len(rows) == 5 and rows[0][0] == "31 January 2023"


QUESTION = "What did NATO say about North Korea in 2017?"


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"year_from": -1}, "year_from must be a year between 1 and 9999"),
        ({"year_from": 99999}, "year_from must be a year between 1 and 9999"),
        ({"year_to": "abc"}, "year_to must be a year such as 2017, not 'abc'"),
        ({"year_from": True}, "year_from must be a year such as 2017"),
        ({"history": [1, 2]}, "history item 1 must be an earlier question (a string), not a number"),
        ({"history": [QUESTION, {"question": "x"}]}, "history item 2 must be an earlier question (a string), not an object"),
        ({"history": "What about Taiwan?"}, "history must be a list of earlier questions"),
        ({"question": "What did NATO \ud800 say?"}, "invalid character at position 15 (U+D800, a lone surrogate)"),
        ({"history": ["And \udfff"]}, "earlier question 1 in the history holds an invalid character"),
        ({"question": 42}, "the question must be text, not a number"),
        ({"question": None}, "the question must be text, not null"),
    ],
)
def test_bad_api_values_get_one_line_each(extractive_engine, values, says) -> None:
    """Each bad value is named in a one-line reply with status "error", from both endpoints."""
    call = {"question": QUESTION, **values}
    for reply in (chat.api_answer(extractive_engine, **call), list(chat.api_stream(extractive_engine, **call))[-1]):
        assert reply["status"] == "error" and says in reply["error"], reply
        assert "\n" not in reply["error"]
        json.dumps(reply).encode("utf-8")  # what the server sends: valid text, no lone surrogate


def test_error_replies_do_not_echo_a_long_question(extractive_engine) -> None:
    question = "What did NATO say? " + "x" * 5000
    reply = chat.api_answer(extractive_engine, question)
    assert reply["status"] == "error" and "5,019 characters" in reply["error"]
    assert len(reply["question"]) <= chat.ECHO_CHARS + 1 and reply["question"].startswith("What did NATO say?")
    (only,) = chat.api_stream(extractive_engine, question, ["x" * 20_000])
    assert len(json.dumps(only)) < 600


def test_history_is_bounded(extractive_engine) -> None:
    max_chars = extractive_engine.settings.max_question_chars
    # One long earlier question is refused, in a line that says what to change ...
    reply = chat.api_answer(extractive_engine, "And in 2023?", ["x" * 20_000])
    assert reply["status"] == "error"
    assert reply["error"] == f"earlier question 1 in the history is 20000 characters long; keep each under {max_chars}"
    # ... as in the engine itself, whoever calls it (the CLI's --history too).
    with pytest.raises(QuestionError, match="earlier question 2 in the history"):
        extractive_engine.ask("And in 2023?", [Turn(QUESTION), Turn("y" * (max_chars + 1))])
    # Only the latest turns are read: a long question far back is dropped unread.
    turns = [Turn("z" * 50_000)] + [Turn(f"What did NATO say about Taiwan in {y}?") for y in range(2000, 2020)]
    kept = check_history(turns, extractive_engine.settings.max_history_turns, max_chars)
    assert [t.question for t in kept] == [t.question for t in turns[-extractive_engine.settings.max_history_turns :]]
    answer = chat.api_answer(extractive_engine, "And in 2023?", [t.question for t in turns] + [QUESTION])
    assert answer["status"] == "answered" and all(c["date"].startswith("2023") for c in answer["citations"])


def test_a_refused_chat_message_is_not_read_as_the_previous_question(extractive_engine) -> None:
    first = list(chat.respond(extractive_engine, QUESTION, [], chat.Filters()))[-1]
    (refused,) = chat.respond(extractive_engine, "North Korea " * 1000, first, chat.Filters())
    assert "Not asked" in last_bot(refused) and len(refused[-2]["content"]) < 2100
    follow = list(chat.respond(extractive_engine, "And in 2023?", refused, chat.Filters()))[-1]
    refs = [parse_ref(v) for v in refs_in(last_bot(follow))]
    assert refs and all(r.doc_id.startswith("004") for r in refs)


def test_user_text_is_shown_as_typed_and_read_back_exactly() -> None:
    for typed in ["![q](http://203.0.113.9/q.png) What did NATO say?", "<img src=x> & <b>\nline two", "a\\b &lt; [1](#cite=x)"]:
        shown = user_html(typed)
        assert "<" not in shown.replace("<br>", "") and user_text(shown) == typed


def test_a_draft_shows_its_quotes_before_the_model_writes(extractive_engine) -> None:
    quotes = extractive_engine.search(QUESTION).quotes[:2]
    words = chat.words_of(extractive_engine)
    rendered = draft_html("…", words, quotes)
    assert [parse_ref(v).doc_id for v in refs_in(rendered)] == [q.ref.doc_id for q in quotes]
    assert "composing" in rendered and 'class="qa-sources"' in rendered
    # The draft's [n] markers link to the quotes as numbered in the model's prompt.
    assert refs_in(draft_html("NATO condemned the tests [2].", words, quotes))[0] == refs_in(rendered)[1]


def test_sources_name_each_statement_once(extractive_engine) -> None:
    answer = extractive_engine.ask(QUESTION)
    docs = {c.quote.ref.doc_id for c in answer.citations}
    assert len(answer.citations) > len(docs)  # several points of one statement
    rendered = answer_html(answer, chat.words_of(extractive_engine))
    sources = rendered[rendered.index('class="qa-sources"') :]
    assert sources.count('class="qa-statement"') == len(docs)
    assert all(f"[{c.n}]" in sources for c in answer.citations)
    assert len(refs_in(sources)) >= len(answer.citations)


def test_a_source_naming_no_speaker_shows_none() -> None:
    from qa.answer import Answer, Citation
    from qa.quotes import Quote, SourceRef

    ref = SourceRef("w", "Water rates to rise", "2022-07-01", "", "document", "w.md", 0, 9)
    answer = Answer("q", "answered", "Rates rise. [1]", (Citation(1, Quote(ref, "Rates up.", 1.0, 0.5, 1.0, 1.0)),))
    page = answer_html(answer, lambda _ref: None)
    assert "Water rates to rise · 1 July 2022<" in page.replace("</span>", "<") and "· document" not in page
