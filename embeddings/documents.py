"""Read a folder of documents and the facts about each: title, date, speakers, type, publisher.

Facts come from the text where it states them; an optional sidecar ``metadata.json`` in the
folder supplies or corrects what the text lacks. The stored text is the file's text unchanged
(HTML and PDF are reduced to their visible text once, at reading time), so every offset into
it is an offset into what the user can open.

Unreadable, empty or binary files are reported through a warning and skipped; they never stop
the rest of the folder from being read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from embeddings.dates import StatementDate, extract_date, find_release_number, parse_iso
from embeddings.errors import DocumentError
from embeddings.text import complement_spans, debris_spans, sentence_spans

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
SIDECAR_NAME = "metadata.json"
#: Files larger than this are skipped with a warning: a statement is not a book.
MAX_FILE_BYTES = 20_000_000

# Document types recognised from a title, most specific first.
_TYPES = (
    ("joint press conference", "press conference"),
    ("press conference", "press conference"),
    ("joint press statement", "joint statement"),
    ("joint statement", "joint statement"),
    ("joint press point", "press point"),
    ("press point", "press point"),
    ("courtesy call", "courtesy call"),
    ("operational update", "operational update"),
    ("news release", "press release"),
    ("press release", "press release"),
    ("immediate release", "press release"),
    ("declaration", "declaration"),
    ("speech", "speech"),
    ("remarks", "speech"),
    ("interview", "interview"),
)
_ROLES = r"(?:Secretary[- ]General|Deputy Secretary[- ]General|Prime Minister|Foreign Minister|Minister|President|Ambassador|Chancellor|Spokesperson|Commander|General)"
_HONORIFIC = r"(?:,?\s*H\.E\.)?(?:\s*(?:Mr|Mrs|Ms|Dr)\.?)?"
_NAME = r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3})"
_SPEAKER = re.compile(rf"\b{_ROLES}{_HONORIFIC}\s+{_NAME}|H\.E\.\s*(?:Mr|Mrs|Ms|Dr)\.?\s+{_NAME.replace('name', 'name2')}")
_PUBLISHERS = (
    re.compile(r"NEWS RELEASE\s+(?P<org>[A-Z][A-Za-z ]+?)\s*[-–]", re.IGNORECASE),
    # "ISAF Joint Command - Afghanistan", "Regional Command South ... Task Force Release"
    re.compile(r"(?P<org>(?:[A-Z][A-Za-z]+ ){1,5}(?:Command|Task Force))(?:\s*[-–]\s*Afghanistan| Release)"),
)


@dataclass(frozen=True)
class Document:
    """One statement: its exact text and the facts a reader needs to judge a quote from it.

    ``doc_id`` is the file's path inside the corpus folder without its suffix; ``content_hash``
    changes whenever the text or the facts change, so an index can tell what to re-embed.
    """

    doc_id: str
    source: str
    text: str
    title: str
    date: StatementDate | None
    speakers: tuple[str, ...]
    doc_type: str
    publisher: str
    content_hash: str

    @property
    def speaker(self) -> str:
        """Who speaks, for display: the named speakers, else the publisher."""
        return ", ".join(self.speakers) or self.publisher


@dataclass(frozen=True)
class ReadProblem:
    """A file that could not be read, and why (for the ingestion summary)."""

    source: str
    reason: str


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML page, with block elements as line breaks."""

    _BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 tr section article header footer title".split())
    _HIDDEN = frozenset("script style noscript template head".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._hidden_depth:
            self.parts.append(data)

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in joined.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _decode(raw: bytes, source: str) -> str:
    if b"\x00" in raw[:4096]:
        raise DocumentError(f"{source}: looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older releases are often Windows-1252; anything it cannot map is not a text file.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise DocumentError(f"{source}: not UTF-8 or Windows-1252 text ({error.reason})") from error


def read_text(path: Path, source: str) -> tuple[str, str]:
    """The visible text of one file and a title hint (from HTML ``<title>``).

    Raises:
        DocumentError: if the file cannot be read as text, is empty or too large.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(f"{source}: {size} bytes is larger than the {MAX_FILE_BYTES}-byte limit")
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{source}: cannot be read ({error.strerror})") from error
    title_hint = ""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        text = _pdf_text(raw, source)
    else:
        text = _decode(raw, source)
        if suffix in (".html", ".htm"):
            parser = _TextOfHtml()
            parser.feed(text)
            text, title_hint = parser.text(), parser.title.strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{source}: is empty")
    return text, title_hint


def _pdf_text(raw: bytes, source: str) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as error:
        raise DocumentError(f"{source}: not a readable PDF ({error})") from error


def extract_title(text: str) -> str:
    """The document's title: its first line, less page furniture and a leading date.

    Releases whose first line is only boilerplate ("2012-04-S-036 For Immediate Release") are
    titled by their release number; failing that, by the start of their first sentence.
    """

    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if not line.strip() or line.strip().startswith("•") or " > " in line:
            continue
        kept = "".join(line[a:b] for a, b in complement_spans(len(line), debris_spans(line)))
        # ISAF titles lead with their date ("Dec. 6: Air Strike ..."), which is metadata.
        kept = re.sub(r"^\s*[A-Z][a-z]{2,4}\.? ?\d{1,2}\s*:\s*", "", kept)
        # Some releases run title and body together on one line: keep the title part.
        kept = re.split(r"\s{2,}|NEWS RELEASE", kept.strip())[0].strip(" -–")
        if len(kept.split()) >= 3:
            return kept[:200]
        break
    release = find_release_number(text[:600])
    if release:
        return f"Press release {release.group()}"
    regions = complement_spans(len(text), debris_spans(text))
    spans = sentence_spans(text, *regions[0]) if regions else []
    first = " ".join(text[spans[0][0] : spans[0][1]].split()) if spans else " ".join(text.split())
    return first[:80] + ("…" if len(first) > 80 else "")


def extract_speakers(text: str, header_chars: int = 600) -> tuple[str, ...]:
    """Named speakers in the header ("NATO Secretary General Jens Stoltenberg")."""
    found: list[str] = []
    for match in _SPEAKER.finditer(text[:header_chars]):
        name = match.group("name") or match.group("name2")
        if name and name not in found:
            found.append(name)
    return tuple(found)


def extract_type(title: str, text: str) -> str:
    """The statement's kind from its title, else from its header."""
    for haystack in (title.lower(), text[:300].lower()):
        for needle, kind in _TYPES:
            if needle in haystack:
                return kind
    return "document"


def extract_publisher(text: str) -> str:
    """The issuing organisation where the header names it ("NEWS RELEASE ISAF Joint Command -")."""
    for pattern in _PUBLISHERS:
        match = pattern.search(text[:600])
        if match:
            return match["org"].strip()
    return ""


def _content_hash(text: str, facts: dict[str, object]) -> str:
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(json.dumps(facts, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()[:32]


def build_document(source: str, text: str, overrides: dict[str, object], title_hint: str = "") -> Document:
    """A Document from text plus sidecar overrides (pure).

    Raises:
        DocumentError: if a sidecar date is not ISO.
    """
    title = str(overrides.get("title") or title_hint or extract_title(text))
    if "date" in overrides:
        try:
            date = parse_iso(str(overrides["date"])) if overrides["date"] else None
        except ValueError as error:
            raise DocumentError(f"{source}: sidecar {error}") from error
    else:
        date = extract_date(text, hint=source)
    speakers = overrides.get("speakers")
    doc_type = str(overrides.get("type") or extract_type(title, text))
    publisher = str(overrides.get("publisher") or extract_publisher(text))
    facts = {
        "title": title,
        "date": date.iso if date else None,
        "speakers": list(speakers) if isinstance(speakers, list) else list(extract_speakers(text)),
        "type": doc_type,
        "publisher": publisher,
    }
    return Document(
        doc_id=str(Path(source).with_suffix("")),
        source=source,
        text=text,
        title=title,
        date=date,
        speakers=tuple(facts["speakers"]),  # type: ignore[arg-type]
        doc_type=doc_type,
        publisher=publisher,
        content_hash=_content_hash(text, facts),
    )


def read_sidecar(folder: Path) -> dict[str, dict[str, object]]:
    """Per-file overrides from ``folder/metadata.json``, keyed by relative path.

    Raises:
        DocumentError: if the sidecar exists but is not valid JSON of the documented shape.
    """
    path = folder / SIDECAR_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DocumentError(f"{path}: not valid JSON ({error}); fix or remove it") from error
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        raise DocumentError(f'{path}: expected {{"documents": {{"file.txt": {{...}}}}}}')
    return {str(k): v for k, v in documents.items() if isinstance(v, dict)}


def corpus_files(folder: Path) -> list[Path]:
    """The readable-looking files of a corpus folder, recursively, in a stable order."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def read_corpus(folder: Path) -> Iterator[Document | ReadProblem]:
    """Every document of ``folder``, or a ReadProblem for a file that cannot be used.

    Raises:
        DocumentError: if the folder does not exist or its sidecar is broken.
    """
    if not folder.is_dir():
        raise DocumentError(f"corpus folder {folder} does not exist; pass --corpus with a folder of .txt/.md/.html/.pdf files")
    sidecar = read_sidecar(folder)
    for path in corpus_files(folder):
        source = path.relative_to(folder).as_posix()
        try:
            text, title_hint = read_text(path, source)
            yield build_document(source, text, sidecar.get(source, {}), title_hint)
        except DocumentError as error:
            log.warning("skipped %s", error)
            yield ReadProblem(source, str(error))
