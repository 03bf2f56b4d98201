"""The on-disk index: documents, passages, vectors, FAISS and BM25, behind a versioned manifest.

Layout of an index folder::

    INDEX/CURRENT            name of the live version folder (replaced atomically)
    INDEX/v-<time>-<hash>/   manifest.json, documents.jsonl, passages.jsonl, vectors.npy,
                             faiss.index, bm25.npz, bm25.vocab.json, vocabulary.json

A build writes a new version folder and only then points CURRENT at it, so a build killed
halfway leaves the previous index intact. Re-building re-embeds only documents whose content
hash changed; documents whose files are gone leave the index. Loading checks the manifest's
format, embedder and corpus fingerprint and says which command fixes a mismatch.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import faiss
import numpy as np

from embeddings.bm25 import BM25Index, build_bm25, tokenize
from embeddings.dates import parse_iso
from embeddings.documents import SIDECAR_NAME, Document, ReadProblem, corpus_files, read_corpus
from embeddings.embedder import Embedder
from embeddings.errors import IndexMissingError, IndexStaleError
from embeddings.passages import MAX_SENTENCES, MAX_WORDS, Passage, index_text, keyword_texts, split_passages

log = logging.getLogger(__name__)

# 3: BM25 over Snowball stems, with a sentence of context either side of each passage.
# 4: vocabulary.json, every word of the documents and their metadata.
FORMAT_VERSION = 4
#: Above this many passages the index switches from exact (flat) search to HNSW.
APPROXIMATE_ABOVE = 50_000
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128


@dataclass(frozen=True)
class Manifest:
    """What an index was built from and with; compared on every load."""

    format_version: int
    embedder: str
    dim: int
    corpus_dir: str
    corpus_fingerprint: str
    passage_settings: dict[str, int]
    search: str
    n_documents: int
    n_passages: int
    built_at: str
    skipped: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI to print."""

    index_dir: Path
    n_documents: int
    n_passages: int
    embedded: int
    reused: int
    added_documents: int
    updated_documents: int
    removed_documents: int
    skipped: tuple[ReadProblem, ...]
    seconds: float
    unchanged: bool


@dataclass
class Index:
    """A loaded index. Read-only after loading, so threads may share it."""

    path: Path
    manifest: Manifest
    documents: dict[str, Document]
    passages: list[Passage]
    vectors: np.ndarray
    faiss_index: faiss.Index
    bm25: BM25Index
    # Per passage: the first and last day its statement may date from, as ordinals (0 = undated).
    date_first: np.ndarray
    date_last: np.ndarray
    # Every stemmed word the documents use anywhere (headers and metadata included).
    vocabulary: frozenset[str]

    def document_of(self, passage: Passage) -> Document:
        return self.documents[passage.doc_id]


def corpus_fingerprint(corpus_dir: Path) -> str:
    """A hash of every corpus file's path and bytes (and the sidecar): cheap, exact staleness."""
    digest = hashlib.sha256()
    paths = corpus_files(corpus_dir)
    sidecar = corpus_dir / SIDECAR_NAME
    if sidecar.exists():
        paths.append(sidecar)
    for path in paths:
        digest.update(path.relative_to(corpus_dir).as_posix().encode())
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()[:32]


def rebuild_command(corpus_dir: str, index_dir: Path) -> str:
    return f"python -m qa index --corpus {corpus_dir} --index {index_dir}"


# ---------------------------------------------------------------- writing


@contextlib.contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index folder; a second waits for the first."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _document_record(doc: Document) -> dict[str, object]:
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "title": doc.title,
        "date": doc.date.iso if doc.date else None,
        "speakers": list(doc.speakers),
        "type": doc.doc_type,
        "publisher": doc.publisher,
        "content_hash": doc.content_hash,
        "text": doc.text,
    }


def _document_from_record(record: dict) -> Document:
    return Document(
        doc_id=record["doc_id"],
        source=record["source"],
        text=record["text"],
        title=record["title"],
        date=parse_iso(record["date"]) if record["date"] else None,
        speakers=tuple(record["speakers"]),
        doc_type=record["type"],
        publisher=record["publisher"],
        content_hash=record["content_hash"],
    )


def _make_faiss(vectors: np.ndarray, approximate_above: int) -> tuple[faiss.Index, str]:
    dim = vectors.shape[1]
    if vectors.shape[0] > approximate_above:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
        kind = "hnsw"
    else:
        index = faiss.IndexFlatIP(dim)
        kind = "flat"
    if vectors.shape[0]:
        index.add(vectors)
    return index, kind


def _previous(index_dir: Path, embedder: Embedder) -> tuple[dict[tuple[str, str], np.ndarray], dict[str, str]]:
    """The live index's vectors keyed by (document content hash, passage id), and its documents'
    content hashes by id; empty when there is no compatible index to reuse."""
    try:
        old = load_index(index_dir, expected_embedder=embedder.name)
    except (IndexMissingError, IndexStaleError, OSError, ValueError, KeyError) as error:
        log.info("not reusing the previous index: %s", error)
        return {}, {}
    reuse = {}
    for row, passage in enumerate(old.passages):
        reuse[(old.documents[passage.doc_id].content_hash, passage.passage_id)] = old.vectors[row]
    return reuse, {doc_id: doc.content_hash for doc_id, doc in old.documents.items()}


def _unique_ids(documents: list[Document]) -> list[Document]:
    """Give "a.txt" and "a.md" distinct ids: the second keeps its suffix."""
    from dataclasses import replace

    seen: set[str] = set()
    unique = []
    for doc in documents:
        if doc.doc_id in seen:
            doc = replace(doc, doc_id=doc.source)
        seen.add(doc.doc_id)
        unique.append(doc)
    return unique


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    approximate_above: int = APPROXIMATE_ABOVE,
    show_progress: bool = False,
    on_stage: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build or update the index of ``corpus_dir`` in ``index_dir``.

    Raises:
        DocumentError: if the corpus folder is missing or its sidecar is broken.
    """
    started = time.perf_counter()
    corpus_dir = corpus_dir.resolve()
    with _build_lock(index_dir):
        fingerprint = corpus_fingerprint(corpus_dir)
        current = _current_manifest(index_dir)
        if (
            current
            and _compatible(current, embedder)
            and current.corpus_fingerprint == fingerprint
            and current.corpus_dir == str(corpus_dir)
        ):
            return BuildReport(
                index_dir, current.n_documents, current.n_passages, 0, current.n_passages, 0, 0, 0, (), time.perf_counter() - started, True
            )

        results = list(read_corpus(corpus_dir))
        documents = _unique_ids([r for r in results if isinstance(r, Document)])
        problems = tuple(r for r in results if isinstance(r, ReadProblem))
        reuse, old_hashes = _previous(index_dir, embedder)

        passages: list[Passage] = []
        texts_to_embed: list[str] = []
        rows_to_embed: list[int] = []
        vectors = []
        keyword_tokens: list[list[str]] = []
        for doc in documents:
            doc_passages = split_passages(doc)
            keyword_tokens.extend(tokenize(text) for text in keyword_texts(doc, doc_passages))
            for passage in doc_passages:
                vector = reuse.get((doc.content_hash, passage.passage_id))
                if vector is None:
                    rows_to_embed.append(len(passages))
                    texts_to_embed.append(index_text(doc, passage))
                vectors.append(vector)
                passages.append(passage)
        if on_stage:
            on_stage(f"embedding {len(texts_to_embed)} passages ({len(passages) - len(texts_to_embed)} reused)")
        fresh = embedder.embed_documents(texts_to_embed, show_progress=show_progress)
        for row, vector in zip(rows_to_embed, fresh, strict=True):
            vectors[row] = vector
        matrix = np.vstack(vectors).astype(np.float32) if passages else np.zeros((0, embedder.dim), np.float32)

        bm25 = build_bm25(keyword_tokens)
        vocabulary = sorted({t for d in documents for t in tokenize(f"{d.text} {d.title} {' '.join(d.speakers)} {d.publisher}")})
        search_index, kind = _make_faiss(matrix, approximate_above)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            embedder=embedder.name,
            dim=embedder.dim,
            corpus_dir=str(corpus_dir),
            corpus_fingerprint=fingerprint,
            passage_settings={"max_sentences": MAX_SENTENCES, "max_words": MAX_WORDS},
            search=kind,
            n_documents=len(documents),
            n_passages=len(passages),
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
            skipped=[{"source": p.source, "reason": p.reason} for p in problems],
        )
        _write_version(index_dir, manifest, documents, passages, matrix, search_index, bm25, vocabulary)
        new_hashes = {d.doc_id: d.content_hash for d in documents}
        return BuildReport(
            index_dir=index_dir,
            n_documents=len(documents),
            n_passages=len(passages),
            embedded=len(texts_to_embed),
            reused=len(passages) - len(texts_to_embed),
            added_documents=len(new_hashes.keys() - old_hashes.keys()),
            updated_documents=sum(1 for k, h in new_hashes.items() if k in old_hashes and old_hashes[k] != h),
            removed_documents=len(old_hashes.keys() - new_hashes.keys()),
            skipped=problems,
            seconds=time.perf_counter() - started,
            unchanged=False,
        )


def _write_version(
    index_dir: Path,
    manifest: Manifest,
    documents: list[Document],
    passages: list[Passage],
    vectors: np.ndarray,
    search_index: faiss.Index,
    bm25: BM25Index,
    vocabulary: list[str],
) -> None:
    name = f"v-{time.strftime('%Y%m%d%H%M%S')}-{manifest.corpus_fingerprint[:8]}-{os.getpid()}"
    staging = index_dir / f".building-{name}"
    staging.mkdir(parents=True)
    try:
        with open(staging / "documents.jsonl", "w", encoding="utf-8") as out:
            for doc in documents:
                out.write(json.dumps(_document_record(doc), ensure_ascii=False) + "\n")
        with open(staging / "passages.jsonl", "w", encoding="utf-8") as out:
            for p in passages:
                record = {"id": p.passage_id, "doc": p.doc_id, "start": p.start, "end": p.end, "sentences": p.sentences}
                out.write(json.dumps(record) + "\n")
        np.save(staging / "vectors.npy", vectors)
        faiss.write_index(search_index, str(staging / "faiss.index"))
        bm25.save(staging / "bm25.npz")
        (staging / "vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
        # The manifest is written last: a version folder without one is never loaded.
        (staging / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        os.replace(staging, index_dir / name)
        pointer = index_dir / f".CURRENT-{os.getpid()}"
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, index_dir / "CURRENT")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for old in index_dir.iterdir():
        if old.is_dir() and old.name != name and (old.name.startswith("v-") or old.name.startswith(".building-")):
            shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------- reading


def _live_version(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    version = index_dir / pointer.read_text(encoding="utf-8").strip()
    return version if (version / "manifest.json").exists() else None


def _current_manifest(index_dir: Path) -> Manifest | None:
    version = _live_version(index_dir)
    if version is None:
        return None
    try:
        return Manifest(**json.loads((version / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _compatible(manifest: Manifest, embedder: Embedder) -> bool:
    return (
        manifest.format_version == FORMAT_VERSION
        and manifest.embedder == embedder.name
        and manifest.dim == embedder.dim
        and manifest.passage_settings == {"max_sentences": MAX_SENTENCES, "max_words": MAX_WORDS}
    )


def check_index(index_dir: Path, expected_embedder: str, corpus_dir: Path | None = None) -> Manifest:
    """The live manifest, after checking it matches this code, this embedder and the corpus.

    Raises:
        IndexMissingError: if there is no index in ``index_dir``.
        IndexStaleError: if it was built differently or its corpus has changed since.
    """
    version = _live_version(index_dir)
    if version is None:
        hint = rebuild_command(str(corpus_dir) if corpus_dir else "DIR", index_dir)
        raise IndexMissingError(f"no index in {index_dir}; build one with: {hint}")
    try:
        raw = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        manifest = Manifest(**raw)
    except (OSError, ValueError, TypeError) as error:
        raise IndexStaleError(
            f"the index in {index_dir} has an unreadable manifest ({error}); rebuild it with: {rebuild_command('DIR', index_dir)}"
        ) from error
    fix = rebuild_command(manifest.corpus_dir, index_dir)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStaleError(
            f"the index in {index_dir} has format {manifest.format_version}, this version reads {FORMAT_VERSION}; rebuild it with: {fix}"
        )
    if manifest.embedder != expected_embedder:
        raise IndexStaleError(
            f"the index in {index_dir} was built with {manifest.embedder}, not {expected_embedder}; rebuild it with: {fix}"
        )
    if manifest.passage_settings != {"max_sentences": MAX_SENTENCES, "max_words": MAX_WORDS}:
        raise IndexStaleError(f"the index in {index_dir} was split into passages differently; rebuild it with: {fix}")
    if corpus_dir is not None and corpus_fingerprint(corpus_dir.resolve()) != manifest.corpus_fingerprint:
        raise IndexStaleError(f"the corpus in {corpus_dir} has changed since the index was built; update it with: {fix}")
    return manifest


def load_index(index_dir: Path, expected_embedder: str, corpus_dir: Path | None = None) -> Index:
    """Load the live index of ``index_dir``, checked as in ``check_index``.

    Raises:
        IndexMissingError: if there is no index.
        IndexStaleError: if it does not match (the message gives the command that fixes it).
    """
    manifest = check_index(index_dir, expected_embedder, corpus_dir)
    version = _live_version(index_dir)
    assert version is not None  # check_index has just found it
    documents: dict[str, Document] = {}
    with open(version / "documents.jsonl", encoding="utf-8") as lines:
        for line in lines:
            doc = _document_from_record(json.loads(line))
            documents[doc.doc_id] = doc
    passages = []
    with open(version / "passages.jsonl", encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            text = documents[r["doc"]].text[r["start"] : r["end"]]
            sentences = tuple((a, b) for a, b in r["sentences"])
            passages.append(Passage(r["id"], r["doc"], r["start"], r["end"], sentences, text))
    vectors = np.load(version / "vectors.npy")
    search_index = faiss.read_index(str(version / "faiss.index"))
    if manifest.search == "hnsw":
        search_index.hnsw.efSearch = HNSW_EF_SEARCH
    first = np.zeros(len(passages), dtype=np.int64)
    last = np.zeros(len(passages), dtype=np.int64)
    for row, p in enumerate(passages):
        date = documents[p.doc_id].date
        if date is not None:
            first[row], last[row] = date.first.toordinal(), date.last.toordinal()
    return Index(
        path=index_dir,
        manifest=manifest,
        documents=documents,
        passages=passages,
        vectors=vectors,
        faiss_index=search_index,
        bm25=BM25Index.load(version / "bm25.npz"),
        date_first=first,
        date_last=last,
        vocabulary=frozenset(json.loads((version / "vocabulary.json").read_text(encoding="utf-8"))),
    )
