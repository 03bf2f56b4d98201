"""The manifest of an index: what it was built from and with, and checksums of its files.

Every load compares it with this code (format and ingestion-rule versions, embedder, passage
settings), with the corpus (a fingerprint of every file's path and bytes) and with the files
beside it (size and sha256 each), and says which command fixes a mismatch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from embeddings.documents import INGESTION_VERSION, SIDECAR_NAME, corpus_files
from embeddings.errors import IndexDamagedError, IndexStaleError
from embeddings.passages import MAX_SENTENCES, MAX_WORDS

# 3: BM25 over Snowball stems, with a sentence of context either side of each passage.
# 4: vocabulary.json, every word of the documents and their metadata.
# 5: documents carry layout, exclusions and kept share; the manifest checksums every file.
# 6: optional strong.npy, EmbeddingGemma vectors of every passage (float16), named in the manifest.
FORMAT_VERSION = 6
PASSAGE_SETTINGS = {"max_sentences": MAX_SENTENCES, "max_words": MAX_WORDS}
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    """What an index was built from and with; compared on every load."""

    format_version: int
    ingestion_version: int
    embedder: str
    dim: int
    corpus_dir: str
    corpus_fingerprint: str
    passage_settings: dict[str, int]
    search: str
    n_documents: int
    n_passages: int
    built_at: str
    # Per data file: {"bytes": size, "sha256": digest}.
    files: dict[str, dict[str, object]] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    # The second, stronger embedder whose vectors are in strong.npy ("" when there are none).
    strong_embedder: str = ""
    strong_dim: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def rebuild_command(corpus_dir: str, index_dir: Path) -> str:
    """The command that rebuilds an index."""
    return f"python -m qa index --corpus {corpus_dir} --index {index_dir}"


def _folder_hash(corpus_dir: Path, mark: Callable[[Path], bytes]) -> str:
    """A hash of every corpus file's path and ``mark`` (and the sidecar's), in a stable order."""
    digest = hashlib.sha256()
    root = corpus_dir.resolve()
    paths = corpus_files(root)
    sidecar = root / SIDECAR_NAME
    if sidecar.exists():
        paths.append(sidecar)
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        try:
            digest.update(mark(path))
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()[:32]


def corpus_fingerprint(corpus_dir: Path) -> str:
    """A hash of every corpus file's path and bytes (and the sidecar): cheap, exact staleness."""
    return _folder_hash(corpus_dir, lambda path: hashlib.sha256(path.read_bytes()).digest())


def corpus_state(corpus_dir: Path) -> str:
    """A hash of every corpus file's path, size and modification time (and the sidecar's): no
    file is read, so a running app can look for changed files before each question. A change
    it reports is confirmed file by file, by content, when the index is brought up to date."""

    def stamp(path: Path) -> bytes:
        stat = path.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}".encode()

    if not corpus_dir.is_dir():
        return "no folder"  # gone: a change, which the update then reports
    return _folder_hash(corpus_dir, stamp)


def file_record(path: Path) -> dict[str, object]:
    """Size and sha256 of one data file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


#: The JSON type each manifest field must have ("files": "oops" is damage, not an index).
_FIELD_TYPES = {"int": int, "str": str, "dict[str, int]": dict, "dict[str, dict[str, object]]": dict, "list[dict[str, str]]": list}


def _typed(manifest: Manifest) -> Manifest:
    """The manifest, if every field holds a value of its type.

    Raises:
        TypeError: naming the first field that does not.
    """
    for spec in fields(manifest):
        value = getattr(manifest, spec.name)
        expected = _FIELD_TYPES[str(spec.type)]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise TypeError(f"its field {spec.name!r} is not a {expected.__name__}")
    if not all(isinstance(record, dict) for record in manifest.files.values()):
        raise TypeError("its field 'files' does not describe each file")
    return manifest


def read_manifest(version: Path, index_dir: Path) -> Manifest:
    """The manifest of one version folder.

    Raises:
        IndexDamagedError: if it is missing or unreadable.
    """
    try:
        return _typed(Manifest(**json.loads((version / MANIFEST_NAME).read_text(encoding="utf-8"))))
    except (OSError, ValueError, TypeError) as error:
        raise IndexDamagedError(
            f"the index in {index_dir} has an unreadable manifest ({error}); rebuild it with: {rebuild_command('DIR', index_dir)}"
        ) from error


def compatible(manifest: Manifest, embedder_name: str, dim: int | None = None) -> bool:
    """Whether this code and this embedder can use an index as it is."""
    return (
        manifest.format_version == FORMAT_VERSION
        and manifest.ingestion_version == INGESTION_VERSION
        and manifest.embedder == embedder_name
        and (dim is None or manifest.dim == dim)
        and manifest.passage_settings == PASSAGE_SETTINGS
    )


def check_compatible(manifest: Manifest, index_dir: Path, embedder_name: str) -> None:
    """Raise IndexStaleError naming the rebuild command when this code cannot use the index."""
    fix = rebuild_command(manifest.corpus_dir, index_dir)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStaleError(f"the index in {index_dir} has format {manifest.format_version}, this version reads {FORMAT_VERSION}; rebuild it with: {fix}")
    if manifest.ingestion_version != INGESTION_VERSION:
        raise IndexStaleError(
            f"the index in {index_dir} was read with older document rules (version {manifest.ingestion_version}, now {INGESTION_VERSION}); rebuild it with: {fix}"
        )
    if manifest.embedder != embedder_name:
        raise IndexStaleError(f"the index in {index_dir} was built with {manifest.embedder}, not {embedder_name}; rebuild it with: {fix}")
    if manifest.passage_settings != PASSAGE_SETTINGS:
        raise IndexStaleError(f"the index in {index_dir} was split into passages differently; rebuild it with: {fix}")


def verify_files(manifest: Manifest, version: Path, index_dir: Path) -> None:
    """Check every data file against its recorded size and sha256.

    Raises:
        IndexDamagedError: naming the first damaged or missing file and the rebuild command.
    """
    fix = rebuild_command(manifest.corpus_dir, index_dir)
    for name, expected in sorted(manifest.files.items()):
        path = version / name
        if not path.is_file():
            raise IndexDamagedError(f"the index in {index_dir} is damaged: {name} is missing; rebuild it with: {fix}")
        if path.stat().st_size != expected.get("bytes") or file_record(path)["sha256"] != expected.get("sha256"):
            raise IndexDamagedError(f"the index in {index_dir} is damaged: {name} does not match its checksum; rebuild it with: {fix}")
