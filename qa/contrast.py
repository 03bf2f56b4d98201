"""What changed between the earliest and the latest quote of an answer across time. Pure.

Asked "How did NATO's message on North Korea change between 2013 and 2023?", the answer quotes
each year; this module adds one sentence naming what only one end says, in that end's own
words and cited: "What changed: only the 2023 quote speaks of “ballistic missile tests” [3];
only the 2013 one of “provocative rhetoric” [1]." A phrase is a run of the quote's words
between stop words and punctuation; it is distinctive when it holds a word the other end does
not use and the question does not ask about, and weighs by how rare its words are in English
(``wordfreq``), so "missile" counts for more than "including". No model and no word list of a
corpus: the sentence only ever repeats words the cited quotes hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from embeddings.bm25 import STOPWORDS, tokenize
from qa.answer import Citation

#: Phrases named per side; more would read as a list of keywords, not a sentence.
MAX_PHRASES = 2
#: A longer run of words is a clause, not a phrase.
MAX_PHRASE_WORDS = 5
# Words as written (keeping inner apostrophes and hyphens), and what ends a phrase.
# An abbreviation keeps its dots ("p.m.", "U.S."), a time its colon ("11:59").
_WORD = re.compile(r"[$€£]?(?:(?:[A-Za-z]\.){2,}|[A-Za-z0-9](?:[A-Za-z0-9'’.,-]|:(?=\d))*[A-Za-z0-9]|[A-Za-z0-9])%?")
_BREAK = re.compile(r"[;()“”\"!?]|:(?!\d)|,(?!\d)|(?<!\.[A-Za-z])\.(?:\s|$)|\s[-–—]\s")


@dataclass(frozen=True)
class Phrase:
    """Words of one quote, as written, and how much they say that the other end does not."""

    text: str
    weight: float


def _rarity(word: str) -> float:
    """How rare a word is in English: 0 for the commonest, about 7 for one never seen. A
    number or sum ("$35", "2375") is a fact of its own and weighs as a rare word."""
    if any(c.isdigit() for c in word):
        return 5.0
    return max(0.0, 7.0 - zipf_frequency(word.lower(), "en"))


def phrases(text: str) -> list[list[str]]:
    """The runs of words between stop words and punctuation, as written.

    Example:
        >>> phrases("We share deep concern over North Korea’s behaviour, including its tests.")
        [['share', 'deep', 'concern'], ['North', 'Korea’s', 'behaviour'], ['including'], ['tests']]
        >>> phrases("Gyms closed at 11:59 p.m. on Friday.")
        [['Gyms', 'closed'], ['11:59', 'p.m.'], ['Friday']]
    """
    runs: list[list[str]] = []
    for piece in _BREAK.split(text):
        run: list[str] = []
        for word in _WORD.findall(piece):
            if word.lower().strip("'’") in STOPWORDS or word.lower().split("'")[0].split("’")[0] in STOPWORDS:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(word)
        if run:
            runs.append(run)
    return runs


def distinctive(text: str, other: set[str], asked: set[str]) -> list[Phrase]:
    """A quote's phrases that hold words the other end does not use, the weightiest first.

    Words the question asks about split a phrase (they are what both ends speak of), and a
    phrase left with nothing new is not distinctive.
    """
    found: dict[str, Phrase] = {}
    pieces = []
    for run in phrases(text):
        piece: list[str] = []
        for word in run:
            if set(tokenize(word)) <= asked:
                pieces.append(piece)
                piece = []
            else:
                piece.append(word)
        pieces.append(piece)
    for run in pieces:
        if not run or len(run) > MAX_PHRASE_WORDS:
            continue
        new = [w for w in run if (tokens := set(tokenize(w))) and not tokens & other and not tokens <= asked]
        if not new:
            continue
        weight = sum(_rarity(w) for w in new)
        key = " ".join(run)
        if key.lower() not in {k.lower() for k in found}:
            found[key] = Phrase(key, weight)
    return sorted(found.values(), key=lambda p: -p.weight)


def _side(citations: Sequence[Citation], other: set[str], asked: set[str]) -> list[tuple[Phrase, int]]:
    """The distinctive phrases of one end's quotes, the weightiest first, each with its quote's number."""
    found = [(phrase, c.n) for c in citations for phrase in distinctive(c.quote.text, other, asked)]
    seen: set[str] = set()
    unique = []
    for phrase, n in sorted(found, key=lambda pair: -pair[0].weight):
        if phrase.text.lower() not in seen:
            seen.add(phrase.text.lower())
            unique.append((phrase, n))
    return unique


def _named(found: list[tuple[Phrase, int]]) -> str:
    """“ballistic missile tests” [3] and “share deep concern” [3]: the markers after each phrase."""
    chosen = found[:MAX_PHRASES]
    if len({n for _, n in chosen}) == 1:
        return " and ".join(f"“{p.text}”" for p, _ in chosen) + f" [{chosen[0][1]}]"
    return " and ".join(f"“{p.text}” [{n}]" for p, n in chosen)


def what_changed(citations: Sequence[Citation], asked: Sequence[str]) -> str:
    """One sentence on what only the latest or only the earliest year's quotes say, or "".

    ``citations`` are the answer's dated quotes (any order); ``asked`` the question's subject
    tokens. The ends are the oldest and newest years, each with all its quotes; a side with
    nothing of its own is left out, and when neither has, the sentence says the quotes use the
    same words.
    """
    dated = [c for c in citations if c.quote.ref.date]
    years = sorted({c.quote.ref.date[:4] for c in dated})
    if len(years) < 2:
        return ""
    early_year, late_year = years[0], years[-1]
    early = [c for c in dated if c.quote.ref.date[:4] == early_year]
    late = [c for c in dated if c.quote.ref.date[:4] == late_year]
    early_words = {t for c in early for t in tokenize(c.quote.text)}
    late_words = {t for c in late for t in tokenize(c.quote.text)}
    subject = set(asked)
    newer = _side(late, early_words, subject)
    older = _side(early, late_words, subject)
    def says(cs: list[Citation]) -> str:
        return "quote speaks" if len(cs) == 1 else "quotes speak"

    sides = []
    if newer:
        sides.append(f"only the {late_year} {says(late)} of {_named(newer)}")
    if older:
        # After the newer side, "one" stands for "quote": "...; only the 2013 one of ...".
        said = ("one" if len(early) == 1 else "ones") if newer else says(early)
        sides.append(f"only the {early_year} {said} of {_named(older)}")
    if not sides:
        return f"What changed: the {early_year} and {late_year} quotes use the same words on this [{early[0].n}] [{late[0].n}]."
    return f"What changed: {'; '.join(sides)}."
