"""Rankers: order the allowed passages of an index for a query, dense, BM25 or both fused.

Rankers sit behind one small Protocol, so evaluation can compare them on the same questions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from embeddings.embedder import Embedder
from embeddings.errors import ModelBusyError
from embeddings.gemma import GemmaEmbedder
from embeddings.index import Index
from qa.query import Query

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ranked:
    """A passage row with its fused score and the evidence each ranker saw."""

    row: int
    score: float
    dense: float = 0.0
    bm25: float = 0.0


class Ranker(Protocol):
    """Orders the allowed passages of an index for a query."""

    name: str

    def rank(self, index: Index, query: Query, allowed: np.ndarray | None, n: int) -> list[Ranked]:
        """The best ``n`` rows among ``allowed`` (None: all rows), best first."""
        ...


def _top(scores: np.ndarray, rows: np.ndarray, n: int) -> list[tuple[int, float]]:
    if rows.size == 0:
        return []
    n = min(n, rows.size)
    best = np.argpartition(-scores, n - 1)[:n]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(rows[i]), float(scores[i])) for i in best]


class DenseRanker:
    """Cosine similarity of embeddings: FAISS over everything, exact numpy over a filtered subset."""

    name = "dense"

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def rank(self, index: Index, query: Query, allowed: np.ndarray | None, n: int) -> list[Ranked]:
        vector = self.embedder.embed_query(query.text)
        if allowed is None:
            k = min(n, len(index.passages))
            if k == 0:
                return []
            scores, rows = index.faiss_index.search(vector[None, :], k)
            return [Ranked(int(r), float(s), dense=float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
        scores = index.vectors[allowed] @ vector
        return [Ranked(r, s, dense=s) for r, s in _top(scores, allowed, n)]


class KeywordRanker:
    """Okapi BM25 over passage words (with their document's title)."""

    name = "bm25"

    def rank(self, index: Index, query: Query, allowed: np.ndarray | None, n: int) -> list[Ranked]:
        scores = index.bm25.scores(query.tokens)
        rows = np.arange(len(index.passages)) if allowed is None else allowed
        top = _top(scores[rows], rows, n)
        return [Ranked(r, s, bm25=s) for r, s in top if s > 0]


def min_max(values: np.ndarray) -> np.ndarray:
    """Scale scores to 0..1 within one candidate pool (all zeros when they are all equal)."""
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)


class HybridRanker:
    """Dense and BM25 fused by relative score: each finds what the other misses; then, where the
    index holds a stronger embedder's vectors, that embedder's own ranking taken in turns.

    The candidate pool is the union of both rankers' top ``depth``; each score is min-max
    scaled within the pool and the two are averaged with weight ``keyword_weight``. Unlike
    reciprocal-rank fusion this keeps how far ahead a ranker's best passage is, which matters
    when BM25 alone knows a rare place name (measured in benchmarks/retrieval.py).

    EmbeddingGemma finds the passage a paraphrased question means where MiniLM and BM25 find
    passages that share its words; the fused ranking finds the rare name EmbeddingGemma ranks
    low. Taking the two rankings in turns ("hybrid, strong, hybrid, strong, ...") gives the first
    eight candidates (the re-scorer's) more of the questions' facts than either alone, on the
    dev halves of every corpus (Federalist 15.8 -> 19.0 facts of 23 questions, OMB 20.2 -> 21.5,
    MN AG 14.5 -> 15.0; seeds and ISAF unchanged).
    """

    name = "hybrid"

    def __init__(
        self, embedder: Embedder, depth: int = 100, keyword_weight: float = 0.5, strong: GemmaEmbedder | None = None, strong_wait_s: float = 0.5
    ) -> None:
        self.dense = DenseRanker(embedder)
        self.keyword = KeywordRanker()
        self.depth = depth
        self.keyword_weight = keyword_weight
        self.strong = strong
        # A question that would wait longer for EmbeddingGemma (many users at once) goes without it.
        self.strong_wait_s = strong_wait_s

    def _strong_rows(self, index: Index, query: Query, allowed: np.ndarray | None, n: int) -> np.ndarray:
        """The stronger embedder's best ``n`` rows, best first (none when it is absent or busy)."""
        if self.strong is None or index.strong_vectors is None or index.manifest.strong_embedder != self.strong.name:
            return np.zeros(0, dtype=np.int64)
        try:
            vector = self.strong.embed_query(query.text, wait_s=self.strong_wait_s)
        except ModelBusyError as busy:
            log.info("first stage without EmbeddingGemma: %s", busy)
            return np.zeros(0, dtype=np.int64)
        rows = np.arange(len(index.passages)) if allowed is None else allowed
        if rows.size == 0:
            return rows
        return np.asarray([row for row, _ in _top(index.strong_vectors[rows] @ vector, rows, n)], dtype=np.int64)

    def rank(self, index: Index, query: Query, allowed: np.ndarray | None, n: int) -> list[Ranked]:
        depth = max(n, self.depth)
        vector = self.dense.embedder.embed_query(query.text)
        keyword_scores = index.bm25.scores(query.tokens)
        if allowed is None:
            _, found = index.faiss_index.search(vector[None, :], min(depth, len(index.passages)))
            dense_rows = found[0][found[0] >= 0]
            keyword_rows = np.argpartition(-keyword_scores, min(depth, len(index.passages) - 1))[:depth]
        else:
            dense_rows = allowed[np.argsort(-(index.vectors[allowed] @ vector))[:depth]]
            keyword_rows = allowed[np.argsort(-keyword_scores[allowed])[:depth]]
        strong_rows = self._strong_rows(index, query, allowed, n)
        pool = np.union1d(np.union1d(dense_rows, keyword_rows[keyword_scores[keyword_rows] > 0]), strong_rows)
        if pool.size == 0:
            return []
        dense = index.vectors[pool] @ vector
        keyword = keyword_scores[pool]
        fused = (1 - self.keyword_weight) * min_max(dense) + self.keyword_weight * min_max(keyword)
        order = np.argsort(-fused, kind="stable")
        at = {int(row): i for i, row in enumerate(pool)}
        turns = [int(pool[i]) for i in order]
        if strong_rows.size:
            turns = _in_turns(turns, [int(r) for r in strong_rows])
        return [Ranked(row, float(fused[at[row]]), dense=float(dense[at[row]]), bm25=float(keyword[at[row]])) for row in turns[:n]]


def _in_turns(first: list[int], second: list[int]) -> list[int]:
    """Two rankings merged by taking turns, each row once.

    Example:
        >>> _in_turns([1, 2, 3, 4], [5, 2, 6])
        [1, 5, 2, 3, 6, 4]
    """
    merged: list[int] = []
    seen: set[int] = set()
    for i in range(max(len(first), len(second))):
        for ranking in (first, second):
            if i < len(ranking) and ranking[i] not in seen:
                seen.add(ranking[i])
                merged.append(ranking[i])
    return merged
