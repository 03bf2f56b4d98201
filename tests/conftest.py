"""Shared fixtures: the real embedder, and real indexes of the seeds built once per session."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from embeddings.build import build_index
from embeddings.embedder import MiniLMEmbedder, offline_environment
from embeddings.gemma import GemmaEmbedder, prepared
from qa.config import REPO_ROOT, Settings
from qa.engine import Engine

offline_environment()

SEEDS = REPO_ROOT / "corpus" / "documents"
ISAF = REPO_ROOT.parent / "shared" / "corpora" / "isaf-press-releases"


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def strong() -> GemmaEmbedder | None:
    """EmbeddingGemma as `qa prepare` installs it (the test command prepares it)."""
    return prepared(Settings().models_dir)


@pytest.fixture(scope="session")
def seeds_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corpus") / "documents"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory, seeds_copy: Path, embedder: MiniLMEmbedder, strong: GemmaEmbedder | None) -> Path:
    index_dir = tmp_path_factory.mktemp("index")
    build_index(seeds_copy, index_dir, embedder, strong=strong)
    return index_dir


@pytest.fixture(scope="session")
def extractive_engine(seeds_index: Path, embedder: MiniLMEmbedder) -> Engine:
    settings = replace(Settings(), index_dir=seeds_index, auto_index=False, generator="extractive")
    engine = Engine(settings, embedder=embedder)
    engine.warm_up()
    return engine


@pytest.fixture(scope="session")
def generating_engine(seeds_index: Path, embedder: MiniLMEmbedder) -> Engine:
    """The seeds index with the local model writing the lead (transformers, Qwen2.5 0.5B)."""
    engine = Engine(replace(Settings(), index_dir=seeds_index, auto_index=False, generator="transformers"), embedder=embedder)
    engine.warm_up()
    return engine


def engine_over(paths: list[Path], tmp_path: Path, embedder: MiniLMEmbedder) -> Engine:
    """An extractive engine over a folder holding copies of ``paths``, as a user would make one."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in paths:
        shutil.copy(path, folder / path.name)
    return Engine(replace(Settings(), corpus_dir=folder, index_dir=tmp_path / "index", generator="extractive"), embedder=embedder)
