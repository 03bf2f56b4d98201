"""HTML for the browser UI: answers with clickable citations, and the source panel. Pure.

Every piece of document or user text passes through ``html.escape`` before it reaches the
page, so HTML or script in a question or a document is shown as text, never run. Citation
links carry their document, offsets and a fingerprint of the quoted words in their own
``href`` ("#cite=" + URL-encoded JSON; the chat's sanitizer keeps hrefs but drops data
attributes), so an answer's sources stay inspectable however many questions follow, and a
link whose document has changed since can be told apart from one that still holds.
It does not look documents up: callers pass the words a reference stands for.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

from embeddings.documents import Document
from qa.answer import Answer, Citation
from qa.evidence import human_date
from qa.quotes import Quote, SourceRef

_MARKER = re.compile(r"\[(\d+)\]")
_HREF = re.compile(r'href="(#cite=[^"]+)"')
CITE_PREFIX = "#cite="
COPY_PREFIX = "#copy="
#: Hex digits of a quote's SHA-1 a link keeps: enough to tell edited words apart, short in a URL.
FINGERPRINT_HEX = 12

#: The words a reference stands for in the current index, or None when its document is gone.
WordsOf = Callable[[SourceRef], str | None]


def fingerprint(words: str) -> str:
    """A short fingerprint of quoted words, exact to the character.

    Example:
        >>> fingerprint("We condemn the test.")
        '6912ac3ca9b5'
    """
    return hashlib.sha1(words.encode("utf-8", "surrogatepass")).hexdigest()[:FINGERPRINT_HEX]


@dataclass(frozen=True)
class Cite:
    """What a citation link carries: where the quoted words stand and their fingerprint.

    ``fingerprint`` is None for a link made before links carried one: it cannot be checked.
    """

    doc_id: str
    start: int
    end: int
    fingerprint: str | None = None
    also: tuple[Cite, ...] = ()


def ref_value(ref: SourceRef, words: str | None, also: Iterable[tuple[SourceRef, str | None]] = ()) -> str:
    """A citation link's value: the quote's document, offsets and fingerprint, and its repeats'.

    ``words`` are the document's characters at the offsets (None: unknown, no fingerprint).

    Example:
        >>> r = SourceRef("003", "T", None, "", "", "003.txt", 0, 20)
        >>> parse_ref(ref_value(r, "We condemn the test."))
        Cite(doc_id='003', start=0, end=20, fingerprint='6912ac3ca9b5', also=())
    """

    def mark(words: str | None) -> str | None:
        return fingerprint(words) if words is not None else None

    repeats = [[a.doc_id, a.start, a.end, mark(w)] for a, w in also]
    raw = json.dumps([ref.doc_id, ref.start, ref.end, repeats, mark(words)], separators=(",", ":"))
    return CITE_PREFIX + quote(raw, safe="")


def parse_ref(value: str) -> Cite | None:
    """The citation a link's value names, or None if it is not one.

    Links made before fingerprints ("[doc, start, end, [[doc, start, end], ...]]") still parse,
    with no fingerprint. The UI appends a click counter after a record separator so that
    clicking the same citation twice still fires; it is ignored here (``click_count`` reads it).
    """
    value = (value or "").split("\x1e")[0]
    if not value.startswith(CITE_PREFIX):
        return None
    try:
        raw = json.loads(unquote(value[len(CITE_PREFIX) :]))
        repeats = tuple(
            Cite(str(r[0]), int(r[1]), int(r[2]), _fingerprint_of(r[3] if len(r) > 3 else None)) for r in (raw[3] if len(raw) > 3 else [])
        )
        return Cite(str(raw[0]), int(raw[1]), int(raw[2]), _fingerprint_of(raw[4] if len(raw) > 4 else None), repeats)
    except (ValueError, TypeError, IndexError, KeyError):
        return None


def _fingerprint_of(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{1,40}", value):
        raise ValueError(f"not a fingerprint: {value!r}")
    return value


def click_count(value: str) -> int:
    """The click counter the UI appends to a link's value after a record separator (0: none)."""
    _, _, count = (value or "").partition("\x1e")
    return int(count) if count.isdigit() else 0


def refs_in(rendered: str) -> list[str]:
    """The citation values of every link in rendered HTML, in order."""
    return [html.unescape(h) for h in _HREF.findall(rendered)]


def _link(quote: Quote, label: str, words_of: WordsOf, css: str = "qa-cite") -> str:
    """A link to a quote's words, with its repeats elsewhere."""
    value = ref_value(quote.ref, quote.text, [(a, words_of(a)) for a in quote.also])
    return f'<a class="{css}" href="{html.escape(value, quote=True)}" title="{html.escape(quote.ref.title, quote=True)}">{label}</a>'


def _ref_link(ref: SourceRef, words: str | None, label: str, css: str = "qa-cite") -> str:
    """A link to a reference's words (a repeat in another document), with no repeats of its own."""
    value = ref_value(ref, words)
    return f'<a class="{css}" href="{html.escape(value, quote=True)}" title="{html.escape(ref.title, quote=True)}">{label}</a>'


def _with_links(text: str, citations: dict[int, Citation], words_of: WordsOf) -> str:
    """Escaped answer text whose [n] markers link to their quotes."""
    out = []
    cursor = 0
    for match in _MARKER.finditer(text):
        out.append(html.escape(text[cursor : match.start()]))
        citation = citations.get(int(match.group(1)))
        out.append(_link(citation.quote, f"[{citation.n}]", words_of) if citation else html.escape(match.group()))
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


def _opening(text: str, most: int = 9) -> str:
    words = text.split()
    return " ".join(words[:most]) + ("…" if len(words) > most else "")


def _sources_html(citations: Iterable[Citation], words_of: WordsOf) -> str:
    """The answer's sources, one entry per statement: its title, date and speaker once, then
    each of its quotes by number (several points of one statement do not repeat its title),
    then the other statements that hold the same words, once each."""
    by_doc: dict[str, list[Citation]] = {}
    for c in citations:
        by_doc.setdefault(c.quote.ref.doc_id, []).append(c)
    entries = []
    for cited in by_doc.values():
        ref = cited[0].quote.ref
        # A statement naming no speaker shows none: its type in that place read as one ("· document").
        speaker = f" · {html.escape(ref.speaker)}" if ref.speaker else ""
        heading = f"{html.escape(ref.title)} · {human_date(ref.date)}{speaker}"
        quotes = [
            _link(c.quote, f'[{c.n}] <span class="qa-opening">“{html.escape(_opening(c.quote.text))}”</span>', words_of, "qa-cite qa-source")
            for c in cited
        ]
        # The same repeat is found for each quote of a statement reprinted elsewhere: name it once.
        repeats = {a.doc_id: a for c in cited for a in c.quote.also}
        also = "".join(
            f" · also in {_ref_link(a, words_of(a), html.escape(a.title) + ', ' + human_date(a.date), 'qa-cite qa-also')}"
            for a in repeats.values()
        )
        if len(quotes) == 1:
            entries.append(f'<li><span class="qa-statement">{heading}</span> {quotes[0]}{also}</li>')
        else:
            points = "".join(f"<li>{q}</li>" for q in quotes)
            tail = f'<div class="qa-also-line">{also.removeprefix(" · ")}</div>' if also else ""
            entries.append(f'<li><span class="qa-statement">{heading}</span><ul class="qa-points">{points}</ul>{tail}</li>')
    return f'<ol class="qa-sources">{"".join(entries)}</ol>'


def plain_text(answer: Answer) -> str:
    """An answer as plain text for the clipboard: its [n] markers, then each quote in full.

    Example:
        >>> r = SourceRef("003", "Joint statement", "2017-10-31", "Jens Stoltenberg", "statement", "003.txt", 0, 20)
        >>> q = Quote(r, "We condemn the test.", 1.0, 1.0, 1.0, 1.0)
        >>> print(plain_text(Answer("q", "answered", "NATO condemned it [1].", (Citation(1, q),), {}, "extractive")))
        NATO condemned it [1].
        <BLANKLINE>
        Sources
        [1] “We condemn the test.” Joint statement, 31 October 2017, Jens Stoltenberg (003.txt)
    """
    if answer.status == "not_found":
        return f"Not found in the documents. {answer.text}"
    lines = [answer.text.strip(), "", "Sources"]
    for c in answer.citations:
        ref = c.quote.ref
        who = f", {ref.speaker}" if ref.speaker else ""
        lines.append(f"[{c.n}] “{' '.join(c.quote.text.split())}” {ref.title}, {human_date(ref.date)}{who} ({ref.source})")
    return "\n".join(lines)


def _copy_link(answer: Answer) -> str:
    """A link the page turns into a copy of the answer's plain text (the chat's own copy
    button copies a message's HTML, and Gradio offers no way to change what it copies)."""
    value = html.escape(COPY_PREFIX + quote(plain_text(answer), safe=""), quote=True)
    return f'<a class="qa-copy-answer" href="{value}" title="Copy this answer as plain text, with its sources">Copy answer</a>'


def answer_html(answer: Answer, words_of: WordsOf) -> str:
    """An answer as a chat message: text with citation links, its sources, its timings.

    ``words_of`` gives the current words of a repeat's offsets, for its link's fingerprint.
    """
    footer = f'<div class="qa-timing">{html.escape(timing_line(answer))} · {_copy_link(answer)}</div>'
    if answer.status == "not_found":
        return f'<div class="qa-notfound"><strong>Not found in the documents.</strong> {html.escape(answer.text)}</div>{footer}'
    by_n = {c.n: c for c in answer.citations}
    return f'<div class="qa-answer">{_with_links(answer.text, by_n, words_of)}</div>{_sources_html(answer.citations, words_of)}{footer}'


def draft_html(draft: str, words_of: WordsOf, quotes: Sequence[Quote] = ()) -> str:
    """The model's text while it streams, before verification, above the quotes it was given.

    Its [n] markers link to those quotes; the verified answer that follows replaces it all.
    """
    citations = [Citation(n, q) for n, q in enumerate(quotes, start=1)]
    text = _with_links(draft, {c.n: c for c in citations}, words_of)
    status = "composing…" if draft.strip("… ") else "quotes found; composing the answer…" if quotes else "composing…"
    return (
        f'<div class="qa-answer qa-draft">{text}</div>'
        + (_sources_html(citations, words_of) if citations else "")
        + f'<div class="qa-timing">{status}</div>'
    )


#: Heads every panel a citation opens. Where the panel stands under the chat (a narrow window,
#: where it has scrolled the answer out of view) the page shows it and it leads back to the
#: citation that was clicked; beside the chat the page hides it.
BACK = '<button class="qa-back" type="button">← Back to the answer</button>'
#: Said in the panel instead of a highlight when the cited words are no longer at their offsets.
CHANGED = "This document has changed since this answer was given; ask again to quote its current words."
#: Said above a highlight that a link without a fingerprint (an older page's) points to.
UNCHECKED = (
    "This citation comes from a page opened before citations could be checked against their "
    "document, so the highlight may not be the words quoted if the document has changed since; ask again to be sure."
)


def source_html(
    doc: Document, start: int, end: int, also: Iterable[tuple[SourceRef, str]] = (), checked: bool = True, click: int = 0
) -> str:
    """The source panel: the document's facts and its whole text with the quote marked.

    ``also`` lists the other places the words stand, each with its words there.
    ``checked`` is False for a link whose words could not be checked (see ``UNCHECKED``);
    ``click`` numbers clicks on a citation, so a second click on the same one is still a change
    the page acts on (it scrolls the highlight back into view).
    """
    quote_ = doc.text[start:end]
    facts = [
        ("Date", human_date(doc.date)),
        ("Speaker", doc.speaker or "—"),
        ("Type", doc.doc_type),
        ("Publisher", doc.publisher or "—"),
        ("Source file", doc.source),
        ("Characters", f"{start}–{end}"),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in facts)
    others = "".join(f"<li>{_ref_link(a, doc_words, html.escape(a.title) + ' · ' + human_date(a.date))}</li>" for a, doc_words in also)
    body = f'{html.escape(doc.text[:start])}<mark class="qa-hl">{html.escape(quote_)}</mark>{html.escape(doc.text[end:])}'
    warning = "" if checked else f'<p class="qa-warning">{html.escape(UNCHECKED)}</p>'
    return (
        f'<div class="qa-panel" data-click="{click}">{BACK}<h3>{html.escape(doc.title)}</h3><table class="qa-facts">{rows}</table>{warning}'
        f'<blockquote class="qa-quote">{html.escape(quote_)}</blockquote>'
        f'<button class="qa-copy" type="button" data-quote="{html.escape(quote_, quote=True)}">Copy quote</button>'
        + (f'<p class="qa-also-title">The same words also appear in:</p><ul>{others}</ul>' if others else "")
        + f'<div class="qa-doc">{body}</div></div>'
    )


def changed_html(doc: Document, click: int = 0) -> str:
    """The source panel for a citation whose words are no longer at their offsets."""
    return (
        f'<div class="qa-panel" data-click="{click}">{BACK}<h3>{html.escape(doc.title)}</h3>'
        f'<p class="qa-warning">{html.escape(CHANGED)}</p></div>'
    )


def gone_html(click: int = 0) -> str:
    """The source panel for a citation whose document is no longer in the index."""
    return f'<div class="qa-panel qa-empty" data-click="{click}">{BACK}That document is no longer in the index. Ask the question again.</div>'


EMPTY_PANEL = '<div class="qa-panel qa-empty">Click a citation such as <b>[1]</b> to see the quoted words in their document.</div>'
