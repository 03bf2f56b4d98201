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
