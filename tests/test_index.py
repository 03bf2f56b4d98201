"""The on-disk index with the real embedder and real FAISS."""

import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest

from embeddings.build import build_index
from embeddings.errors import IndexMissingError, IndexStaleError
from embeddings.index import load_index

from .conftest import SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def test_rebuild_embeds_only_what_changed(corpus: Path, tmp_path: Path, embedder) -> None:
    index_dir = tmp_path / "index"
    first = build_index(corpus, index_dir, embedder)
    assert first.n_documents == 5 and first.embedded == first.n_passages > 50

    again = build_index(corpus, index_dir, embedder)
    assert again.unchanged and again.embedded == 0

    doc = corpus / "004_0cec569e75575a6e.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n\nNATO and Japan also agreed to meet again next year.", encoding="utf-8")
    (corpus / "000_7e6f4f4014b25468.txt").unlink()
    changed = build_index(corpus, index_dir, embedder)
    index = load_index(index_dir, embedder.name, corpus)
    assert changed.n_documents == 4
    assert (changed.added_documents, changed.updated_documents, changed.removed_documents) == (0, 1, 1)
    # Only the edited document's passages were embedded again.
    assert 0 < changed.embedded <= len([p for p in index.passages if p.doc_id.startswith("004")])
    assert "000_7e6f4f4014b25468" not in index.documents


def test_stale_and_missing_indexes_say_how_to_fix_them(corpus: Path, tmp_path: Path, embedder) -> None:
    index_dir = tmp_path / "index"
    with pytest.raises(IndexMissingError, match="python -m qa index"):
        load_index(index_dir, embedder.name)
    build_index(corpus, index_dir, embedder)
    (corpus / "new.txt").write_text("Statement\n\nNATO welcomed Japan's support.", encoding="utf-8")
    with pytest.raises(IndexStaleError, match=r"python -m qa index --corpus .* --index"):
        load_index(index_dir, embedder.name, corpus)
    with pytest.raises(IndexStaleError, match="built with"):
        load_index(index_dir, "some-other-embedder")


def test_a_build_killed_halfway_leaves_the_previous_index(corpus: Path, tmp_path: Path, embedder) -> None:
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder)
    before = load_index(index_dir, embedder.name)

    class Exploding:
        name, dim = embedder.name, embedder.dim

        def embed_documents(self, texts, show_progress=False):
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-embedding

    (corpus / "new.txt").write_text("Statement\n\nNATO welcomed Japan's support.", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, index_dir, Exploding())
    after = load_index(index_dir, embedder.name)
    assert after.manifest == before.manifest
    assert len(after.passages) == len(before.passages)


def test_faiss_matches_numpy_brute_force(seeds_index: Path, embedder) -> None:
    index = load_index(seeds_index, embedder.name)
    query = embedder.embed_query("North Korea nuclear tests")
    scores, rows = index.faiss_index.search(query[None, :], 10)
    brute = index.vectors @ query
    expected = np.argsort(-brute)[:10]
    assert rows[0].tolist() == expected.tolist()
    assert np.allclose(scores[0], brute[expected], atol=1e-5)


def test_approximate_index_above_the_threshold(corpus: Path, tmp_path: Path, embedder) -> None:
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder, approximate_above=10)
    index = load_index(index_dir, embedder.name)
    assert index.manifest.search == "hnsw" and isinstance(index.faiss_index, faiss.IndexHNSWFlat)
    query = embedder.embed_query("cyber defence cooperation")
    _, rows = index.faiss_index.search(query[None, :], 5)
    exact = set(np.argsort(-(index.vectors @ query))[:5].tolist())
    assert len(exact & set(rows[0].tolist())) >= 4


def test_a_damaged_index_is_reported_in_one_line_and_rebuilt(corpus: Path, tmp_path: Path, embedder) -> None:
    from embeddings.errors import IndexDamagedError
    from embeddings.index import live_version

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder)
    version = live_version(index_dir)
    for name in ("vectors.npy", "faiss.index"):
        path = version / name
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])  # truncated, as by a full disk or a killed copy
        with pytest.raises(IndexDamagedError, match=rf"damaged: {name} .*python -m qa index --corpus"):
            load_index(index_dir, embedder.name)
        path.write_bytes(data)
    (version / "vectors.npy").write_bytes(b"x" * (version / "vectors.npy").stat().st_size)  # same size, other bytes
    with pytest.raises(IndexDamagedError, match="checksum"):
        load_index(index_dir, embedder.name)
    # `qa index` does not call a damaged index up to date: it rebuilds it.
    report = build_index(corpus, index_dir, embedder)
    assert not report.unchanged
    assert len(load_index(index_dir, embedder.name).passages) == report.n_passages
    # A manifest that is JSON, with a field of the wrong type, is damage too.
    import json

    manifest = live_version(index_dir) / "manifest.json"
    (record := json.loads(manifest.read_text(encoding="utf-8")))["files"] = "oops"
    manifest.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(IndexDamagedError, match="'files' is not a dict"):
        load_index(index_dir, embedder.name)
    assert not build_index(corpus, index_dir, embedder).unchanged


def test_a_killed_build_resumes_with_the_embeddings_it_finished(corpus: Path, tmp_path: Path, embedder, monkeypatch) -> None:
    import embeddings.build as build

    index_dir = tmp_path / "index"
    monkeypatch.setattr(build, "EMBED_BATCH", 16)
    calls = []

    class DiesAfterTwoBatches:
        name, dim = embedder.name, embedder.dim

        def embed_documents(self, texts, show_progress=False):
            calls.append(len(texts))
            if len(calls) > 2:
                raise KeyboardInterrupt
            return embedder.embed_documents(texts)

    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, index_dir, DiesAfterTwoBatches())
    report = build_index(corpus, index_dir, embedder)
    assert report.reused == 32 and report.embedded == report.n_passages - 32
    assert not (index_dir / build.RESUME_DIR).exists()


def test_a_full_disk_leaves_the_old_index_and_says_so(corpus: Path, tmp_path: Path, embedder, monkeypatch) -> None:
    import errno

    import embeddings.index as stored
    from embeddings.errors import IndexWriteError

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder)
    before = load_index(index_dir, embedder.name)
    (corpus / "new.txt").write_text("Statement\n\nNATO welcomed Japan's support.", encoding="utf-8")

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stored.np, "save", no_space)
    with pytest.raises(IndexWriteError, match="the disk is full; the previous index is unchanged"):
        build_index(corpus, index_dir, embedder)
    monkeypatch.undo()
    after = load_index(index_dir, embedder.name)
    assert after.manifest == before.manifest
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".building-")]


def test_the_strong_embedder_s_vectors_are_stored_reused_and_added_later(corpus: Path, tmp_path: Path, embedder, strong) -> None:
    assert strong is not None, "EmbeddingGemma is prepared by the test command"
    index_dir = tmp_path / "index"
    plain = build_index(corpus, index_dir, embedder)
    assert load_index(index_dir, embedder.name).strong_vectors is None
    # Prepared later: the next build adds its vectors and reuses every MiniLM one.
    added = build_index(corpus, index_dir, embedder, strong=strong)
    index = load_index(index_dir, embedder.name)
    assert not added.unchanged and added.embedded == 0 and added.n_passages == plain.n_passages
    assert index.manifest.strong_embedder == strong.name
    assert index.strong_vectors.shape == (len(index.passages), strong.dim)
    assert np.allclose(np.linalg.norm(index.strong_vectors, axis=1), 1.0, atol=1e-2)
    # Current with it, and still current for a build that does not ask for it.
    assert build_index(corpus, index_dir, embedder, strong=strong).unchanged
    assert build_index(corpus, index_dir, embedder).unchanged
    # A passage's stored vector is the model's vector of its title and words.
    row = 7
    passage = index.passages[row]
    from embeddings.build import strong_text

    fresh = strong.embed_documents([strong_text(index.documents[passage.doc_id], passage)])[0]
    assert float(fresh @ index.strong_vectors[row]) > 0.99


def test_a_build_never_touches_a_folder_that_is_no_index(corpus: Path, tmp_path: Path, embedder) -> None:
    from embeddings.errors import IndexWriteError

    # A user's own folder named like a version folder, in a folder that holds other files.
    own = tmp_path / "papers"
    (own / "v-old-drafts").mkdir(parents=True)
    (own / "v-old-drafts" / "important.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(IndexWriteError, match="no index"):
        build_index(corpus, own, embedder)
    with pytest.raises(IndexWriteError, match="inside the documents folder"):
        build_index(corpus, corpus / "index", embedder)
    assert (own / "v-old-drafts" / "important.txt").read_text(encoding="utf-8") == "keep me"


def test_an_empty_folder_never_replaces_an_index_with_nothing(corpus: Path, tmp_path: Path, embedder) -> None:
    from embeddings.errors import IndexWriteError

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, embedder)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IndexWriteError, match="left as it was"):
        build_index(empty, index_dir, embedder)
    assert len(load_index(index_dir, embedder.name).documents) == 5


def test_a_long_build_says_how_far_it_has_come(corpus: Path, tmp_path: Path, embedder, monkeypatch) -> None:
    import embeddings.build as build

    # Small batches stand in for a folder of thousands: a line every other batch, no progress bar.
    monkeypatch.setattr(build, "EMBED_BATCH", 16)
    monkeypatch.setattr(build, "PROGRESS_EVERY", 2)
    heard: list[str] = []
    build_index(corpus, tmp_path / "index", embedder, on_stage=heard.append)
    progress = [line for line in heard if "passages embedded with" in line]
    assert progress and all("min left" in line for line in progress)
    assert progress[0].strip().startswith("32 of ")
