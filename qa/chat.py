"""The browser chat's handlers, apart from Gradio: plain functions over an Engine.

They take and return plain data (message dicts, HTML strings), so tests can call them in
process. No state is kept here: a conversation lives in its own browser session's messages,
and the engine they share is read-only.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from embeddings.errors import QAError
from qa.answer import Answer
from qa.constraints import Constraints, Period
from qa.engine import Engine, Turn, check_question
from qa.evidence import human_date
from qa.render import EMPTY_PANEL, answer_html, draft_html, parse_ref, source_html
from qa.retrieve import source_ref

Message = dict[str, object]


@dataclass(frozen=True)
class Filters:
    """What the user restricted the search to in the UI."""

    year_from: int | None = None
    year_to: int | None = None
    doc_ids: tuple[str, ...] = ()

    def constraints(self, first_year: int | None, last_year: int | None) -> Constraints | None:
        """As retrieval constraints; a year range equal to the whole corpus restricts nothing."""
        period = None
        lo = self.year_from or first_year
        hi = self.year_to or last_year
        if lo and hi and (lo, hi) != (first_year, last_year):
            lo, hi = min(lo, hi), max(lo, hi)
            period = Period(date(lo, 1, 1), date(hi, 12, 31), f"{lo}–{hi}" if lo != hi else str(lo))
        if period is None and not self.doc_ids:
            return None
        return Constraints(period=period, doc_ids=self.doc_ids)


def _constraints(engine: Engine, filters: Filters) -> Constraints | None:
    """The UI filters as constraints, relative to the years the corpus spans."""
    dates = engine.facts.dates
    return filters.constraints(dates[0].year if dates else None, dates[-1].year if dates else None)


def message_text(content: object) -> str:
    """The text of a chat message's content: a string, or Gradio's list of text blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, list):
        return " ".join(message_text(part) for part in content)
    return ""


def turns(history: Sequence[Message]) -> list[Turn]:
    """Earlier questions of a conversation, for reading follow-ups."""
    return [Turn(html.unescape(message_text(m.get("content")))) for m in history if m.get("role") == "user"]


def respond(engine: Engine, message: str, history: Sequence[Message], filters: Filters) -> Iterator[list[Message]]:
    """Stream the conversation with the answer to ``message`` appended.

    An empty message yields nothing; a bad one (too long) is answered with what to change.
    """
    if not isinstance(message, str) or not message.strip():
        return
    history = list(history)
    # Escaped, so HTML in a question is shown as the characters typed, never rendered.
    user = {"role": "user", "content": html.escape(message.strip())}
    try:
        check_question(message, engine.settings.max_question_chars)
    except QAError as error:
        yield [
            *history,
            user,
            {"role": "assistant", "content": f'<div class="qa-notfound"><strong>Not asked.</strong> {html.escape(str(error))}</div>'},
        ]
        return
    draft = ""
    yield [*history, user, {"role": "assistant", "content": draft_html("…")}]
    for event in engine.ask_stream(message, turns(history), _constraints(engine, filters)):
        if isinstance(event, Answer):
            yield [*history, user, {"role": "assistant", "content": answer_html(event)}]
        else:
            draft += event
            yield [*history, user, {"role": "assistant", "content": draft_html(draft)}]


def show_source(engine: Engine, value: str) -> str:
    """The source panel for a clicked citation (its link's ``data-ref``)."""
    parsed = parse_ref(value or "")
    if parsed is None:
        return EMPTY_PANEL
    doc_id, start, end, repeats = parsed
    doc = engine.index.documents.get(doc_id)
    if doc is None or not (0 <= start < end <= len(doc.text)):
        return '<div class="qa-panel qa-empty">That document is no longer in the index. Ask the question again.</div>'
    also = [source_ref(engine.index.documents[d], a, b) for d, a, b in repeats if d in engine.index.documents]
    return source_html(doc, start, end, also)


def corpus_rows(engine: Engine) -> list[list[str]]:
    """One row per document, newest first: date, title, speaker, type, source file."""
    docs = sorted(engine.index.documents.values(), key=lambda d: d.date.first if d.date else date.min, reverse=True)
    return [[human_date(d.date), d.title, d.speaker, d.doc_type, d.source] for d in docs]


def document_choices(engine: Engine) -> list[tuple[str, str]]:
    """(label, doc_id) pairs for the document filter, newest first."""
    docs = sorted(engine.index.documents.values(), key=lambda d: d.date.first if d.date else date.min, reverse=True)
    return [(f"{d.date.iso if d.date else 'undated'} · {d.title[:80]}", d.doc_id) for d in docs]


def api_answer(engine: Engine, question: str, history: Sequence[str], filters: Filters) -> dict[str, object]:
    """The `ask` API endpoint: the same JSON object as ``python -m qa ask --json``."""
    try:
        answer = engine.ask(question, [Turn(q) for q in history], _constraints(engine, filters))
    except QAError as error:
        return {"question": question, "status": "error", "error": str(error)}
    return answer.to_json()


def api_stream(engine: Engine, question: str, history: Sequence[str], filters: Filters) -> Iterator[dict[str, object]]:
    """The streaming endpoint: {"partial": text so far} while composing, then the final object."""
    draft = ""
    try:
        for event in engine.ask_stream(question, [Turn(q) for q in history], _constraints(engine, filters)):
            if isinstance(event, Answer):
                yield event.to_json()
            else:
                draft += event
                yield {"question": question, "status": "composing", "partial": draft}
    except QAError as error:
        yield {"question": question, "status": "error", "error": str(error)}
