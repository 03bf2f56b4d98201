"""Find the page furniture inside a document's stored text, each span with its reason.

Only what carries no statement is furniture: lines without a letter or digit (rules, lone
bullets), page numbers, running headers and footers repeated on every page of a PDF, a
letterhead above the first line or below the last line of a PDF's first page, "Last updated"
stamps, image file names and photo credits, and the few labels every press office prints
("For Immediate Release", "Press Release"). Everything else is body text and becomes evidence, headings and datelines
included. Pure functions over text and offsets; nothing is removed from the text itself.

It names no source: a rule here must hold for any folder of statements.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from embeddings.text import Span, merge_spans


@dataclass(frozen=True)
class Exclusion:
    """A span of the stored text kept out of passages, and why."""

    start: int
    end: int
    reason: str


_LINE = re.compile(r"[^\n\f]*")
# A line that is only a page number: "3", "- 3 -", "Page 3", "Page 3 of 10", "3 of 10", "3/10".
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.IGNORECASE)
# Inline furniture, wherever it stands.
_INLINE = (
    (re.compile(r"\bLast (?:updated|modified|reviewed):?[^\n]{0,40}?\d{4}(?:\s+\d{1,2}:\d{2})?", re.IGNORECASE), "last-updated stamp"),
    (re.compile(r"\bImage:\s*\S+\.(?:jpe?g|png|gif|webp|tiff?)\b", re.IGNORECASE), "image file name"),
    (re.compile(r"\((?:photo|image|picture)(?: credit)?:[^)\n]*\)", re.IGNORECASE), "photo credit"),
    (re.compile(r"\bFor Immediate Release\b:?", re.IGNORECASE), "release label"),
    (re.compile(r"^\s*(?:NEWS|PRESS|MEDIA) RELEASE\b:?", re.IGNORECASE | re.MULTILINE), "release label"),
    (re.compile(r"\bDownload (?:the )?PDF\b", re.IGNORECASE), "download link"),
)
# Whole lines that are web furniture: share and print buttons, skip links, cookie notices.
_FURNITURE_LINE = re.compile(
    r"^\s*(?:share(?: this(?: page| article)?)?|print(?: this page)?|tweet|email this|back to top|skip to (?:main )?content|"
    r"follow us(?: on \w+)?|subscribe|read more|related (?:links|articles|content)|(?:this (?:site|website) uses|we use) cookies\b.*|"
    r"accept(?: all)? cookies)\s*[.:!]?\s*$",
    re.IGNORECASE,
)
# Words of an organisation's or an address's letterhead.
_LETTERHEAD_WORD = re.compile(
    r"\b(?:OFFICE|DEPARTMENT|MINISTRY|EXECUTIVE|AGENCY|EMBASSY|MISSION|BUREAU|COUNCIL|COMMISSION|SECRETARIAT|"
    r"GOVERNMENT|WHITE HOUSE|D\.\s?C\.|STREET|AVENUE|SUITE)\b|\b\d{5}(?:-\d{4})?\b"
)
_DATE_HINT = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line; form feeds (page breaks) end lines too."""
    return [m.span() for m in _LINE.finditer(text) if m.start() < len(text) or m.end() > m.start()]


def _is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def page_furniture(text: str, pages: tuple[int, ...]) -> list[Exclusion]:
    """Running headers and footers: a line repeated at the top or bottom of most pages.

    Digits are ignored when comparing, so "Page 2" and "Page 3" count as the same line.
    """
    if len(pages) < 2:
        return []
    bounds = [*pages, len(text) + 1]
    edges: list[list[tuple[int, int, str]]] = []
    for first, nxt in itertools.pairwise(bounds):
        page_lines = [(a, b) for a, b in _lines(text[first : nxt - 1]) if text[first + a : first + b].strip()]
        chosen = page_lines[:2] + page_lines[-2:]
        edges.append([(first + a, first + b, re.sub(r"\d+", "#", " ".join(text[first + a : first + b].split()))) for a, b in chosen])
    counts = Counter(key for page in edges for key in {k for _, _, k in page})
    need = max(2, (len(pages) + 1) // 2)
    found = []
    for page in edges:
        for a, b, key in page:
            if counts[key] >= need and len(key.split()) <= 15:
                found.append(Exclusion(a, b, "running header or footer"))
    return found


def letterhead(text: str, pages: tuple[int, ...]) -> list[Exclusion]:
    """The capitalised organisation-and-address lines above a PDF's first line of text, or
    below its first page's last line: a letterhead drawn apart from the text comes out of the
    text layer after the page's body, before the second page begins.

    Only a PDF's first page has a letterhead, and only a run of capitalised lines of which
    one names an office or an address ("OFFICE OF MANAGEMENT AND BUDGET", "WASHINGTON, D.C.
    20503"); an all-capitals title ("REMARKS BY THE PRESIDENT") is not one.

    Example:
        >>> page = "May 15, 2018\\nThe Administration supports it.\\nEXECUTIVE OFFICE\\nWASHINGTON, D.C. 20503\\f2\\nMore."
        >>> [page[e.start : e.end] for e in letterhead(page, (0, page.index("\\f") + 1))]
        ['EXECUTIVE OFFICE', 'WASHINGTON, D.C. 20503']
    """
    if not pages:
        return []
    first_page = [(a, b) for a, b in _lines(text[: pages[1] if len(pages) > 1 else len(text)]) if text[a:b].strip()]
    found = []
    for lines in (first_page, first_page[::-1]):
        run = _capitalised_run(text, lines)
        if any(_LETTERHEAD_WORD.search(text[a:b]) or _letter_spaced(text[a:b]) for a, b in run):
            found.extend(Exclusion(a, b, "letterhead") for a, b in run)
    return sorted(set(found), key=lambda e: e.start)


def _capitalised_run(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The capitalised lines the given lines open with (none if more than eight: a text)."""
    run: list[tuple[int, int]] = []
    for a, b in lines:
        line = text[a:b]
        if not re.search(r"[^\W_]", line):
            continue  # a rule ("* * *") between the body and the letterhead
        if not _is_upper_line(line) or (_DATE_HINT.search(line) and not _LETTERHEAD_WORD.search(line)):
            break
        run.append((a, b))
        if len(run) > 8:
            return []
    return run


def _letter_spaced(line: str) -> bool:
    """"W AS H I N G T O N": most tokens a single character."""
    tokens = line.split()
    return len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) / len(tokens) > 0.6


def find_boilerplate(text: str, pages: tuple[int, ...] = ()) -> list[Exclusion]:
    """Every furniture span of a document's text, sorted, overlaps merged (first reason kept).

    Example:
        >>> [e.reason for e in find_boilerplate("Title\\n  • |\\nBody text.\\n3\\n")]
        ['no words', 'page number']
    """
    found: list[Exclusion] = []
    for a, b in _lines(text):
        line = text[a:b]
        if not line.strip():
            continue
        if not re.search(r"[^\W_]", line):
            found.append(Exclusion(a, b, "no words"))
        elif _PAGE_NUMBER.match(line):
            found.append(Exclusion(a, b, "page number"))
        elif _FURNITURE_LINE.match(line):
            found.append(Exclusion(a, b, "web page furniture"))
        elif line.count(" > ") >= 2 or line.count(" » ") >= 2:
            found.append(Exclusion(a, b, "breadcrumb"))
    for pattern, reason in _INLINE:
        found.extend(Exclusion(m.start(), m.end(), reason) for m in pattern.finditer(text) if m.end() > m.start())
    found.extend(page_furniture(text, pages))
    found.extend(letterhead(text, pages))
    return _merge(found)


def _merge(found: list[Exclusion]) -> list[Exclusion]:
    merged: list[Exclusion] = []
    for item in sorted(found, key=lambda e: (e.start, -e.end)):
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Exclusion(last.start, max(last.end, item.end), last.reason)
        else:
            merged.append(item)
    return merged


def excluded_spans(exclusions: list[Exclusion]) -> list[Span]:
    """The spans alone, merged."""
    return merge_spans([(e.start, e.end) for e in exclusions])
