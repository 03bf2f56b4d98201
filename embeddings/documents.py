"""Read a folder of documents into ``Document`` objects: text, layout and the facts about each.

    file -> stored text (formats) -> furniture (boilerplate) -> paragraphs (layout)
         -> date, title, speakers, type, publisher (dates, metadata) -> Document

An optional sidecar ``metadata.json`` in the folder supplies or corrects what the texts lack.
Subfolders are walked; symbolic links that leave the folder, link loops, unreadable files and
file names that are not valid text are reported and skipped, never followed or fatal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from embeddings.boilerplate import Exclusion, excluded_spans, find_boilerplate
from embeddings.dates import StatementDate, parse_iso, statement_date
from embeddings.errors import DocumentError
from embeddings.formats import SUPPORTED_SUFFIXES, Extracted, read_file
from embeddings.layout import paragraph_spans
from embeddings.metadata import byline_name, extract_publisher, extract_speakers, extract_title, extract_type
from embeddings.text import Span

log = logging.getLogger(__name__)

SIDECAR_NAME = "metadata.json"
#: Version of the reading rules (formats, furniture, layout, metadata). An index built by
#: other rules is rebuilt, because its passages and facts would differ.
INGESTION_VERSION = 21


@dataclass(frozen=True)
class Document:
    """One statement: its stored text, its layout, and the facts a reader needs to judge a quote.

    ``doc_id`` is the file's path inside the corpus folder without its suffix; ``content_hash``
    changes whenever the text or the facts change, so an index can tell what to re-embed.
    ``paragraphs`` are the spans passages are cut from; ``exclusions`` the furniture left out
    (with reasons); ``dropped`` the characters of page furniture left out when the file was
    read (HTML menus, footers).
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
    kind: str = "text"
    paragraphs: tuple[Span, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    dropped: int = 0

    @property
    def speaker(self) -> str:
        """Who speaks, for display: the named speakers, else the publisher."""
        return ", ".join(self.speakers) or self.publisher

    def paragraph_at(self, offset: int) -> Span | None:
        """The paragraph holding a character offset of the text, or None outside them all."""
        return next(((a, b) for a, b in self.paragraphs if a <= offset < b), None)


@dataclass(frozen=True)
class ReadProblem:
    """A file that could not be read, and why (for the ingestion summary)."""

    source: str
    reason: str


def _content_hash(text: str, facts: dict[str, object]) -> str:
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(json.dumps(facts, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()[:32]


def _sidecar_date(overrides: dict[str, object], source: str) -> tuple[bool, StatementDate | None]:
    """Whether the sidecar gives a date that can be used, and that date (None: marked undated).
    A value that is no date is set aside with a warning."""
    if "date" not in overrides:
        return False, None
    try:
        return True, parse_iso(str(overrides["date"])) if overrides["date"] else None
    except ValueError as error:
        log.warning("%s: the sidecar's date is set aside (%s); write it as YYYY-MM-DD", source, error)
        return False, None


def build_document(source: str, extracted: Extracted, overrides: dict[str, object] | None = None) -> Document:
    """A Document from a file's stored text plus sidecar overrides (pure).

    A sidecar value of the wrong shape is logged and set aside.
    """
    overrides = overrides or {}
    text = extracted.text
    exclusions = tuple(find_boilerplate(text, extracted.pages))
    paragraphs = tuple(paragraph_spans(text, excluded_spans(list(exclusions))))
    header = text[: paragraphs[min(len(paragraphs), 10) - 1][1]] if paragraphs else text[:1500]
    title = str(overrides.get("title") or extract_title(text, paragraphs, extracted.title_hint))
    # A sidecar value of the wrong shape is set aside with a warning: the document is still
    # read, with what its own text says.
    given, date = _sidecar_date(overrides, source)
    if not given:
        date = statement_date(text, paragraphs, (extracted.title_hint, *extracted.header_hints), source)
    speakers = overrides.get("speakers")
    if speakers is not None and not (isinstance(speakers, list) and all(isinstance(s, str) for s in speakers)):
        log.warning('%s: the sidecar\'s "speakers" is set aside; write it as a list of names', source)
        speakers = None
    letterhead = [text[e.start : e.end] for e in exclusions if e.reason == "letterhead"]
    facts = {
        "title": title,
        "date": date.iso if date else None,
        "speakers": list(speakers) if speakers is not None else _speakers(text, paragraphs, extracted.author),
        "type": str(overrides.get("type") or extract_type(title, header)),
        "publisher": str(overrides.get("publisher") or extract_publisher(header, letterhead, extracted.header_hints)),
    }
    return Document(
        doc_id=str(Path(source).with_suffix("")),
        source=source,
        text=text,
        title=title,
        date=date,
        speakers=tuple(facts["speakers"]),  # type: ignore[arg-type]
        doc_type=str(facts["type"]),
        publisher=str(facts["publisher"]),
        content_hash=_content_hash(text, {**facts, "rules": INGESTION_VERSION}),
        kind=extracted.kind,
        paragraphs=paragraphs,
        exclusions=exclusions,
        dropped=extracted.dropped,
    )


def _speakers(text: str, paragraphs: Sequence[Span], author: str) -> list[str]:
    """Who speaks: as the text presents them, else the person its page's byline names (a byline
    a page shows apart from its main text: "By Samuel Okafor, Port Director · June 8, 2021")."""
    found = list(extract_speakers(text, paragraphs))
    if not found and (name := byline_name(author)):
        found = [name]
    return found


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
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DocumentError(f"{path}: not valid JSON ({error}); fix or remove it") from error
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        raise DocumentError(f'{path}: expected {{"documents": {{"file.txt": {{...}}}}}}')
    return {str(k): v for k, v in documents.items() if isinstance(v, dict)}


def walk_corpus(folder: Path) -> tuple[list[Path], list[ReadProblem]]:
    """The supported files of a corpus folder, recursively, in a stable order, and the entries
    that were skipped (links leaving the folder, link loops, names that are not valid text,
    pipes and devices, second names of one file).

    Hidden files and folders (".git", ".cache") are not part of a corpus.
    """
    root = folder.resolve()
    files: list[Path] = []
    problems: list[ReadProblem] = []
    seen_dirs: set[str] = set()
    for current, dirs, names in os.walk(root, followlinks=True):
        real = os.path.realpath(current)
        if real in seen_dirs:
            problems.append(ReadProblem(_shown(root, Path(current)), "a symbolic-link loop; not followed"))
            dirs[:] = []
            continue
        seen_dirs.add(real)
        keep = []
        for name in sorted(dirs):
            path = Path(current) / name
            if name.startswith("."):
                continue
            if not _inside(root, path):
                problems.append(ReadProblem(_shown(root, path), "a symbolic link to a folder outside the corpus; not followed"))
                continue
            keep.append(name)
        dirs[:] = keep
        for name in sorted(names):
            path = Path(current) / name
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            shown = _shown(root, path)
            if not _valid_name(path.relative_to(root)):
                problems.append(ReadProblem(shown, "its file name is not valid UTF-8; rename it to index it"))
            elif not _inside(root, path):
                problems.append(ReadProblem(shown, "a symbolic link to a file outside the corpus; not followed"))
            elif not path.exists():
                problems.append(ReadProblem(shown, "a broken symbolic link"))
            elif not path.is_file():
                # Reading a named pipe would wait for a writer forever.
                problems.append(ReadProblem(shown, "not a regular file (a pipe, socket or device); not read"))
            else:
                files.append(path)
    files.sort(key=lambda p: p.relative_to(root).as_posix())
    # A link to a file of the folder names one document twice: it is read once, by its first name.
    first_name: dict[str, Path] = {}
    unique: list[Path] = []
    for path in files:
        real = os.path.realpath(path)
        if real in first_name:
            problems.append(ReadProblem(_shown(root, path), f"a link to {_shown(root, first_name[real])}, which is read once, under that name"))
        else:
            first_name[real] = path
            unique.append(path)
    return unique, problems


def corpus_files(folder: Path) -> list[Path]:
    """The supported files of a corpus folder (see ``walk_corpus``)."""
    return walk_corpus(folder)[0]


def _inside(root: Path, path: Path) -> bool:
    real = os.path.realpath(path)
    return real == str(root) or real.startswith(str(root) + os.sep)


def _valid_name(relative: Path) -> bool:
    try:
        relative.as_posix().encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(root: Path, path: Path) -> str:
    """A printable name for any path (undecodable bytes shown as escapes)."""
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = str(path)
    return relative.encode("utf-8", "backslashreplace").decode("utf-8")


def read_document(folder: Path, path: Path, sidecar: dict[str, dict[str, object]]) -> Document:
    """One file of a corpus folder as a Document.

    Raises:
        DocumentError: if it cannot be read (the message names the file and the reason).
    """
    source = path.relative_to(folder.resolve()).as_posix()
    return build_document(source, read_file(path, source), sidecar.get(source, {}))


def read_corpus(folder: Path) -> Iterator[Document | ReadProblem]:
    """Every document of ``folder``, or a ReadProblem for an entry that cannot be used.

    Raises:
        DocumentError: if the folder does not exist or its sidecar is broken.
    """
    if not folder.is_dir():
        raise DocumentError(f"corpus folder {folder} does not exist; pass --corpus with a folder of {'/'.join(SUPPORTED_SUFFIXES)} files")
    sidecar = read_sidecar(folder)
    files, problems = walk_corpus(folder)
    yield from problems
    for path in files:
        try:
            yield read_document(folder, path, sidecar)
        except DocumentError as error:
            yield ReadProblem(path.relative_to(folder.resolve()).as_posix(), str(error))
