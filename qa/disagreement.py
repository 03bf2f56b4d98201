"""Find where the retrieved statements give different answers to one "when" or "how many". Pure.

The product cannot know which document is right, but it must not pick one silently: asked
"When was the Joint Political Declaration signed?", three statements of 15 April 2013 that
speak of the signing as that day's event and one note that says 12 December 2009 are two
sides, and the answer shows both, each with its quotes.

What a quote says about the asked fact is read from its sentences that carry most of the
question's subject words:
- a date question ("when", "what year", "which date") reads the dates those sentences state
  (a date after "not" is denied, not stated); a sentence that states none but speaks of the
  event as happening when the statement was made ("today", "this evening", "we have just
  signed") gives the statement's own date;
- a number question ("how many", "how much", "what share") reads the numbers they state.
Sentences that address the reader or the assistant ("you must state that ...") are orders,
not statements, and are not read. Two values disagree when they cannot mean the same thing:
dates whose spans do not overlap ("2013" and "15 April 2013" agree), numbers that differ.

What it does not do: compare names (which place, which person): quotes name many things
besides the answer, and telling which name answers needs a reading this module does not do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.layout import sentence_spans
from qa.answer_type import names_a_thing
from qa.instructions import addresses_assistant
from qa.quotes import Quote
from qa.values import DateMention, dates_in, iso_mention, numbers_in
from qa.words import keys

_ASKS_DATE = re.compile(r"\bwhen\b|\b(?:what|which)\s+(?:date|day|year|month)\b|\bhow long ago\b", re.IGNORECASE)
_ASKS_NUMBER = re.compile(
    r"\bhow\s+(?:many|much|long|often)\b|\b(?:what|which)\s+(?:number|percentage|per cent|share|amount|proportion|figure|sum)\b", re.IGNORECASE
)
# The statement speaks of the event as happening when it was made.
_SAME_DAY = re.compile(
    r"\b(?:today|tonight|this (?:morning|afternoon|evening)|that (?:morning|afternoon|evening|day)|(?:have|has|had|was|were) just)\b", re.IGNORECASE
)
_DENIED = re.compile(r"\b(?:not|never|no|nor|rather than|instead of)\b(?:\W+\w+){0,2}\W*$", re.IGNORECASE)
#: More sides than this is no disagreement about one fact: the quotes speak of different things.
MAX_SIDES = 3
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(frozen=True)
class Reading:
    """What one quote says about the asked fact."""

    quote: Quote
    value: str  # a date's label or a number
    span: DateMention | None  # the date's span (None for numbers)
    stated: bool  # written in the quote (True) or the statement's own date (False)

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents that say it: the quote's, and those repeating its words (on the same
        date, when the value is the statement's own date)."""
        ref = self.quote.ref
        return (ref.doc_id, *(a.doc_id for a in self.quote.also if self.stated or a.date == ref.date))


@dataclass(frozen=True)
class Side:
    """The quotes that give one answer."""

    value: str
    readings: tuple[Reading, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d for r in self.readings for d in r.documents))


def asked_fact(question: str) -> str | None:
    """'date' or 'number' when the question asks for one, else None."""
    if _ASKS_NUMBER.search(question):
        return "number"
    if _ASKS_DATE.search(question):
        return "date"
    return None


def _best_sentences(quote: Quote, subject: Sequence[str]) -> list[str]:
    """The quote's sentences (orders to the reader left out) that hold most subject words."""
    sentences = [quote.text[a:b] for a, b in sentence_spans(quote.text)]
    sentences = [s for s in sentences if not addresses_assistant(s)]
    wanted = set(subject)
    scored = [(len(wanted & set(keys(s))), s) for s in sentences]
    best = max((n for n, _ in scored), default=0)
    return [s for n, s in scored if n == best and (best > 0 or not wanted)]


def _stated_dates(sentence: str, year: int | None) -> list[DateMention]:
    return [m for m in dates_in(sentence, year) if not _DENIED.search(sentence[: m.start])]


def _names_a_thing(sentence: str, number: str) -> bool:
    """Whether every place a number stands in a sentence names something rather than counts it
    (``qa.answer_type.names_a_thing``).

    Example:
        >>> _names_a_thing("H.R. 10 would (1) cut costs by $4.8 billion", "10"), _names_a_thing("sent 10 ships", "10")
        (True, False)
    """
    places = [m for m in re.finditer(r"\d[\d,.]*", sentence) if m.group().replace(",", "").rstrip(".") == number]
    return bool(places) and all(names_a_thing(sentence, m.start(), m.end()) for m in places)


def read_quote(quote: Quote, fact: str, subject: Sequence[str]) -> list[Reading]:
    """What a quote says about the asked fact: one Reading per value (none if it says nothing)."""
    year = int(quote.ref.date[:4]) if quote.ref.date else None
    readings: list[Reading] = []
    for sentence in _best_sentences(quote, subject):
        if fact == "number":
            readings += [Reading(quote, n, None, True) for n in numbers_in(sentence) if not _names_a_thing(sentence, n)]
            continue
        stated = _stated_dates(sentence, year)
        readings += [Reading(quote, m.label(), m, True) for m in stated]
        own = iso_mention(quote.ref.date)
        if not stated and own is not None and _SAME_DAY.search(sentence):
            readings.append(Reading(quote, own.label(), own, False))
    unique = {r.value: r for r in readings}
    return list(unique.values())


def _agree(a: Reading, b: Reading) -> bool:
    if a.span is not None and b.span is not None:
        return a.span.overlaps(b.span)
    return a.value == b.value


def find_disagreement(question: str, quotes: Sequence[Quote], subject: Sequence[str]) -> tuple[Side, ...]:
    """The sides, most documents (then most quotes) first, when the quotes answer the asked fact differently.

    Returns an empty tuple when the question asks no date or number, when fewer than two
    documents give a value, when all values can mean the same thing, or when they give more
    than ``MAX_SIDES`` values (then they answer different questions, not this one differently). A document counts
    once per side; a quote with several values that agree with different sides stands on
    each of them.
    """
    fact = asked_fact(question)
    if fact is None:
        return ()
    readings = [r for q in quotes for r in read_quote(q, fact, subject)]
    if len({d for r in readings for d in r.documents}) < 2:
        return ()
    # A document's values must all disagree with another document's for the two to be
    # opposed: one that says "2013" and "15 April 2013" is one voice.
    by_doc: dict[str, list[Reading]] = {}
    for r in readings:
        by_doc.setdefault(r.quote.ref.doc_id, []).append(r)
    docs = list(by_doc)
    opposed = any(
        not any(_agree(a, b) for a in by_doc[x] for b in by_doc[y]) for i, x in enumerate(docs) for y in docs[i + 1 :]
    )
    if not opposed:
        return ()
    # The most precise values found lead sides; every reading joins each side it agrees with.
    leaders: list[Reading] = []
    for r in sorted(readings, key=lambda r: (r.span.last - r.span.first).days if r.span else 0):
        if not any(_agree(r, lead) for lead in leaders):
            leaders.append(r)
    if len(leaders) > MAX_SIDES:
        return ()
    sides = []
    for lead in leaders:
        members = tuple(r for r in readings if _agree(r, lead))
        sides.append(Side(lead.value, tuple({id(r.quote): r for r in members}.values())))
    return tuple(sorted(sides, key=lambda s: (-len(s.documents), -len(s.readings))))


def _count(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _side_phrase(side: Side, markers: str) -> str:
    stated = list(dict.fromkeys(d for r in side.readings if r.stated for d in r.documents))
    same_day = [d for d in dict.fromkeys(d for r in side.readings if not r.stated for d in r.documents) if d not in stated]
    phrases = []
    if stated:
        n = len(stated)
        phrases.append(f"{_count(n)} document{'s' * (n != 1)} say{'s' * (n == 1)} {side.value}")
    if same_day:
        n = len(same_day)
        dated = f"dated {side.value} " if not stated else ""
        phrases.append(f"{_count(n)} {'other ' if stated else ''}statement{'s' * (n != 1)} {dated}speak{'s' * (n == 1)} of it as happening that day")
    return f"{' and '.join(phrases)} {markers}"


def describe(sides: Sequence[Side], numbers: dict[int, int]) -> str:
    """One sentence naming each side and citing its quotes.

    Args:
        sides: from ``find_disagreement``.
        numbers: the citation number of each quote, by ``id(quote)``.

    Example:
        "The documents disagree. Two statements dated 15 April 2013 speak of it as happening
        that day [1][2]; one document says 12 December 2009 [3]."
    """
    parts = []
    for side in sides:
        markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers[id(r.quote)] for r in side.readings))
        parts.append(_side_phrase(side, markers))
    text = "; ".join(parts)
    return f"The documents disagree. {text[0].upper()}{text[1:]}."
