"""Build or update the index of a corpus folder.

    read documents -> split passages -> embed what is new (reuse the rest) -> FAISS + BM25
                   -> write a new version (embeddings.index)

A second, stronger embedder (EmbeddingGemma, when prepared) embeds every passage too, in its own
document form (title, then text); its vectors are reused and resumed the same way.

Only documents whose content hash changed are re-embedded; deleted files leave the index.
Embeddings are also saved in batches while a build runs, so a build that is killed or runs
out of disk space loses at most one batch: the next run reuses the rest.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from embeddings.bm25 import build_bm25, tokenize
from embeddings.documents import INGESTION_VERSION, Document, ReadProblem, read_corpus
from embeddings.embedder import Embedder
from embeddings.errors import IndexMissingError, IndexStaleError, IndexWriteError
from embeddings.gemma import document_text
from embeddings.index import current_manifest, document_record, is_version_folder, load_index, write_version
from embeddings.manifest import FORMAT_VERSION, PASSAGE_SETTINGS, Manifest, compatible, corpus_fingerprint
from embeddings.passages import Passage, index_text, kept_share, keyword_texts, matching_text, split_passages

log = logging.getLogger(__name__)

#: Above this many passages the index switches from exact (flat) search to HNSW.
APPROXIMATE_ABOVE = 50_000
HNSW_NEIGHBOURS = 32
#: Passages embedded (and saved to the resume cache) per batch.
EMBED_BATCH = 256
RESUME_DIR = ".embeddings-in-progress"
#: Without a progress bar, a long build says how far it has come every this many batches.
PROGRESS_EVERY = 20


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
    # Per document: (source, passages, kept share), for the CLI's per-document report.
    kept: tuple[tuple[str, int, float], ...] = ()


#: What an index folder holds besides its version folders: its pointer, lock and build leftovers.
_INDEX_ENTRIES = ("CURRENT", ".lock", ".CURRENT-", ".building-", RESUME_DIR)


def _index_entry(entry: Path) -> bool:
    """Whether a folder entry is one an index build made."""
    return is_version_folder(entry) or entry.name.startswith(_INDEX_ENTRIES)


def _check_index_folder(corpus_dir: Path, index_dir: Path) -> None:
    """Refuse an index folder that is the documents' folder, lies inside it, or holds files of
    its own: a build replaces what an index folder holds, and must never touch a user's files.

    Raises:
        IndexWriteError: naming the folder and what to choose instead.
    """
    index_dir = index_dir.resolve()
    if index_dir == corpus_dir or corpus_dir in index_dir.parents:
        raise IndexWriteError(f"the index folder {index_dir} is inside the documents folder {corpus_dir}; choose an index folder outside it")
    if not index_dir.is_dir():
        return
    foreign = sorted(entry.name for entry in index_dir.iterdir() if not _index_entry(entry))
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise IndexWriteError(f"{index_dir} holds files that are no index ({shown}); choose an empty or new folder for the index")


@contextlib.contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index folder; a second waits for the first.

    Raises:
        IndexWriteError: if the folder cannot be made or written.
    """
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".lock", "w")
    except OSError as error:
        raise IndexWriteError(f"cannot write the index in {index_dir}: {error.strerror or error}; choose a folder you can write to") from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _make_faiss(vectors: np.ndarray, approximate_above: int) -> tuple[faiss.Index, str]:
    dim = vectors.shape[1]
    if vectors.shape[0] > approximate_above:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
        kind = "hnsw"
    else:
        index = faiss.IndexFlatIP(dim)
        kind = "flat"
    if vectors.shape[0]:
        index.add(vectors)
    return index, kind


def _text_key(embedder: Embedder, text: str) -> str:
    return hashlib.sha256(f"{embedder.name}\x00{text}".encode()).hexdigest()[:24]


def _previous(index_dir: Path, embedder: Embedder, strong: Embedder | None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, str]]:
    """Vectors of the live index keyed by their text's key (the first embedder's, then the
    strong one's), and its documents' content hashes."""
    try:
        old = load_index(index_dir, expected_embedder=embedder.name)
    except (IndexMissingError, IndexStaleError) as error:
        log.info("not reusing the previous index: %s", error)
        return {}, {}, {}
    reuse, reuse_strong = {}, {}
    same_strong = strong is not None and old.strong_vectors is not None and old.manifest.strong_embedder == strong.name
    for row, passage in enumerate(old.passages):
        doc = old.documents[passage.doc_id]
        reuse[_text_key(embedder, index_text(doc, passage))] = old.vectors[row]
        if same_strong:
            reuse_strong[_text_key(strong, strong_text(doc, passage))] = old.strong_vectors[row]
    return reuse, reuse_strong, {doc_id: doc.content_hash for doc_id, doc in old.documents.items()}


def strong_text(doc: Document, passage: Passage) -> str:
    """What the strong embedder reads for a passage: its statement's title, then its words."""
    return document_text(doc.title, matching_text(passage.text))


def _resumed(index_dir: Path, embedder: Embedder) -> dict[str, np.ndarray]:
    """Embeddings saved by an earlier build of this index that did not finish."""
    found: dict[str, np.ndarray] = {}
    for batch in sorted((index_dir / RESUME_DIR).glob("*.npz")):
        try:
            with np.load(batch) as arrays:
                if str(arrays["embedder"]) != embedder.name:
                    continue
                found.update(zip((str(k) for k in arrays["keys"]), arrays["vectors"], strict=True))
        except (OSError, ValueError, KeyError) as error:
            log.info("ignoring a damaged resume batch %s: %s", batch.name, error)
    return found


def _embed(
    index_dir: Path, embedder: Embedder, keys: list[str], texts: list[str], show_progress: bool, on_stage: Callable[[str], None] | None = None
) -> list[np.ndarray]:
    """Embed texts in batches, saving each batch so an interrupted build can resume.

    Without a progress bar (output to a file or a pipe), ``on_stage`` hears how far a long
    build has come every ``PROGRESS_EVERY`` batches, with the time it should still take.
    """
    folder = index_dir / RESUME_DIR
    folder.mkdir(parents=True, exist_ok=True)
    vectors: list[np.ndarray] = []
    started = time.perf_counter()
    for number, start in enumerate(range(0, len(texts), EMBED_BATCH), start=1):
        batch = embedder.embed_documents(texts[start : start + EMBED_BATCH], show_progress=show_progress)
        vectors.extend(batch)
        if on_stage and not show_progress and number % PROGRESS_EVERY == 0 and len(vectors) < len(texts):
            rate = len(vectors) / max(time.perf_counter() - started, 1e-9)
            left = (len(texts) - len(vectors)) / rate
            on_stage(f"  {len(vectors):,} of {len(texts):,} passages embedded with {embedder.name}, about {left / 60:.0f} min left")
        partial = folder / f".{start:08d}.tmp.npz"
        try:
            np.savez(partial, keys=np.array(keys[start : start + EMBED_BATCH]), vectors=batch, embedder=np.array(embedder.name))
            partial.replace(folder / f"{time.time_ns()}-{start:08d}.npz")
        except OSError as error:  # a full disk must not stop the build here: only resuming is lost
            partial.unlink(missing_ok=True)
            log.warning("could not save embeddings for resuming (%s)", error.strerror or error)
    return vectors


def _unique_ids(documents: list[Document]) -> list[Document]:
    """Give "a.txt" and "a.md" distinct ids: the second keeps its suffix."""
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
    strong: Embedder | None = None,
) -> BuildReport:
    """Build or update the index of ``corpus_dir`` in ``index_dir``.

    An index that is current is only checked (its files against their checksums); a damaged
    or stale one is rebuilt. With ``strong``, every passage also gets that embedder's vector; an
    index built without it is current only when no ``strong`` is given.

    Raises:
        DocumentError: if the corpus folder is missing or its sidecar is broken.
        IndexWriteError: if the new index cannot be written (the previous one stays live).
    """
    started = time.perf_counter()
    corpus_dir = corpus_dir.resolve()
    _check_index_folder(corpus_dir, index_dir)
    with _build_lock(index_dir):
        fingerprint = corpus_fingerprint(corpus_dir)
        current = current_manifest(index_dir)
        if (
            current
            and compatible(current, embedder.name, embedder.dim)
            and current.corpus_fingerprint == fingerprint
            and current.corpus_dir == str(corpus_dir)
            and (strong is None or current.strong_embedder == strong.name)
        ):
            try:
                load_index(index_dir, embedder.name)
                return BuildReport(
                    index_dir, current.n_documents, current.n_passages, 0, current.n_passages, 0, 0, 0, (), time.perf_counter() - started, True
                )
            except IndexStaleError as error:  # damaged files included
                log.warning("rebuilding: %s", error)

        results = list(read_corpus(corpus_dir))
        documents = _unique_ids([r for r in results if isinstance(r, Document)])
        problems = tuple(r for r in results if isinstance(r, ReadProblem))
        if not documents and current is not None and current.n_documents:
            # An empty or unreadable folder would replace the index with nothing: the index may
            # be the only copy of documents that were moved away.
            raise IndexWriteError(
                f"no document in {corpus_dir} could be read ({len(problems)} skipped), so the index of {current.n_documents} "
                f"documents in {index_dir} was left as it was; add documents to the folder, or choose a new index folder"
            )
        if current is not None and current.corpus_dir != str(corpus_dir):
            log.warning("the index in %s was built from %s; it now indexes %s", index_dir, current.corpus_dir, corpus_dir)
        reuse, reuse_strong, old_hashes = _previous(index_dir, embedder, strong)
        reuse.update(_resumed(index_dir, embedder))
        if strong is not None:
            reuse_strong.update(_resumed(index_dir, strong))
        strong_keys: list[str] = []
        strong_todo: dict[str, str] = {}

        passages: list[Passage] = []
        records: list[dict[str, object]] = []
        kept: list[tuple[str, int, float]] = []
        keys: list[str] = []
        todo: dict[str, str] = {}
        keyword_tokens: list[list[str]] = []
        for doc in documents:
            doc_passages = split_passages(doc)
            share = kept_share(doc, doc_passages)
            records.append(document_record(doc, len(doc_passages), share))
            kept.append((doc.source, len(doc_passages), share))
            keyword_tokens.extend(tokenize(text) for text in keyword_texts(doc, doc_passages))
            for passage in doc_passages:
                text = index_text(doc, passage)
                key = _text_key(embedder, text)
                keys.append(key)
                if key not in reuse:
                    todo[key] = text
                if strong is not None:
                    text = strong_text(doc, passage)
                    key = _text_key(strong, text)
                    strong_keys.append(key)
                    if key not in reuse_strong:
                        strong_todo[key] = text
                passages.append(passage)
        if on_stage:
            on_stage(f"embedding {len(todo)} passages ({len(passages) - len(todo)} reused)")
        fresh = _embed(index_dir, embedder, list(todo), list(todo.values()), show_progress, on_stage)
        reuse.update(zip(todo, fresh, strict=True))
        matrix = np.vstack([reuse[k] for k in keys]).astype(np.float32) if passages else np.zeros((0, embedder.dim), np.float32)
        strong_matrix = None
        if strong is not None:
            if on_stage:
                on_stage(f"embedding {len(strong_todo)} passages with {strong.name} ({len(passages) - len(strong_todo)} reused)")
            fresh = _embed(index_dir, strong, list(strong_todo), list(strong_todo.values()), show_progress, on_stage)
            reuse_strong.update(zip(strong_todo, fresh, strict=True))
            strong_matrix = np.vstack([reuse_strong[k] for k in strong_keys]).astype(np.float32) if passages else np.zeros((0, strong.dim), np.float32)

        bm25 = build_bm25(keyword_tokens)
        vocabulary = sorted({t for d in documents for t in tokenize(f"{d.text} {d.title} {' '.join(d.speakers)} {d.publisher}")})
        search_index, kind = _make_faiss(matrix, approximate_above)
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            ingestion_version=INGESTION_VERSION,
            embedder=embedder.name,
            dim=embedder.dim,
            corpus_dir=str(corpus_dir),
            corpus_fingerprint=fingerprint,
            passage_settings=dict(PASSAGE_SETTINGS),
            search=kind,
            n_documents=len(documents),
            n_passages=len(passages),
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
            skipped=[{"source": p.source, "reason": p.reason} for p in problems],
            strong_embedder=strong.name if strong is not None else "",
            strong_dim=strong.dim if strong is not None else 0,
        )
        write_version(index_dir, manifest, records, passages, matrix, search_index, bm25, vocabulary, strong_matrix)
        shutil.rmtree(index_dir / RESUME_DIR, ignore_errors=True)
        new_hashes = {d.doc_id: d.content_hash for d in documents}
        return BuildReport(
            index_dir=index_dir,
            n_documents=len(documents),
            n_passages=len(passages),
            embedded=len(todo),
            reused=len(passages) - len(todo),
            added_documents=len(new_hashes.keys() - old_hashes.keys()),
            updated_documents=sum(1 for k, h in new_hashes.items() if k in old_hashes and old_hashes[k] != h),
            removed_documents=len(old_hashes.keys() - new_hashes.keys()),
            skipped=problems,
            seconds=time.perf_counter() - started,
            unchanged=False,
            kept=tuple(kept),
        )
