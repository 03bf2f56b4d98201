"""HTML for the browser UI: answers with clickable citations, and the source panel. Pure.

Every piece of document or user text passes through ``html.escape`` before it reaches the
page, so HTML or script in a question or a document is shown as text, never run. Citation
links carry their document and offsets in their own ``href`` ("#cite=" + URL-encoded JSON;
the chat's sanitizer keeps hrefs but drops data attributes), so an answer's sources stay
inspectable however many questions follow.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, unquote

from embeddings.documents import Document
from qa.answer import Answer, Citation
from qa.evidence import human_date
from qa.quotes import Quote, SourceRef

_MARKER = re.compile(r"\[(\d+)\]")
_HREF = re.compile(r'href="(#cite=[^"]+)"')
CITE_PREFIX = "#cite="


def ref_value(ref: SourceRef, also: Iterable[SourceRef] = ()) -> str:
    """What a citation link carries: the quote's document and offsets, and its repeats.

    Example:
        >>> r = SourceRef("003", "T", None, "", "", "003.txt", 584, 1049)
        >>> parse_ref(ref_value(r))
        ('003', 584, 1049, [])
    """
    raw = json.dumps([ref.doc_id, ref.start, ref.end, [[a.doc_id, a.start, a.end] for a in also]], separators=(",", ":"))
    return CITE_PREFIX + quote(raw, safe="")


def parse_ref(value: str) -> tuple[str, int, int, list[tuple[str, int, int]]] | None:
    """(doc_id, start, end, repeats) of a citation link's value, or None if it is not one.

    The UI appends a click counter after a record separator so that clicking the same
    citation twice still fires; it is ignored here.
    """
    value = (value or "").split("\x1e")[0]
    if not value.startswith(CITE_PREFIX):
        return None
    try:
        raw = json.loads(unquote(value[len(CITE_PREFIX) :]))
        doc_id, start, end = str(raw[0]), int(raw[1]), int(raw[2])
        repeats = [(str(d), int(a), int(b)) for d, a, b in (raw[3] if len(raw) > 3 else [])]
        return doc_id, start, end, repeats
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def refs_in(rendered: str) -> list[str]:
    """The citation values of every link in rendered HTML, in order."""
    return [html.unescape(h) for h in _HREF.findall(rendered)]


def _link(ref: SourceRef, label: str, css: str = "qa-cite", also: Iterable[SourceRef] = ()) -> str:
    value = html.escape(ref_value(ref, also), quote=True)
    return f'<a class="{css}" href="{value}" title="{html.escape(ref.title, quote=True)}">{label}</a>'


def _with_links(text: str, citations: dict[int, Citation]) -> str:
    """Escaped answer text whose [n] markers link to their quotes."""
    out = []
    cursor = 0
    for match in _MARKER.finditer(text):
        out.append(html.escape(text[cursor : match.start()]))
        citation = citations.get(int(match.group(1)))
        out.append(_link(citation.quote.ref, f"[{citation.n}]", also=citation.quote.also) if citation else html.escape(match.group()))
        cursor = match.end()
    out.append(html.escape(text[cursor:]))
    return "".join(out).replace("\n", "<br>")


def timing_line(answer: Answer) -> str:
    t = answer.timings_ms
    parts = [f"retrieve {t.get('retrieve', 0):.0f} ms"]
    if t.get("generate", 0) >= 1:
        parts.append(f"compose {t['generate'] / 1000:.1f} s")
    parts.append(answer.method)
    return " · ".join(parts)


def user_html(text: str) -> str:
    """A user's message as the chat shows it: the characters typed, never markup.

    The chat renders no markdown (``render_markdown=False``), so escaping HTML is all it takes
    for ``![q](http://...)`` or ``<img>`` to stay text; line breaks are kept.

    Example:
        >>> user_html("![q](http://x/q.png) <b>\\nwhy")
        '![q](http://x/q.png) &lt;b&gt;<br>why'
    """
    return html.escape(text).replace("\n", "<br>")


def user_text(content: str) -> str:
    """The text a user typed, from ``user_html`` (which never leaves a literal ``<br>``)."""
    return html.unescape(content.replace("<br>", "\n"))


def _sources_html(citations: Iterable[Citation]) -> str:
    """The answer's sources, one entry per statement: its title, date and speaker once, then
    each of its quotes by number (several points of one statement do not repeat its title)."""
    by_doc: dict[str, list[Citation]] = {}
    for c in citations:
        by_doc.setdefault(c.quote.ref.doc_id, []).append(c)
    entries = []
    for cited in by_doc.values():
        ref = cited[0].quote.ref
        heading = f"{html.escape(ref.title)} · {human_date(ref.date)} · {html.escape(ref.speaker or ref.doc_type)}"
        quotes = []
        for c in cited:
            words = c.quote.text.split()
            opening = " ".join(words[:9]) + ("…" if len(words) > 9 else "")
            label = f'[{c.n}] <span class="qa-opening">“{html.escape(opening)}”</span>'
            also = "".join(
                f" · also in {_link(a, html.escape(a.title) + ', ' + human_date(a.date), 'qa-cite qa-also')}" for a in c.quote.also
            )
            quotes.append(f"{_link(c.quote.ref, label, 'qa-cite qa-source', c.quote.also)}{also}")
        if len(quotes) == 1:
            entries.append(f'<li><span class="qa-statement">{heading}</span> {quotes[0]}</li>')
        else:
            points = "".join(f"<li>{q}</li>" for q in quotes)
            entries.append(f'<li><span class="qa-statement">{heading}</span><ul class="qa-points">{points}</ul></li>')
    return f'<ol class="qa-sources">{"".join(entries)}</ol>'


def answer_html(answer: Answer) -> str:
    """An answer as a chat message: text with citation links, its sources, its timings."""
    if answer.status == "not_found":
        return (
            '<div class="qa-notfound"><strong>Not found in the documents.</strong> '
            f"{html.escape(answer.text)}</div>"
            f'<div class="qa-timing">{html.escape(timing_line(answer))}</div>'
        )
    by_n = {c.n: c for c in answer.citations}
    return (
        f'<div class="qa-answer">{_with_links(answer.text, by_n)}</div>'
        f"{_sources_html(answer.citations)}"
        f'<div class="qa-timing">{html.escape(timing_line(answer))}</div>'
    )


def draft_html(draft: str, quotes: Sequence[Quote] = ()) -> str:
    """The model's text while it streams, before verification, above the quotes it was given.

    Its [n] markers link to those quotes; the verified answer that follows replaces it all.
    """
    citations = [Citation(n, q) for n, q in enumerate(quotes, start=1)]
    text = _with_links(draft, {c.n: c for c in citations})
    status = "composing…" if draft.strip("… ") else "quotes found; composing the answer…" if quotes else "composing…"
    return (
        f'<div class="qa-answer qa-draft">{text}</div>'
        + (_sources_html(citations) if citations else "")
        + f'<div class="qa-timing">{status}</div>'
    )


def source_html(doc: Document, start: int, end: int, also: Iterable[SourceRef] = ()) -> str:
    """The source panel: the document's facts and its whole text with the quote marked."""
    quote = doc.text[start:end]
    facts = [
        ("Title", doc.title),
        ("Date", human_date(doc.date)),
        ("Speaker", doc.speaker or "—"),
        ("Type", doc.doc_type),
        ("Publisher", doc.publisher or "—"),
        ("Source file", doc.source),
        ("Characters", f"{start}–{end}"),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in facts)
    others = "".join(f"<li>{_link(a, html.escape(a.title) + ' · ' + human_date(a.date))}</li>" for a in also)
    body = f'{html.escape(doc.text[:start])}<mark class="qa-hl">{html.escape(quote)}</mark>{html.escape(doc.text[end:])}'
    return (
        f'<div class="qa-panel"><h3>{html.escape(doc.title)}</h3><table class="qa-facts">{rows}</table>'
        f'<blockquote class="qa-quote">{html.escape(quote)}</blockquote>'
        f'<button class="qa-copy" type="button" data-quote="{html.escape(quote, quote=True)}">Copy quote</button>'
        + (f'<p class="qa-also-title">The same words also appear in:</p><ul>{others}</ul>' if others else "")
        + f'<div class="qa-doc">{body}</div></div>'
    )


EMPTY_PANEL = '<div class="qa-panel qa-empty">Click a citation such as <b>[1]</b> to see the quoted words in their document.</div>'
