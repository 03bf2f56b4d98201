"""The browser chat's handlers, apart from Gradio: plain functions over an Engine.

They take and return plain data (message dicts, HTML strings), so tests can call them in
process. No state is kept here: a conversation lives in its own browser session's messages,
and the engine they share is read-only.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from embeddings.errors import QAError
from embeddings.manifest import corpus_fingerprint
from qa.answer import Answer, Sources
from qa.checks import QuestionError, Turn, check_question
from qa.config import Settings
from qa.constraints import Constraints, Period
from qa.engine import Engine
from qa.evidence import human_date
from qa.quotes import SourceRef, source_ref
from qa.render import (
    EMPTY_PANEL,
    WordsOf,
    answer_html,
    changed_html,
    click_count,
    draft_html,
    fingerprint,
    gone_html,
    parse_ref,
    source_html,
    user_html,
    user_text,
)

log = logging.getLogger(__name__)

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
    return filters.constraints(*year_bounds(engine))


def message_text(content: object) -> str:
    """The text of a chat message's content: a string, or Gradio's list of text blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, list):
        return " ".join(message_text(part) for part in content)
    return ""


def turns(history: Sequence[Message], max_chars: int) -> list[Turn]:
    """Earlier questions of a conversation that were asked, for reading follow-ups.

    A message that was refused (too long, not valid text) is not read back as a question.
    """
    asked = []
    for m in history:
        if isinstance(m, dict) and m.get("role") == "user":
            text = user_text(message_text(m.get("content")))
            try:
                asked.append(Turn(check_question(text, max_chars)))
            except QuestionError:
                continue
    return asked


def _not_asked(error: Exception) -> Message:
    text = str(error).strip()
    # Errors are phrases for the API ("the question is ..."); here they stand as a sentence.
    sentence = text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
    return {"role": "assistant", "content": f'<div class="qa-notfound"><strong>Not asked.</strong> {html.escape(sentence)}</div>'}


def words_of(engine: Engine) -> WordsOf:
    """The words a reference stands for in the engine's current index (None: document gone)."""
    documents = engine.index.documents

    def words(ref: SourceRef) -> str | None:
        doc = documents.get(ref.doc_id)
        return doc.text[ref.start : ref.end] if doc is not None and 0 <= ref.start < ref.end <= len(doc.text) else None

    return words


def respond(engine: Engine, message: str, history: Sequence[Message], filters: Filters) -> Iterator[list[Message]]:
    """Stream the conversation with the answer to ``message`` appended.

    An empty message yields nothing; a bad one (too long) is answered with what to change. The
    quotes an answer draws on are shown as soon as they are found, then the model's draft under
    them, then the verified answer.
    """
    if not isinstance(message, str) or not message.strip():
        return
    history = list(history or [])
    # Shown as the characters typed: the chat renders no markdown and user_html escapes HTML.
    user = {"role": "user", "content": user_html(echo(message.strip(), engine.settings.max_question_chars))}
    try:
        check_question(message, engine.settings.max_question_chars)
    except QuestionError as error:
        yield [*history, user, _not_asked(error)]
        return
    draft = ""
    quotes: tuple = ()
    words = words_of(engine)
    yield [*history, user, {"role": "assistant", "content": draft_html("…", words)}]
    try:
        for event in engine.ask_stream(message, turns(history, engine.settings.max_question_chars), _constraints(engine, filters)):
            if isinstance(event, Answer):
                # Read again: the engine may have loaded a new index to answer.
                yield [*history, user, {"role": "assistant", "content": answer_html(event, words_of(engine))}]
            elif isinstance(event, Sources):
                quotes = event.quotes
                yield [*history, user, {"role": "assistant", "content": draft_html("…", words, quotes)}]
            else:
                draft += event
                yield [*history, user, {"role": "assistant", "content": draft_html(draft, words, quotes)}]
    except QAError as error:
        yield [*history, user, _not_asked(error)]
    except Exception:
        log.exception("failed to answer %r", echo(message))
        yield [*history, user, _not_asked(RuntimeError(FAILED))]


#: Under the question box while an answer is being composed (the page's script finds it by its class).
BUSY = (
    '<span class="qa-busy">Answering… You can type your next question now: '
    "press Enter and it is asked as soon as this answer is done.</span>"
)


@dataclass(frozen=True)
class Update:
    """One step of the chat page's reply to a submitted question."""

    messages: list[Message]
    # What the question box should hold now; None leaves it as the user has it (typing the
    # next question, or the refused one to edit).
    box: str | None
    # The line under the box; None leaves it as it is (the page may have added to it).
    notice: str | None


def submit(engine: Engine, message: str, history: Sequence[Message], filters: Filters) -> Iterator[Update]:
    """``respond`` as the page shows it: the box is emptied at once when the question is
    accepted, and kept as typed when it is refused; the note under it says an answer is being
    composed until it is done.
    """
    try:
        check_question(message, engine.settings.max_question_chars)
    except QuestionError:
        # Empty (nothing to show: the page hints) or refused: what the user typed stays.
        yield from (Update(messages, None, "") for messages in respond(engine, message, history, filters))
        return
    last = None
    for n, last in enumerate(respond(engine, message, history, filters)):
        yield Update(last, "", BUSY) if n == 0 else Update(last, None, None)
    if last is not None:
        yield Update(last, None, "")


def show_source(engine: Engine, value: str) -> str:
    """The source panel for a clicked citation (its link's value, and the page's click count).

    The words at the link's offsets must be the words it quoted (its fingerprint): a document
    edited since the answer is said to have changed rather than shown with other words marked.
    """
    cite = parse_ref(value or "")
    if cite is None:
        return EMPTY_PANEL
    click = click_count(value)
    documents = engine.index.documents
    doc = documents.get(cite.doc_id)
    if doc is None or not (0 <= cite.start < cite.end <= len(doc.text)):
        return gone_html(click)
    if cite.fingerprint is not None and fingerprint(doc.text[cite.start : cite.end]) != cite.fingerprint:
        return changed_html(doc, click)
    also = []
    for a in cite.also:
        other = documents.get(a.doc_id)
        if other is None or not (0 <= a.start < a.end <= len(other.text)):
            continue
        words = other.text[a.start : a.end]
        # A repeat is listed only where its words still stand (or, from an older page, where
        # they cannot be checked, as the panel then says of the quote itself).
        if a.fingerprint is None or fingerprint(words) == a.fingerprint:
            also.append((source_ref(other, a.start, a.end), words))
    return source_html(doc, cite.start, cite.end, also, checked=cite.fingerprint is not None, click=click)


def corpus_rows(engine: Engine) -> list[list[str]]:
    """One row per document, newest first: date, title, speaker, type, source file."""
    docs = sorted(engine.index.documents.values(), key=lambda d: d.date.first if d.date else date.min, reverse=True)
    return [[human_date(d.date), d.title, d.speaker, d.doc_type, d.source] for d in docs]


def document_choices(engine: Engine) -> list[tuple[str, str]]:
    """(label, doc_id) pairs for the document filter, newest first."""
    docs = sorted(engine.index.documents.values(), key=lambda d: d.date.first if d.date else date.min, reverse=True)
    return [(f"{d.date.iso if d.date else 'undated'} · {d.title[:80]}", d.doc_id) for d in docs]


def years(engine: Engine) -> list[int]:
    """The years the current corpus's statements are dated in, for the year filters."""
    return sorted({d.year for d in engine.facts.dates})


def year_bounds(engine: Engine) -> tuple[int | None, int | None]:
    """The first and last year of the current corpus (None, None when nothing is dated)."""
    dates = engine.facts.dates
    return (dates[0].year, dates[-1].year) if dates else (None, None)


def header_markdown(engine: Engine) -> str:
    """The page's heading: what the current index holds."""
    facts = engine.facts
    return (
        f"### Ask the statements\nAnswers come only from the {facts.n_documents} documents indexed here ({facts.span()}); "
        "every claim cites the exact words it rests on. Click a citation to see them in their document."
    )


def filter_summary(engine: Engine, filters: Filters) -> str:
    """One line saying what the filters leave to search, or "" when they leave everything.

    Shown by the question box, so a filter set long ago is not forgotten when answers decline.
    """
    constraints = _constraints(engine, filters)
    if constraints is None:
        return ""
    parts = []
    if constraints.period:
        parts.append(f"statements dated {constraints.period.label} only")
    if constraints.doc_ids:
        n = len(constraints.doc_ids)
        parts.append(f"{n} chosen document{'s' if n != 1 else ''}")
    return "Searching " + " · ".join(parts)


#: The built-in collection's own questions, offered only over it.
BUILTIN_EXAMPLES = (
    "What did NATO say about North Korea in 2017?",
    "How did NATO's message on North Korea change between 2013 and 2023?",
    "What did Abe propose during the courtesy call?",
    "What did Stoltenberg say about China?",
    "What did NATO say about North Korea in 2015?",
)
BUILTIN_PLACEHOLDER = "Ask about the statements, e.g. What did NATO say about North Korea in 2017?"
PLACEHOLDER = "Ask a question about these documents"


def is_builtin(engine: Engine) -> bool:
    """Whether the engine's index holds the built-in collection (its files, wherever copied)."""
    builtin = Settings().corpus_dir
    return builtin.is_dir() and engine.index.manifest.corpus_fingerprint == corpus_fingerprint(builtin)


@dataclass(frozen=True)
class Suggestions:
    """What the page offers to ask: the box's placeholder and example questions."""

    placeholder: str
    examples: tuple[str, ...]


def suggestions(engine: Engine) -> Suggestions:
    """The built-in collection's examples over it; over any other folder, questions made from
    what its documents hold (its most frequent speaker and their latest year), which any
    folder's documents can answer.
    """
    if is_builtin(engine):
        return Suggestions(BUILTIN_PLACEHOLDER, BUILTIN_EXAMPLES)
    documents = list(engine.index.documents.values())
    counts = Counter(s for d in documents for s in set(d.speakers))
    examples = []
    if counts:
        speaker = min(counts, key=lambda s: (-counts[s], s))
        dated = [d.date.year for d in documents if speaker in d.speakers and d.date]
        examples.append(f"What did {speaker} say in {max(dated)}?" if dated else f"What did {speaker} say?")
    latest = [d.date.year for d in documents if d.date]
    if latest:
        examples.append(f"List the statements from {max(latest)}")
    return Suggestions(PLACEHOLDER, tuple(examples))


# ------------------------------------------------------------ the API

#: An error reply repeats at most this much of the question.
ECHO_CHARS = 200
#: Years a filter may name: those a calendar date can hold.
MIN_YEAR, MAX_YEAR = 1, 9999
#: What a client is told when answering failed in a way no input explains (the log has it all).
FAILED = "the server failed to answer this question; its log has the details"


def echo(question: object, limit: int = ECHO_CHARS) -> str:
    """The question as a reply repeats it: at most ``limit`` characters, always valid text.

    Example:
        >>> echo("x" * 300, 5), echo("a\\ud800b"), echo(42)
        ('xxxxx…', 'a?b', '')
    """
    text = question if isinstance(question, str) else ""
    if len(text) > limit:
        text = text[:limit] + "…"
    return text.encode("utf-8", "replace").decode("utf-8")


def _kind(value: object) -> str:
    """What a JSON value is, in the words of a JSON user."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def parse_year(value: object, name: str) -> int | None:
    """A year filter from the API: None, a whole number or its digits, within a calendar's years.

    Raises:
        QuestionError: naming the parameter and the value to change.
    """
    if value is None or value == "":
        return None
    year = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().lstrip("-").isdigit():
        year = int(value.strip())
    if year is None:
        shown = repr(echo(value, 20)) if isinstance(value, str) else _kind(value)
        raise QuestionError(f"{name} must be a year such as 2017, not {shown}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise QuestionError(f"{name} must be a year between {MIN_YEAR} and {MAX_YEAR}, such as 2017; got {year}")
    return year


def parse_history(value: object) -> tuple[Turn, ...]:
    """Earlier questions from the API: None or a list of strings (their limits: the engine's).

    Raises:
        QuestionError: naming the item to change.
    """
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise QuestionError(f"history must be a list of earlier questions (strings), not {_kind(value)}")
    for n, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise QuestionError(f"history item {n} must be an earlier question (a string), not {_kind(item)}")
    return tuple(Turn(item) for item in value)


def parse_doc_ids(value: object) -> tuple[str, ...]:
    """Document ids to search within: None (all) or a list of strings."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(d, str) for d in value):
        raise QuestionError(f"doc_ids must be a list of document ids (strings), not {_kind(value)}")
    return tuple(value)


def _request(question: object, history: object, year_from: object, year_to: object, doc_ids: object) -> tuple[str, tuple[Turn, ...], Filters]:
    """An API call's values, checked; the engine checks the question's and the history's text."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {_kind(question)}")
    filters = Filters(parse_year(year_from, "year_from"), parse_year(year_to, "year_to"), parse_doc_ids(doc_ids))
    return question, parse_history(history), filters


def _error(question: object, message: str) -> dict[str, object]:
    return {"question": echo(question), "status": "error", "error": message}


def api_answer(
    engine: Engine, question: object, history: object = None, year_from: object = None, year_to: object = None, doc_ids: object = None
) -> dict[str, object]:
    """The `ask` API endpoint: the same JSON object as ``python -m qa ask --json``.

    Bad values are answered ``{"question", "status": "error", "error": one line}``, never raised.
    """
    try:
        asked, turns_, filters = _request(question, history, year_from, year_to, doc_ids)
        answer = engine.ask(asked, turns_, _constraints(engine, filters))
    except QAError as error:
        return _error(question, str(error))
    except Exception:
        log.exception("failed to answer %r", echo(question))
        return _error(question, FAILED)
    return answer.to_json()


def api_stream(
    engine: Engine, question: object, history: object = None, year_from: object = None, year_to: object = None, doc_ids: object = None
) -> Iterator[dict[str, object]]:
    """The streaming endpoint: updates while composing, then the final object.

    Each update is ``{"question", "status": "composing", "partial": text so far, "quotes": [...]}``;
    the quotes (shaped like citations, numbered as the draft's [n]) come first, before the
    model writes. Errors end the stream with ``{"status": "error", "error": ...}``.
    """
    draft = ""
    quotes: list[dict[str, object]] = []
    try:
        asked, turns_, filters = _request(question, history, year_from, year_to, doc_ids)
        for event in engine.ask_stream(asked, turns_, _constraints(engine, filters)):
            if isinstance(event, Answer):
                yield event.to_json()
                continue
            if isinstance(event, Sources):
                quotes = event.to_json()
            else:
                draft += event
            yield {"question": asked, "status": "composing", "partial": draft, "quotes": quotes}
    except QAError as error:
        yield _error(question, str(error))
    except Exception:
        log.exception("failed to answer %r", echo(question))
        yield _error(question, FAILED)
