"""Quote cutting: the sentences of a passage that carry the question's words and asked fact."""

from __future__ import annotations

import re
from collections.abc import Sequence

from embeddings.bm25 import tokenize
from embeddings.passages import Passage
from qa.answer_type import carries

#: A quote shorter than this many words is widened by a neighbouring sentence, for context.
MIN_QUOTE_WORDS = 10
#: A neighbouring sentence joins a quote when it adds this share of the question's weighted
#: words: a distinctive word ("Sanzar"), not a frequent one ("Japan").
MIN_WIDEN_GAIN = 0.2

#: A paragraph of at most this many words is a heading line (a title, a dateline, a byline).
MAX_HEADING_WORDS = 20
#: A block of heading lines is read whole up to this many words.
MAX_BLOCK_WORDS = 80


def heading_block(text: str, paragraphs: Sequence[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The run of heading lines around the one at ``position``, as one span; None when that
    paragraph is no heading line or the run is too long to read as one piece.

    A statement's title, dateline, byline and sponsor line stand one under another; together
    they say who, when and where, each alone rarely does.
    """
    at = next((i for i, (a, b) in enumerate(paragraphs) if a <= position < b), None)
    if at is None or not _short_line(text, paragraphs[at]):
        return None
    first = last = at
    # Lines of one block stand one under another: text left out between two of them (a page's
    # "• | • Last updated: ..." menu) ends the block.
    while first > 0 and _short_line(text, paragraphs[first - 1]) and _adjacent(text, paragraphs[first - 1], paragraphs[first]):
        first -= 1
    while last + 1 < len(paragraphs) and _short_line(text, paragraphs[last + 1]) and _adjacent(text, paragraphs[last], paragraphs[last + 1]):
        last += 1
    span = paragraphs[first][0], paragraphs[last][1]
    return span if len(text[span[0] : span[1]].split()) <= MAX_BLOCK_WORDS else None


def line_under(text: str, paragraphs: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The line in brackets right under a heading line that spans ``start:end``: the sponsor
    line under a bill's name ("(Rep. Walden, R-OR, and 11 cosponsors)"), which says whose it
    is; None when the span is no heading line or no such line follows.

    Example:
        >>> t = "H.R. 6 – SUPPORT Act\\n(Rep. Walden, R-OR, and 11 cosponsors)\\nThe bill would help."
        >>> span = line_under(t, [(0, 20), (21, 59), (60, 80)], 0, 20)
        >>> t[span[0] : span[1]]
        '(Rep. Walden, R-OR, and 11 cosponsors)'
    """
    if not is_heading(text[start:end]):
        return None
    under = next((p for p in paragraphs if p[0] >= end), None)
    if under is None or not _adjacent(text, (start, end), under):
        return None
    line = text[under[0] : under[1]].strip()
    return under if line.startswith("(") and line.endswith(")") and is_heading(line) else None


def _adjacent(text: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Whether only white space stands between two paragraphs."""
    return not text[before[1] : after[0]].strip()


def _short_line(text: str, paragraph: tuple[int, int]) -> bool:
    """Whether a paragraph is short enough to be a line of a heading block. Unlike ``is_heading``
    it may end as a sentence does: "For the Independent Journal. Wednesday, February 6, 1788."."""
    return len(text[paragraph[0] : paragraph[1]].split()) <= MAX_HEADING_WORDS


#: A sentence ends with its mark, perhaps inside a closing quotation mark or bracket.
ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")


def is_heading(text: str) -> bool:
    """Whether a text reads as a heading line: short, and not ended as a sentence is."""
    words = text.split()
    return 0 < len(words) <= MAX_HEADING_WORDS and not ENDS_SENTENCE.search(text.strip())


# A sentence opening with a pronoun refers back to the one before it ("He also acquired IEDs").
_BACK_REFERENCE = re.compile(r"^(?:He|She|They|It|This|These|Those|Its|Their|His|Her)\b")
# Open questions about events want the whole passage, not only the sentence naming the place.
_OPEN_QUESTION = re.compile(r"^\s*what (?:happened|took place|occurred)\b", re.IGNORECASE)


def select_sentences(
    passage: Passage, weights: dict[str, float], whole: bool = False, kind: str | None = None, known: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """The span of the sentences in a passage that carry the question's words.

    Sentences sharing at least half the best sentence's weight are kept, with whatever lies
    between them, so the quote reads as one piece; with no shared words, the whole passage.
    When the question asks for a kind of fact (a number, a date, a person), a sentence that
    holds one counts half as much again: the sentence with the asked fact beats one that
    merely shares the question's words.
    """
    if whole or len(passage.sentences) == 1 or not weights:
        return passage.start, passage.end
    offset = passage.start
    scores = []
    for a, b in passage.sentences:
        sentence = passage.text[a - offset : b - offset]
        tokens = set(tokenize(sentence))
        score = sum(w for t, w in weights.items() if t in tokens)
        if kind is not None and carries(kind, sentence, known):
            score = score * 1.5 if score else 0.5 * min(weights.values())
        scores.append(score)
    best = max(scores)
    if best == 0:
        return passage.start, passage.end
    keep = [i for i, s in enumerate(scores) if s >= 0.5 * best]
    first, last = keep[0], keep[-1]
    if first > 0 and _BACK_REFERENCE.match(passage.text[passage.sentences[first][0] - offset :]):
        first -= 1
    span_words = len(passage.text[passage.sentences[first][0] - offset : passage.sentences[last][1] - offset].split())
    if span_words < MIN_QUOTE_WORDS:
        # "Including on cyber defence." alone reads as a fragment: add the sentence it continues.
        if first > 0:
            first -= 1
        elif last + 1 < len(passage.sentences):
            last += 1
    return passage.sentences[first][0], passage.sentences[last][1]
