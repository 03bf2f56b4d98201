"""The stored index: documents, passages, vectors, FAISS and BM25 in a folder, and loading it.

Layout of an index folder::

    INDEX/CURRENT            name of the live version folder (replaced atomically)
    INDEX/v-<time>-<hash>/   manifest.json, documents.jsonl, passages.jsonl, vectors.npy,
                             faiss.index, bm25.npz, bm25.vocab.json, vocabulary.json, and
                             strong.npy when a stronger embedder was prepared

A version folder is written under a temporary name and only then made live, so a build
killed or out of disk space leaves the previous index intact. Loading checks the manifest
(see ``embeddings.manifest``) and every file's checksum, and turns any damage into one
``IndexDamagedError`` that names the command that rebuilds it. Building is ``embeddings.build``.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from embeddings.bm25 import BM25Index
from embeddings.boilerplate import Exclusion
from embeddings.dates import parse_iso
from embeddings.documents import Document
from embeddings.errors import IndexDamagedError, IndexMissingError, IndexWriteError
from embeddings.manifest import (
    MANIFEST_NAME,
    Manifest,
    check_compatible,
    corpus_fingerprint,
    file_record,
    read_manifest,
    rebuild_command,
    verify_files,
)
from embeddings.passages import Passage

log = logging.getLogger(__name__)

HNSW_EF_SEARCH = 128
DATA_FILES = ("documents.jsonl", "passages.jsonl", "vectors.npy", "faiss.index", "bm25.npz", "bm25.vocab.json", "vocabulary.json")
STRONG_FILE = "strong.npy"


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
    # Per document: how many passages it has and the share of its body text they hold.
    stats: dict[str, dict[str, float]]
    # Per passage: the stronger embedder's vector (``manifest.strong_embedder``), or None.
    strong_vectors: np.ndarray | None = None

    def document_of(self, passage: Passage) -> Document:
        return self.documents[passage.doc_id]


# ---------------------------------------------------------------- records


def document_record(doc: Document, n_passages: int, kept: float) -> dict[str, object]:
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "title": doc.title,
        "date": doc.date.iso if doc.date else None,
        "speakers": list(doc.speakers),
        "type": doc.doc_type,
        "publisher": doc.publisher,
        "content_hash": doc.content_hash,
        "kind": doc.kind,
        "paragraphs": [list(p) for p in doc.paragraphs],
        "exclusions": [[e.start, e.end, e.reason] for e in doc.exclusions],
        "dropped": doc.dropped,
        "passages": n_passages,
        "kept": round(kept, 4),
        "text": doc.text,
    }


def document_from_record(record: dict) -> Document:
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
        kind=record.get("kind", "text"),
        paragraphs=tuple((a, b) for a, b in record.get("paragraphs", [])),
        exclusions=tuple(Exclusion(a, b, r) for a, b, r in record.get("exclusions", [])),
        dropped=record.get("dropped", 0),
    )


# ---------------------------------------------------------------- writing


def write_version(
    index_dir: Path,
    manifest: Manifest,
    records: list[dict[str, object]],
    passages: list[Passage],
    vectors: np.ndarray,
    search_index: faiss.Index,
    bm25: BM25Index,
    vocabulary: list[str],
    strong: np.ndarray | None = None,
) -> None:
    """Write a new version folder, checksum its files into the manifest, and make it live.

    Raises:
        IndexWriteError: if the disk is full or not writable (the previous index stays live).
    """
    # Unique even for two builds of one corpus in the same second by the same process.
    name = f"v-{time.strftime('%Y%m%d%H%M%S')}-{manifest.corpus_fingerprint[:8]}-{os.getpid()}-{secrets.token_hex(3)}"
    staging = index_dir / f".building-{name}"
    try:
        staging.mkdir(parents=True)
        with open(staging / "documents.jsonl", "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        with open(staging / "passages.jsonl", "w", encoding="utf-8") as out:
            for p in passages:
                record = {"id": p.passage_id, "doc": p.doc_id, "start": p.start, "end": p.end, "sentences": p.sentences}
                out.write(json.dumps(record) + "\n")
        np.save(staging / "vectors.npy", vectors)
        faiss.write_index(search_index, str(staging / "faiss.index"))
        bm25.save(staging / "bm25.npz")
        (staging / "vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
        names = list(DATA_FILES)
        if strong is not None:
            # Half precision on disk: cosines agree to about 1e-3, at half the size.
            np.save(staging / STRONG_FILE, strong.astype(np.float16))
            names.append(STRONG_FILE)
        files = {f: file_record(staging / f) for f in names}
        checked = Manifest(**{**manifest.__dict__, "files": files})
        # The manifest is written last: a version folder without one is never loaded.
        (staging / MANIFEST_NAME).write_text(checked.to_json(), encoding="utf-8")
        os.replace(staging, index_dir / name)
        pointer = index_dir / f".CURRENT-{os.getpid()}"
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, index_dir / "CURRENT")
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        why = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
        raise IndexWriteError(f"could not write the index in {index_dir}: {why}; the previous index is unchanged. Free space and run it again") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for old in index_dir.iterdir():
        # Only what a build made; anything else in the folder is left alone.
        if old.is_dir() and old.name != name and (old.name.startswith(".building-") or is_version_folder(old)):
            shutil.rmtree(old, ignore_errors=True)


def is_version_folder(entry: Path) -> bool:
    """Whether a folder entry is a version of an index: named so, holding its manifest or data
    (a build that died before its manifest leaves the data)."""
    return entry.name.startswith("v-") and entry.is_dir() and any((entry / name).exists() for name in (MANIFEST_NAME, *DATA_FILES))


# ---------------------------------------------------------------- reading


def live_version(index_dir: Path) -> Path | None:
    """The live version folder, or None when there is no index."""
    pointer = index_dir / "CURRENT"
    try:
        version = index_dir / pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return version if (version / MANIFEST_NAME).exists() else None


def current_manifest(index_dir: Path) -> Manifest | None:
    """The live manifest, or None when there is none or it cannot be read."""
    version = live_version(index_dir)
    if version is None:
        return None
    try:
        return read_manifest(version, index_dir)
    except IndexDamagedError:
        return None


def check_index(index_dir: Path, expected_embedder: str, corpus_dir: Path | None = None, verify: bool = True) -> Manifest:
    """The live manifest, after checking it matches this code, this embedder, the corpus and its files.

    Raises:
        IndexMissingError: if there is no index in ``index_dir``.
        IndexStaleError: if it was built differently or its corpus has changed since.
        IndexDamagedError: if a file of it is missing or damaged.
    """
    version = live_version(index_dir)
    if version is None:
        hint = rebuild_command(str(corpus_dir) if corpus_dir else "DIR", index_dir)
        raise IndexMissingError(f"no index in {index_dir}; build one with: {hint}")
    manifest = read_manifest(version, index_dir)
    check_compatible(manifest, index_dir, expected_embedder)
    if corpus_dir is not None and corpus_fingerprint(corpus_dir) != manifest.corpus_fingerprint:
        from embeddings.errors import IndexStaleError

        fix = rebuild_command(manifest.corpus_dir, index_dir)
        raise IndexStaleError(f"the corpus in {corpus_dir} has changed since the index was built; update it with: {fix}")
    if verify:
        verify_files(manifest, version, index_dir)
    return manifest


def load_index(index_dir: Path, expected_embedder: str, corpus_dir: Path | None = None) -> Index:
    """Load the live index of ``index_dir``, checked as in ``check_index``.

    Raises:
        IndexMissingError: if there is no index.
        IndexStaleError: if it does not match (the message gives the command that fixes it).
        IndexDamagedError: if a file is damaged in a way its checksum did not catch.
    """
    manifest = check_index(index_dir, expected_embedder, corpus_dir)
    version = live_version(index_dir)
    if version is None:
        raise IndexMissingError(f"the index in {index_dir} disappeared while loading; run the command again")
    try:
        return _read(index_dir, version, manifest)
    except (OSError, ValueError, KeyError, TypeError, IndexError, RuntimeError, zipfile.BadZipFile) as error:
        fix = rebuild_command(manifest.corpus_dir, index_dir)
        raise IndexDamagedError(f"the index in {index_dir} is damaged ({type(error).__name__}: {error}); rebuild it with: {fix}") from error


def _read(index_dir: Path, version: Path, manifest: Manifest) -> Index:
    documents: dict[str, Document] = {}
    stats: dict[str, dict[str, float]] = {}
    with open(version / "documents.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            doc = document_from_record(record)
            documents[doc.doc_id] = doc
            stats[doc.doc_id] = {"passages": record.get("passages", 0), "kept": record.get("kept", 1.0)}
    passages = []
    with open(version / "passages.jsonl", encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            text = documents[r["doc"]].text[r["start"] : r["end"]]
            sentences = tuple((a, b) for a, b in r["sentences"])
            passages.append(Passage(r["id"], r["doc"], r["start"], r["end"], sentences, text))
    vectors = np.load(version / "vectors.npy")
    search_index = faiss.read_index(str(version / "faiss.index"))
    if vectors.shape[0] != len(passages) or search_index.ntotal != len(passages):
        raise ValueError(f"{len(passages)} passages but {vectors.shape[0]} vectors and {search_index.ntotal} searchable")
    if manifest.search == "hnsw":
        search_index.hnsw.efSearch = HNSW_EF_SEARCH
    strong = None
    if manifest.strong_embedder:
        strong = np.load(version / STRONG_FILE).astype(np.float32)
        if strong.shape != (len(passages), manifest.strong_dim):
            raise ValueError(f"{len(passages)} passages but strong vectors of shape {strong.shape}")
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
        stats=stats,
        strong_vectors=strong,
    )
