"""The chat page's own behaviour, in process: its wired handlers called as Gradio calls them,
over the real seeds index (no server, no browser; tests/test_browser.py drives the page)."""

from __future__ import annotations

import html
from urllib.parse import unquote

import gradio as gr
import pytest

from qa import chat
from qa.answer import Answer
from qa.extractive import extractive_answer
from qa.render import COPY_PREFIX, EMPTY_PANEL, answer_html, plain_text, refs_in

pytestmark = pytest.mark.slow

QUESTION = "What did NATO say about North Korea in 2017?"


@pytest.fixture(scope="module")
def demo(extractive_engine) -> gr.Blocks:
    import app

    return app.build(extractive_engine)


def by_id(demo: gr.Blocks, elem_id: str):
    return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id)


def handlers(demo: gr.Blocks, block, event: str) -> list:
    """The functions wired to ``event`` of ``block`` (the Blocks itself for "load")."""
    return [fn for fn in demo.fns.values() if (block._id, event) in [tuple(t) for t in fn.targets]]


def test_a_question_is_cleared_only_when_accepted(extractive_engine) -> None:
    updates = list(chat.submit(extractive_engine, QUESTION, [], chat.Filters()))
    assert updates[0].box == "" and "Answering" in updates[0].notice
    # The next question, being typed, is left alone, and so is the line under the box.
    assert all(u.box is None and u.notice is None for u in updates[1:-1])
    assert updates[-1].box is None and updates[-1].notice == "" and "qa-answer" in updates[-1].messages[-1]["content"]
    # A refused question stays in the box to be edited, and is told why.
    (refused,) = chat.submit(extractive_engine, "North Korea " * 500, [], chat.Filters())
    assert refused.box is None and refused.notice == ""
    assert "Not asked.</strong> The question is 6,000 characters long" in refused.messages[-1]["content"]
    assert list(chat.submit(extractive_engine, "  \n ", [], chat.Filters())) == []


def test_a_question_sent_while_one_is_answered_waits(demo) -> None:
    """Enter and Ask are one event that defers (not drops) a second question until the first is done."""
    box, ask = by_id(demo, "qa-question"), by_id(demo, "qa-ask")
    (answering,) = [fn for fn in handlers(demo, box, "submit") if fn.fn is not None]
    assert answering in handlers(demo, ask, "click")
    assert answering.trigger_mode == "always_last"
    # The box takes any paste whole: the browser would otherwise cut it short without a word.
    assert box.max_length is None
    # An empty box gets a hint in the page, read before the answer's first step empties the box.
    (hint,) = [fn for fn in handlers(demo, box, "submit") if fn.fn is None]
    assert "Type a question first" in hint.js and list(demo.fns.values()).index(hint) < list(demo.fns.values()).index(answering)


def test_copying_an_answer_gives_its_plain_text(extractive_engine, demo) -> None:
    answer = extractive_engine.ask(QUESTION)
    text = plain_text(answer)
    assert "<" not in text and "[1]" in text and "\nSources\n[1] “" in text
    assert all(" ".join(c.quote.text.split()) in text for c in answer.citations)
    rendered = answer_html(answer, chat.words_of(extractive_engine))
    href = html.unescape(rendered.split('class="qa-copy-answer" href="')[1].split('"')[0])
    assert unquote(href.removeprefix(COPY_PREFIX)) == text
    # The chat's own copy button, which copies the message's HTML, is gone.
    assert "copy" not in by_id(demo, "qa-chat").buttons


def test_the_built_in_collection_offers_its_own_examples(extractive_engine) -> None:
    offered = chat.suggestions(extractive_engine)
    assert chat.is_builtin(extractive_engine)
    assert "NATO" in offered.placeholder and offered.examples == chat.BUILTIN_EXAMPLES


def test_an_active_filter_is_said_by_the_question_box(extractive_engine, demo) -> None:
    assert chat.filter_summary(extractive_engine, chat.Filters()) == ""
    assert chat.filter_summary(extractive_engine, chat.Filters(2013, 2023)) == ""  # the whole corpus
    assert chat.filter_summary(extractive_engine, chat.Filters(2017, 2017, ("003_x",))) == "Searching statements dated 2017 only · 1 chosen document"
    year_from = by_id(demo, "qa-from")
    (view,) = handlers(demo, year_from, "change")
    row, line = view.fn(2017, 2017, [])
    assert row.visible is True and line == "Searching statements dated 2017 only"
    row, line = view.fn(2013, 2023, [])
    assert row.visible is False and line == ""
    (clear,) = handlers(demo, by_id(demo, "qa-clear-filters"), "click")
    assert clear.fn() == (2013, 2023, [])


def test_the_chat_trash_icon_clears_the_source_panel(demo) -> None:
    (cleared,) = handlers(demo, by_id(demo, "qa-chat"), "clear")
    assert by_id(demo, "qa-source") in cleared.outputs and cleared.fn()[0] == EMPTY_PANEL


def test_the_page_reads_the_corpus_on_each_load(extractive_engine, demo) -> None:
    (load,) = handlers(demo, demo, "load")
    header, year_from, year_to, docs, box, examples, rows = load.fn()
    assert "5 documents" in header and (year_from.value, year_to.value) == (2013, 2023)
    assert len(docs.choices) == 5 and len(rows) == 5
    assert "NATO" in box.placeholder and examples.visible is True
    (opened,) = handlers(demo, next(b for b in demo.blocks.values() if getattr(b, "label", None) == "Documents"), "select")
    assert len(opened.fn()) == 5


def test_the_same_citation_clicked_again_is_a_new_panel(extractive_engine) -> None:
    """The page counts clicks, so a second click on one citation changes the panel and scrolls."""
    final = list(chat.respond(extractive_engine, QUESTION, [], chat.Filters()))[-1]
    ref = refs_in(final[-1]["content"])[0]
    first, again = chat.show_source(extractive_engine, ref + "\x1e1"), chat.show_source(extractive_engine, ref + "\x1e2")
    assert first != again and first.replace('data-click="1"', 'data-click="2"') == again


def test_the_panel_and_the_sources_say_each_thing_once(extractive_engine) -> None:
    final = list(chat.respond(extractive_engine, QUESTION, [], chat.Filters()))[-1]
    panel = chat.show_source(extractive_engine, refs_in(final[-1]["content"])[0])
    assert "<h3>" in panel and "<th>Title</th>" not in panel
    # Quotes of one statement whose words also stand in another: "also in" it once. (The
    # search's own quotes: an answer may widen a quote past what the other statement repeats.)
    question = "What did Rasmussen say about Afghanistan?"
    quotes = [q for q in extractive_engine.search(question).quotes if q.also]
    text, citations = extractive_answer(quotes)
    answer = Answer(question, "answered", text, citations)
    repeated = {(c.quote.ref.doc_id, a.doc_id) for c in answer.citations for a in c.quote.also}
    assert repeated and sum(len(c.quote.also) for c in answer.citations) > len(repeated)
    rendered = answer_html(answer, chat.words_of(extractive_engine))
    assert rendered.count("also in ") == len(repeated)
