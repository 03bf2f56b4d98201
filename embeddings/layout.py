"""Paragraphs and sentences of a stored text, as offsets. Pure functions.

Texts come in two shapes: one paragraph per line (web pages, most press releases), or
hard-wrapped at a fixed width (e-mail, Gutenberg texts, text from PDFs), where a line break
inside a sentence is not a boundary. The shape is read from the text's own line lengths:
a document whose long lines all end near one width is wrapped, and its lines are re-joined
into paragraphs. A blank line, a page break, an indented or bulleted line, and a line that
ends well short of the width (a heading, a dateline, a paragraph's last line) end a paragraph.

Sentences are found by ``sentencex`` (it knows "Mr.", "U.S.", "No. 10", "Jan. 25", initials).
One splitter for the whole product: everything that needs sentences calls ``sentence_spans``.
"""

from __future__ import annotations

import re
import statistics

from embeddings.text import Span, complement_spans, strip_span

#: A document is hard-wrapped when its typical long line is at most this many characters...
MAX_WRAP_WIDTH = 130
#: ...and at least this share of its lines reach ``WRAP_FILL`` of that width.
MIN_FULL_LINES = 0.5
#: A wrapped line shorter than this share of the width ends its paragraph.
WRAP_FILL = 0.7
#: ...or at least this share of its line breaks fall inside a sentence.
MIN_BROKEN_LINES = 0.2

_CLOSED = re.compile(r"[.!?:;\"'”’)\]]\s*$")

_BULLET = re.compile(r"^\s*(?:[•·▪‣◦*–—-]\s|\(?[0-9]{1,2}[.)]\s|\(?[a-zA-Z][.)]\s|\([ivx]+\)\s)")


def _line_spans(text: str, start: int, end: int) -> list[Span]:
    """Non-blank lines of ``text[start:end]`` (absolute offsets); form feeds end lines."""
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n\f]+", text[start:end]) if m.group().strip()]


def wrap_width(text: str) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when it is not wrapped.

    Two signs tell wrapped prose, either is enough: most lines end near one width, or lines
    often break inside a sentence (a line without closing punctuation followed by one that
    starts in lower case), which a text of one paragraph per line never does.

    Example:
        >>> wrap_width(("word " * 14 + "\\n") * 20) is not None
        True
        >>> wrap_width("One long paragraph on one line. " * 10) is None
        True
    """
    spans = _line_spans(text, 0, len(text))
    lines = [text[a:b].rstrip() for a, b in spans]
    lengths = [len(line) for line in lines]
    if len(lengths) < 6:
        return None
    width = sorted(lengths)[int(0.9 * (len(lengths) - 1))]
    if width > MAX_WRAP_WIDTH or width < 20:
        return None
    full = sum(n >= WRAP_FILL * width for n in lengths) / len(lengths)
    # A text whose lines are all short and ragged (a list, a letterhead) is not wrapped prose.
    if full >= MIN_FULL_LINES and statistics.median(lengths) >= 0.5 * width:
        return width
    adjacent = [
        (lines[i], lines[i + 1]) for i in range(len(lines) - 1) if "\n\n" not in text[spans[i][1] : spans[i + 1][0]].replace(" ", "")
    ]
    # A break inside a sentence: an open line before a lower-case word, or a full-width line
    # left open ("... On January" / "30, 2017, President ..."), which one paragraph per line
    # never has (its lines are as long as their paragraphs, far past any wrap width).
    # (Only where no line runs past the width: a short text with one long paragraph line is not
    # wrapped at the width of its heading.)
    open_full = max(lengths) <= 1.2 * width
    broken = sum(
        1 for a, b in adjacent if not _CLOSED.search(a) and (b.lstrip()[:1].islower() or (open_full and len(a) >= WRAP_FILL * width))
    )
    return width if adjacent and broken / len(adjacent) >= MIN_BROKEN_LINES else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def paragraph_spans(text: str, excluded: list[Span] | None = None) -> list[Span]:
    """The paragraphs of a text outside ``excluded`` spans, in order, stripped.

    Excluded spans (furniture) split a paragraph like a blank line does.
    """
    width = wrap_width(text)
    paragraphs: list[Span] = []
    for region_start, region_end in complement_spans(len(text), excluded or []):
        lines = _line_spans(text, region_start, region_end)
        current: Span | None = None
        previous: str = ""
        for a, b in lines:
            line = text[a:b]
            joins = (
                current is not None
                and width is not None
                and "\n\n" not in text[current[1] : a].replace(" ", "").replace("\t", "")
                and "\f" not in text[current[1] : a]
                and len(previous.rstrip()) >= WRAP_FILL * width
                and not _BULLET.match(line)
                and _indent(line) <= _indent(previous) + 1
            )
            if joins and current is not None:
                current = (current[0], b)
            else:
                if current is not None:
                    paragraphs.append(current)
                current = (a, b)
            previous = line
        if current is not None:
            paragraphs.append(current)
    stripped = [strip_span(text, a, b) for a, b in paragraphs]
    return [(a, b) for a, b in stripped if b > a]


# A list's item number after a colon or semicolon ("objects: 1.", "danger; 2."): the item it
# opens follows, in the same sentence.
_OPENS_ITEM = re.compile(r"[:;]\s*\(?\d{1,2}[.)]$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` as absolute, stripped spans.

    Line breaks inside the range are read as spaces, so a wrapped sentence stays one. A
    piece that starts in lower case continues the sentence before it ("2 kg. of explosives"),
    and so does the item after the number that opens it in a list ("...: 1. Security; 2. Trade").

    Example:
        >>> t = "Mr. Abe met Dr. Smith in the U.S. on Jan. 25. They agreed."
        >>> [t[a:b] for a, b in sentence_spans(t)]
        ['Mr. Abe met Dr. Smith in the U.S. on Jan. 25.', 'They agreed.']
        >>> t = "They relate to these objects: 1. Security against danger; 2. Trade. The first is war."
        >>> [t[a:b] for a, b in sentence_spans(t)]
        ['They relate to these objects: 1. Security against danger; 2. Trade.', 'The first is war.']
    """
    import sentencex

    end = len(text) if end is None else end
    segment = text[start:end].replace("\n", " ").replace("\f", " ")
    spans: list[Span] = []
    cursor = 0
    for piece in sentencex.segment("en", segment):
        found = segment.find(piece, cursor)
        if found < 0:  # sentencex returns substrings; guard anyway
            continue
        a, b = found, found + len(piece)
        cursor = b
        stripped = piece.strip()
        continues = bool(spans) and bool(_OPENS_ITEM.search(segment[spans[-1][0] : spans[-1][1]].rstrip()))
        if spans and stripped and (continues or stripped[0].islower() or stripped[0] in ",;:)]"):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    result = []
    for a, b in spans:
        a2, b2 = strip_span(text, start + a, start + b)
        if b2 > a2:
            result.append((a2, b2))
    return result
