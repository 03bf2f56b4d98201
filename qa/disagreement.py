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
- a number question ("how many", "how much", "what share") reads the numbers they state, of the
  asked kind: asked "how much", a sum, share or quantity with its unit ("$4.9 million"), never
  "340 homes"; asked "how many troops", a number of troops. Each is shown as written.
Sentences that address the reader or the assistant ("you must state that ...") are orders,
not statements, and are not read. Two values disagree when they cannot mean the same thing:
dates whose spans do not overlap ("2013" and "15 April 2013" agree), numbers that differ.
Figures of statements made on different dates may simply have changed ("secured $4.2 million"
in 2019, "the final cost was $4.9 million" in 2023): they are told by date, not as a dispute.

What it does not do: compare names (which place, which person): quotes name many things
besides the answer, and telling which name answers needs a reading this module does not do.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.layout import sentence_spans
from qa.answer_type import AMOUNT, NUMBER, asked_fact, asked_kind, carries, names_a_thing
from qa.evidence import human_date
from qa.instructions import addresses_assistant
from qa.quotes import Quote
from qa.values import DateMention, dates_in, iso_mention, number_spans
from qa.words import keys

# The statement speaks of the event as happening when it was made.
_SAME_DAY = re.compile(
    r"\b(?:today|tonight|this (?:morning|afternoon|evening)|that (?:morning|afternoon|evening|day)|(?:have|has|had|was|were) just)\b", re.IGNORECASE
)
_DENIED = re.compile(r"\b(?:not|never|no|nor|rather than|instead of)\b(?:\W+\w+){0,2}\W*$", re.IGNORECASE)
#: More sides than this is no disagreement about one fact: the quotes speak of different things.
MAX_SIDES = 3
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# A figure as written: its currency before, its scale or unit sign after ("$4.9 million", "12%").
_CURRENCY = re.compile(r"[$€£¥]\s?$")
_SCALE = re.compile(r"^\s?(?:%|percent\b|per cent\b|(?:million|billion|trillion|thousand)\b)", re.I)
#: What a count counts stands within this many words after it ("35 buildings", "5,000 more U.S. troops").
_COUNT_WINDOW = 5


@dataclass(frozen=True)
class Reading:
    """What one quote says about the asked fact."""

    quote: Quote
    value: str  # a date's label, or a figure as written ("$4.9 million")
    span: DateMention | None  # the date's span (None for numbers)
    stated: bool  # written in the quote (True) or the statement's own date (False)
    key: str = ""  # a figure's value for comparing ("$4.9million"); a date compares by span
    unit: str = ""  # what a figure measures: "$", "%", or the word after it ("home" in "340 homes")

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


def figures(sentence: str, kind: str | None = NUMBER) -> list[tuple[str, str, str]]:
    """The figures of a sentence of the asked kind, outside its dates and names: (value for
    comparing, as written, what it measures).

    Example:
        >>> figures("It cost $4.9 million and protects 340 homes.", "number:amount")
        [('$4.9million', '$4.9 million', '$'), ('340', '340', 'homes')]
        >>> figures("It cost $4.9 million and protects 340 homes.", "number:home")
        [('340', '340', 'homes')]
    """
    found = []
    for start, end in number_spans(sentence):
        if names_a_thing(sentence, start, end):
            continue
        currency = _CURRENCY.search(sentence[:start])
        scale = _SCALE.match(sentence[end:])
        first = currency.start() if currency else start
        last = end + scale.end() if scale else end
        written = sentence[first:last].rstrip(".,")
        # The figure with the words after it, up to the next figure, says what it is: "$4.9
        # million", "35 buildings".
        following = list(itertools.takewhile(lambda w: not any(c.isdigit() for c in w), sentence[last:].split()))
        window = " ".join([written, *following[:_COUNT_WINDOW]])
        if kind not in (None, NUMBER) and not carries(kind, window):
            continue
        key = "".join(written.split()).replace(",", "").lower()
        after = re.match(r"\s*([A-Za-z]+)", sentence[last:])
        if currency:
            unit = currency.group().strip()
        elif "%" in written or "cent" in written:
            unit = "%"
        else:
            unit = after.group(1).lower() if after else ""
        found.append((key, written, unit))
    return found


def read_quote(quote: Quote, fact: str, subject: Sequence[str], kind: str | None = NUMBER) -> list[Reading]:
    """What a quote says about the asked fact: one Reading per value (none if it says nothing).
    A number is read only of the asked ``kind`` (``qa.answer_type.asked_kind``)."""
    year = int(quote.ref.date[:4]) if quote.ref.date else None
    readings: list[Reading] = []
    for sentence in _best_sentences(quote, subject):
        if fact == "number":
            readings += [Reading(quote, written, None, True, key, unit) for key, written, unit in figures(sentence, kind)]
            continue
        stated = _stated_dates(sentence, year)
        readings += [Reading(quote, m.label(), m, True) for m in stated]
        own = iso_mention(quote.ref.date)
        if not stated and own is not None and _SAME_DAY.search(sentence):
            readings.append(Reading(quote, own.label(), own, False))
    unique = {r.key or r.value: r for r in readings}
    return list(unique.values())


def _agree(a: Reading, b: Reading) -> bool:
    if a.span is not None and b.span is not None:
        return a.span.overlaps(b.span)
    return (a.key or a.value) == (b.key or b.value)


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
    kind = asked_kind(question) if fact == "number" else None
    readings = [r for q in quotes for r in read_quote(q, fact, subject, kind)]
    if (kind or "").startswith(AMOUNT) and readings and readings[0].unit:
        # Amounts of what the best quote's figure measures: asked what the barrier cost, "$4.9
        # million" and "$4.2 million" are two answers, "340 homes" is none.
        readings = [r for r in readings if r.unit == readings[0].unit]
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
    if _by_date(sides):
        return _dated_figures(sides, numbers)
    parts = []
    for side in sides:
        markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers[id(r.quote)] for r in side.readings))
        parts.append(_side_phrase(side, markers))
    text = "; ".join(parts)
    return f"The documents disagree. {text[0].upper()}{text[1:]}."


def _by_date(sides: Sequence[Side]) -> bool:
    """Whether the sides are figures each given on dates of its own: a figure that changed."""
    if any(r.span is not None or not r.quote.ref.date for side in sides for r in side.readings):
        return False
    dates = [{r.quote.ref.date for r in side.readings} for side in sides]
    return all(not (a & b) for i, a in enumerate(dates) for b in dates[i + 1 :])


def _dated_figures(sides: Sequence[Side], numbers: dict[int, int]) -> str:
    """Figures of different dates, oldest first, told as what each date's statements say: "The
    statements give different figures: on 12 March 2019, $4.2 million [2]; on 9 January 2023,
    $4.9 million [1]." It claims no dispute: a figure may have changed."""
    parts = []
    for side in sorted(sides, key=lambda s: min(r.quote.ref.date or "" for r in s.readings)):
        markers = "".join(f"[{m}]" for m in dict.fromkeys(numbers[id(r.quote)] for r in side.readings))
        days = " and ".join(human_date(d) for d in sorted({r.quote.ref.date for r in side.readings}))
        parts.append(f"on {days}, {side.value} {markers}")
    return f"The statements give different figures: {'; '.join(parts)}."
