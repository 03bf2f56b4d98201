"""A second opinion on relevance: EmbeddingGemma re-orders the candidate quotes of a question.

The first stage finds passages; a quote is the few sentences of one that answer. The stronger
embedder (``embeddings.gemma``) scores each candidate quote, with its statement's title, against
the question, and the answer takes them in that order. Without the model, answers keep the
first stage's order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from embeddings.errors import ModelBusyError
from embeddings.gemma import GEMMA_SHA256, GemmaEmbedder, document_text, gemma_path, prepare_gemma

log = logging.getLogger(__name__)

__all__ = ["GEMMA_SHA256", "GemmaRescorer", "Rescorer", "RescorerBusy", "document_text", "gemma_path", "prepare_gemma"]

#: The re-scorer is busy: the question keeps the first stage's order.
RescorerBusy = ModelBusyError


class Rescorer(Protocol):
    """Scores how well each text answers a question (higher is better)."""

    name: str

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One score per text, shape (len(texts),).

        Raises:
            RescorerBusy: if it cannot serve this question soon; the caller keeps its order.
        """
        ...


class GemmaRescorer:
    """Cosine of EmbeddingGemma's question and quote vectors."""

    name = GemmaEmbedder.name

    def __init__(self, embedder: GemmaEmbedder | Path, wait_s: float = 0.5) -> None:
        self.embedder = embedder if isinstance(embedder, GemmaEmbedder) else GemmaEmbedder(embedder)
        # How long a question waits for its turn before it is answered in the first stage's order.
        self.wait_s = wait_s

    @property
    def folder(self) -> Path:
        return self.embedder.folder

    @property
    def available(self) -> bool:
        return self.embedder.available

    def load(self) -> None:
        """Load the model now, so the first question is not slow."""
        self.embedder.load()

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float32)
        # A question that would wait long for its turn (many users at once) is not re-scored.
        query = self.embedder.embed_query(question, wait_s=self.wait_s)
        documents = self.embedder.embed_documents(list(texts), wait_s=self.wait_s)
        return (documents @ query).astype(np.float32)
