"""Read one file of any supported format into the text the product stores for it.

    .txt       decoded (UTF-8, else the detected encoding), mojibake repaired (ftfy)
    .md        the same, then read as the text its Markdown shows (markdown-it)
    .html .htm the page's main content (trafilatura), menus, footers and scripts left out
    .pdf       the text layer of a born-digital PDF (pypdfium2), pages separated by a form feed
    .docx      the paragraphs and table cells of a Word file (python-docx)

The stored text is what every offset points into: a quote is always ``text[start:end]`` of
it, and it is what the source panel shows. Line breaks are normalised to ``\\n``; nothing
else is rewritten after this step (unwrapping and de-hyphenation work on offsets, elsewhere).
This module does not find boilerplate inside the text, nor metadata (see ``boilerplate`` and
``metadata``).
"""

from __future__ import annotations

import calendar
import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from embeddings.errors import DocumentError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
#: Files larger than this are skipped with a warning: a statement is not a book.
MAX_FILE_BYTES = 20_000_000
#: A PDF whose text layer holds fewer characters per page than this is taken for a scan.
MIN_PDF_CHARS_PER_PAGE = 20
#: Page separator in stored PDF text; the layout step treats it as a paragraph break.
PAGE_BREAK = "\f"


@dataclass(frozen=True)
class Extracted:
    """The stored text of one file, with what the format itself says about it.

    ``title_hint`` is a title the format declares (an HTML headline, a Word title);
    ``header_hints`` are texts outside the body that may carry its date or publisher (an
    HTML ``<title>``); ``dropped`` counts characters of visible text left out as page
    furniture at extraction (HTML menus and footers); ``pages`` are the offsets where PDF
    pages start; ``author`` is the byline a page declares or shows outside its main text
    ("Samuel Okafor; Port Director · June 8"), as the page gives it.
    """

    text: str
    kind: str
    title_hint: str = ""
    header_hints: tuple[str, ...] = ()
    dropped: int = 0
    pages: tuple[int, ...] = ()
    author: str = ""


def read_file(path: Path, source: str) -> Extracted:
    """The stored text of one file.

    Raises:
        DocumentError: if the file cannot be read, is empty, too large, binary, a scan, or
            in an unknown format. The message names the file and what to do.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(f"{source}: {size:,} bytes is larger than the {MAX_FILE_BYTES:,}-byte limit; split it or leave it out")
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{source}: cannot be read ({error.strerror or error}); check its permissions") from error
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        extracted = _pdf(raw, source)
    elif suffix == ".docx":
        extracted = _docx(raw, source)
    elif suffix in (".html", ".htm"):
        extracted = _html(decode(raw, source), source)
    elif suffix == ".md":
        extracted = Extracted(_markdown(repair(decode(raw, source))), "text")
    elif suffix == ".txt":
        extracted = Extracted(repair(decode(raw, source)), "text")
    else:
        raise DocumentError(f"{source}: unsupported format {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    text = _normalise_breaks(extracted.text)
    if not text.strip():
        raise DocumentError(f"{source}: has no text")
    return Extracted(text, extracted.kind, extracted.title_hint, extracted.header_hints, extracted.dropped, extracted.pages, extracted.author)


def _markdown(source: str) -> str:
    """Markdown as the text a reader sees: "# Title" is "Title", "**March 1**" is "March 1",
    "[45 buses](https://...)" is "45 buses"; each block on its own line, blocks apart."""
    from markdown_it import MarkdownIt

    # A line break inside a block is a space (hard-wrapped text); each block ends a paragraph.
    rendered = MarkdownIt("commonmark").render(source).replace("\n", " ")
    blocks = re.sub(r"(?i)(</(?:p|h[1-6]|li|pre|tr)>|<br\s*/?>)", r"\1\n", rendered)
    return "\n\n".join(_visible_text(blocks).splitlines())


def _normalise_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Single-byte code pages by how widespread they are, for bytes that read equally well in several.
_COMMON_CODE_PAGES = ("cp1252", "latin_1", "iso8859_15")


def _utf16_without_mark(raw: bytes) -> str | None:
    """UTF-16 text saved without its byte-order mark, or None: Latin text in UTF-16 has a zero
    byte in every other place (the odd ones little-endian, the even ones big-endian).

    Example:
        >>> _utf16_without_mark("Bike lanes".encode("utf-16-le"))
        'Bike lanes'
        >>> _utf16_without_mark(b"\\x00\\x01\\x02 not text") is None
        True
    """
    sample = raw[:4096]
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros and zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.01 * len(other):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                return None
            return text if all(c.isprintable() or c.isspace() for c in text[:2048]) else None
    return None


def decode(raw: bytes, source: str) -> str:
    """Bytes as text: UTF-8 (with or without BOM), else the encoding charset detection finds.

    Raises:
        DocumentError: for binary content or an encoding that cannot be determined.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        unmarked = _utf16_without_mark(raw)
        if unmarked is None:
            raise DocumentError(f"{source}: looks like a binary file, not text; a text file saved as UTF-8 can be indexed")
        return unmarked
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(raw)
    best = results.best()
    if best is None:
        raise DocumentError(f"{source}: its text encoding cannot be determined; save it as UTF-8")
    # Bytes that several code pages read equally well (a few accented letters in Latin text)
    # are read as the most widespread one: "Lefèvre" in Windows-1252, not "Lefčvre" in 1250.
    tied = [m for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    best = next((m for preferred in _COMMON_CODE_PAGES for m in tied if m.encoding == preferred), best)
    log.info("%s: read as %s", source, best.encoding)
    return str(best)


def repair(text: str) -> str:
    """Undo mojibake such as double-encoded UTF-8 ("â€”" for "—"), keeping everything else.

    Curly quotes, ligatures and full-width characters are left as the document wrote them:
    only broken encodings are fixed.
    """
    import ftfy

    return ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        fix_line_breaks=False,
        unescape_html=False,
        normalization="NFC",
    )


# ---------------------------------------------------------------- HTML

_HTML_START = re.compile(r"(?i)<html[\s>]")
_TITLE = re.compile(r"(?is)<title[^>]*>(.*?)</title>")


def _html(markup: str, source: str) -> Extracted:
    """The main content of a saved page, as one paragraph per line.

    Some saved pages hold several documents back to back (a stub, then the real page): each
    is extracted and the longest main text wins.
    """
    import html as html_lib

    import trafilatura

    markup = repair(markup)
    starts = [m.start() for m in _HTML_START.finditer(markup)] or [0]
    pieces = [markup[a:b] for a, b in zip([0, *starts[1:]], [*starts[1:], len(markup)], strict=True)]
    best_text, best_title, best_piece, best_author = "", "", markup, ""
    for piece in pieces:
        if not re.search(r"<(?:body|p|div|h\d)\b", piece, re.IGNORECASE):
            continue
        with warnings.catch_warnings(), _quiet("trafilatura", "htmldate", "courlan"):
            warnings.simplefilter("ignore")
            result = trafilatura.bare_extraction(piece, include_tables=True, favor_recall=True, with_metadata=True)
        if result is None:
            continue
        text = (result.text if hasattr(result, "text") else result.get("text")) or ""
        if len(text) > len(best_text):
            title = (result.title if hasattr(result, "title") else result.get("title")) or ""
            author = (result.author if hasattr(result, "author") else result.get("author")) or ""
            best_text, best_title, best_piece, best_author = text, title, piece, author
    page_titles = tuple(" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", t)).split()) for t in _TITLE.findall(markup))
    if not best_text.strip():
        # No main content found (a page of links, a fragment): keep all visible text.
        best_text = _visible_text(markup)
    visible = len(re.sub(r"\s", "", _visible_text(best_piece)))
    dropped = max(0, visible - len(re.sub(r"\s", "", best_text)))
    hints = tuple(t for t in page_titles if t)
    published = _published(best_piece)
    return Extracted(best_text, "html", best_title.strip(), (*hints, published) if published else hints, dropped, author=best_author.strip())


def _published(markup: str) -> str:
    """The publication date a page's markup declares (``article:published_time``, ``<time>``,
    JSON-LD), as words ("30 August 2016"), or "". Only what the markup says, never a guess from
    its text: the text's own dateline outranks it (``embeddings.dates``)."""
    from htmldate import find_date

    with warnings.catch_warnings(), _quiet("htmldate"):
        warnings.simplefilter("ignore")
        try:
            found = find_date(markup, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
        except (ValueError, TypeError):
            return ""
    if not found:
        return ""
    year, month, day = (int(part) for part in found.split("-"))
    return f"{day} {calendar.month_name[month]} {year}"


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Silence libraries that log every malformed page as an error; ours is the one message."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _visible_text(markup: str) -> str:
    """All text a browser would show, one block per line (for fallbacks and inspection)."""
    import lxml.html
    from lxml import etree

    try:
        # Bytes with their encoding said: undeclared, lxml reads them as Latin-1 ("ZoÃ«").
        tree = lxml.html.fromstring(markup.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", markup)
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def html_boilerplate_lines(markup: str, main_text: str) -> list[str]:
    """Visible lines of a page that its main content leaves out (for ``qa inspect``)."""
    kept = {" ".join(line.split()) for line in main_text.split("\n")}
    repaired = repair(markup)
    starts = [m.start() for m in _HTML_START.finditer(repaired)] or [0]
    piece = max((repaired[a:b] for a, b in zip([0, *starts[1:]], [*starts[1:], len(repaired)], strict=True)), key=len)
    return [line for line in _visible_text(piece).split("\n") if line not in kept and not any(line in k for k in kept)]


# ---------------------------------------------------------------- PDF


def _pdf(raw: bytes, source: str) -> Extracted:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        raise DocumentError(f"{source}: not a readable PDF ({error})") from error
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(_normalise_breaks(textpage.get_text_range()))
            textpage.close()
            page.close()
    finally:
        document.close()
    chars = sum(len(t.strip()) for t in texts)
    if chars < MIN_PDF_CHARS_PER_PAGE * max(1, len(texts)):
        raise DocumentError(f"{source}: a scanned PDF without a text layer ({chars} characters in {len(texts)} pages); skipped, run OCR on it first")
    # pdfium marks a hyphen it saw at a line end with U+0002 and may emit NULs: show a hyphen.
    texts = [t.replace("\x02", "-").replace("\x00", "").replace("\ufffe", "-") for t in texts]
    pages, offset = [], 0
    for text in texts:
        pages.append(offset)
        offset += len(text) + len(PAGE_BREAK)
    return Extracted(PAGE_BREAK.join(texts), "pdf", pages=tuple(pages))


# ---------------------------------------------------------------- Word


def _docx(raw: bytes, source: str) -> Extracted:
    from docx import Document as WordDocument
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = WordDocument(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise DocumentError(f"{source}: not a readable Word (.docx) file ({error})") from error
    except Exception as error:  # zipfile.BadZipFile and lxml errors from damaged files
        raise DocumentError(f"{source}: not a readable Word (.docx) file ({type(error).__name__}: {error})") from error
    blocks = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
            if cells:
                blocks.append(" | ".join(cells))
    # Word paragraphs are real paragraphs: a blank line between them keeps them apart.
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    return Extracted(text, "docx", title_hint=(word.core_properties.title or "").strip())
