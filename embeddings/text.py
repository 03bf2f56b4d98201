"""Pure text helpers: spans, word normalisation.

Everything here works on character offsets into the unchanged document text, so a span found
here can always be shown as the document's exact words. Nothing here rewrites a document.
"""

from __future__ import annotations

import re
import unicodedata

Span = tuple[int, int]

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def merge_spans(spans: list[Span]) -> list[Span]:
    """Merge overlapping or touching spans (input sorted by start)."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def complement_spans(length: int, removed: list[Span]) -> list[Span]:
    """The parts of ``range(length)`` outside ``removed`` (sorted, merged)."""
    kept, cursor = [], 0
    for start, end in removed:
        if start > cursor:
            kept.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < length:
        kept.append((cursor, length))
    return kept


def strip_span(text: str, start: int, end: int) -> Span:
    """Shrink a span past surrounding whitespace and stray separators."""
    while start < end and (text[start].isspace() or text[start] in "-–—|•"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def normalize(text: str) -> str:
    """Lower-case words with quotes and spacing unified, for comparing passages."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(w.lower() for w in _WORD.findall(text))


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, apostrophes unified."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]
