"""Pure text helpers: page debris, sentence spans, word normalisation.

Everything here works on character offsets into the unchanged document text, so a span found
here can always be shown as the document's exact words. Nothing here rewrites a document.
"""

from __future__ import annotations

import re
import unicodedata

Span = tuple[int, int]

# Page furniture that carries no statement: bullets with a date, "Last updated", image file
# names, photo credits, breadcrumbs, release boilerplate and datelines. The statement's date
# and origin live in the document's metadata instead.
_DEBRIS_PATTERNS = (
    re.compile(r"^[ \t]*•[^\n]*$", re.MULTILINE),
    re.compile(r"Last updated:?[^\n]*", re.IGNORECASE),
    re.compile(r"Image:\s*\S+"),
    re.compile(r"\(photo:[^)\n]*\)", re.IGNORECASE),
    re.compile(r"^[^\n]*(?: > [^\n]*){2,}$", re.MULTILINE),
    re.compile(r"^[ \t]*\(As delivered\)[ \t]*$", re.MULTILINE | re.IGNORECASE),
    re.compile(r"(?:NEWS RELEASE\s+)?ISAF Joint Command\s*[-–]\s*Afghanistan", re.IGNORECASE),
    re.compile(r"\b20\d\d-[01]\d-[A-Z]{1,3}-\d{2,4}\b"),
    re.compile(r"For Immediate Release", re.IGNORECASE),
    re.compile(r"Download PDF", re.IGNORECASE),
    re.compile(r"\b[A-Z][A-Za-z-]+(?: [A-Z][A-Za-z-]+)*, Afghanistan\s*\([^)\n]{3,20}\)\s*[-–—]?"),
)

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cpl pvt adm cmdr st no vs etc inc ltd co jr sr "
    "u.s u.n u.k e.g i.e h.e jan feb mar apr jun jul aug sep sept oct nov dec approx dept govt".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|[.!?]+[\"'”’)\]]*\s*$")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")


def debris_spans(text: str) -> list[Span]:
    """Spans of page furniture in ``text``, sorted and merged."""
    spans = sorted(m.span() for pattern in _DEBRIS_PATTERNS for m in pattern.finditer(text))
    return merge_spans(spans)


def heading_spans(text: str, max_words: int = 40) -> list[Span]:
    """Spans of title and heading lines: short lines that are not sentences.

    Headings name a document or section ("Joint press statement", "- Regional issues");
    they are metadata, not evidence, so passages leave them out.
    """
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        words = _WORD.findall(line)
        if words and len(words) <= max_words and not _TERMINAL.search(line):
            spans.append(match.span())
    return spans


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


def paragraph_spans(text: str, start: int, end: int) -> list[Span]:
    """Paragraphs inside ``text[start:end]``: blocks split at line breaks."""
    spans = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        a, b = strip_span(text, start + match.start(), start + match.end())
        if b > a:
            spans.append((a, b))
    return spans


def strip_span(text: str, start: int, end: int) -> Span:
    """Shrink a span past surrounding whitespace and stray separators."""
    while start < end and (text[start].isspace() or text[start] in "-–—|•"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` as absolute spans.

    A full stop after a known abbreviation ("Mr.", "Jan.", "U.S.") or a single initial does
    not end a sentence.

    Example:
        >>> t = "Mr. Abe spoke. NATO agreed."
        >>> [t[a:b] for a, b in sentence_spans(t)]
        ['Mr. Abe spoke.', 'NATO agreed.']
    """
    end = len(text) if end is None else end
    spans, cursor = [], start
    segment = text[start:end]
    for match in _SENTENCE_END.finditer(segment):
        stop = start + match.end()
        word = re.search(r"([A-Za-z.]+)[.!?]*[\"'”’)\]]*$", text[cursor:stop].rstrip())
        if word and match.group().startswith("."):
            token = word.group(1).lower().rstrip(".")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        a, b = strip_span(text, cursor, stop)
        if b > a:
            spans.append((a, b))
        cursor = stop
    a, b = strip_span(text, cursor, end)
    if b > a:
        spans.append((a, b))
    return spans


def normalize(text: str) -> str:
    """Lower-case words with quotes and spacing unified, for comparing passages."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(w.lower() for w in _WORD.findall(text))


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, apostrophes unified."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]
