"""Okapi BM25 over passages, as plain numpy arrays that save to and load from one ``.npz``.

score(q, d) = sum over query terms t of
    idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))
with idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))   (Lucene's non-negative idf).

Pure: no model, no I/O apart from ``save``/``load``.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import snowballstemmer

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves say said says tell told""".split()
)
# Letters and digits of any script; underscores are no word characters here.
_TOKEN = re.compile(r"[^\W_]+")
# A Snowball stemmer keeps the word it is working on in its own fields, so one object shared by
# threads mixes their words up: each thread gets its own.
_STEMMERS = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter2) English stem of a lower-case word. Thread-safe.

    The cache is shared (``lru_cache`` is thread-safe; a word stemmed twice at once is stemmed
    the same way by both threads' stemmers).

    Example:
        >>> [stem(w) for w in ["missiles", "provinces", "proposed", "propose", "condemns"]]
        ['missil', 'provinc', 'propos', 'propos', 'condemn']
    """
    return _stemmer().stemWord(word)


def tokenize(text: str) -> list[str]:
    """Content-word tokens of a text: lower-cased, accents folded, stop words dropped, lightly stemmed.

    A word with an accent is one word, written either way ("Fernández", "Fernandez"), not two
    fragments ("fern", "ndez").

    Example:
        >>> tokenize("Señor Fernández met the Fernandez family in Zürich.")
        ['senor', 'fernandez', 'met', 'fernandez', 'famili', 'zurich']
    """
    text = text.lower().replace("’", "'").replace("'s", "")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return [stem(t) for t in _TOKEN.findall(text) if t not in STOPWORDS]


@dataclass(frozen=True)
class BM25Index:
    """Postings in compressed-sparse-row form: for term id t, ``doc_ids[indptr[t]:indptr[t+1]]``."""

    vocabulary: dict[str, int]
    indptr: np.ndarray
    doc_ids: np.ndarray
    term_freqs: np.ndarray
    doc_lengths: np.ndarray
    k1: float = 1.2
    b: float = 0.75

    @property
    def n_docs(self) -> int:
        return int(self.doc_lengths.shape[0])

    def idf(self, term: str) -> float:
        """Inverse document frequency of a token (0 for an unknown token)."""
        term_id = self.vocabulary.get(term)
        if term_id is None:
            return 0.0
        df = int(self.indptr[term_id + 1] - self.indptr[term_id])
        return float(np.log1p((self.n_docs - df + 0.5) / (df + 0.5)))

    def rows_with(self, term: str) -> np.ndarray:
        """The passages (rows) that use a token, in row order (empty for an unknown token)."""
        term_id = self.vocabulary.get(term)
        if term_id is None:
            return np.zeros(0, dtype=np.int64)
        return self.doc_ids[self.indptr[term_id] : self.indptr[term_id + 1]]

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for the query, shape (n_docs,)."""
        scores = np.zeros(self.n_docs, dtype=np.float32)
        if self.n_docs == 0:
            return scores
        avgdl = float(self.doc_lengths.mean()) or 1.0
        for term in set(query_tokens):
            term_id = self.vocabulary.get(term)
            if term_id is None:
                continue
            lo, hi = self.indptr[term_id], self.indptr[term_id + 1]
            docs, tf = self.doc_ids[lo:hi], self.term_freqs[lo:hi]
            norm = tf + self.k1 * (1 - self.b + self.b * self.doc_lengths[docs] / avgdl)
            scores[docs] += self.idf(term) * tf * (self.k1 + 1) / norm
        return scores

    def save(self, path: Path) -> None:
        """Write the index to ``path`` (an ``.npz``) and its vocabulary beside it."""
        np.savez(path, indptr=self.indptr, doc_ids=self.doc_ids, term_freqs=self.term_freqs, doc_lengths=self.doc_lengths)
        path.with_suffix(".vocab.json").write_text(json.dumps(self.vocabulary), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        """Read an index written by ``save``."""
        arrays = np.load(path)
        vocabulary = json.loads(path.with_suffix(".vocab.json").read_text(encoding="utf-8"))
        return cls(vocabulary, arrays["indptr"], arrays["doc_ids"], arrays["term_freqs"], arrays["doc_lengths"])


def build_bm25(token_lists: Sequence[Sequence[str]]) -> BM25Index:
    """Build the postings of a list of tokenised passages."""
    postings: dict[str, list[tuple[int, int]]] = {}
    for doc_id, tokens in enumerate(token_lists):
        for term, count in Counter(tokens).items():
            postings.setdefault(term, []).append((doc_id, count))
    vocabulary = {term: i for i, term in enumerate(sorted(postings))}
    indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    doc_ids: list[int] = []
    freqs: list[int] = []
    for term, term_id in vocabulary.items():
        entries = postings[term]
        indptr[term_id + 1] = indptr[term_id] + len(entries)
        doc_ids.extend(d for d, _ in entries)
        freqs.extend(c for _, c in entries)
    return BM25Index(
        vocabulary=vocabulary,
        indptr=indptr,
        doc_ids=np.asarray(doc_ids, dtype=np.int64),
        term_freqs=np.asarray(freqs, dtype=np.float32),
        doc_lengths=np.asarray([len(t) for t in token_lists], dtype=np.float32),
    )
