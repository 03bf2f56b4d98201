"""The question-answering engine: one object that owns the index, the retriever and the composer.

    question -> checks -> constraints -> search -> answerability (code) -> compose -> Answer

Heavy parts (embedder, index, generator) load once, lazily, under a lock, so the CLI, the UI
and several browser sessions can share one engine. Nothing here is mutated per question.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from embeddings.embedder import Embedder, MiniLMEmbedder
from embeddings.errors import IndexStaleError, QAError
from embeddings.index import BuildReport, Index, build_index, corpus_fingerprint, load_index, rebuild_command
from qa.answer import Answer
from qa.config import Settings
from qa.constraints import Constraints
from qa.evidence import CorpusFacts, judge, not_found_text
from qa.extractive import extractive_answer
from qa.retrieve import DenseRanker, HybridRanker, KeywordRanker, Ranker, Retriever, SearchResult

log = logging.getLogger(__name__)


class QuestionError(QAError):
    """The question cannot be asked as it is (empty, too long)."""


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""


def check_question(question: str, max_chars: int) -> str:
    """The question stripped, or QuestionError saying what to change."""
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("the question is empty: type a question about the documents")
    if len(question) > max_chars:
        raise QuestionError(f"the question is {len(question)} characters long; keep it under {max_chars}")
    return question.strip()


class Engine:
    """Answers questions over one index. Thread-safe; load once, ask many times."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder: Embedder = embedder or MiniLMEmbedder()
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._retrievers: dict[str, Retriever] = {}
        self._facts: CorpusFacts | None = None

    # ------------------------------------------------------------ loading

    def ensure_index(self) -> BuildReport | None:
        """Build or refresh the default index when allowed; a no-op when it is current."""
        if not self.settings.auto_index:
            return None
        return build_index(self.settings.corpus_dir, self.settings.index_dir, self.embedder)

    @property
    def index(self) -> Index:
        with self._lock:
            if self._index is None:
                self._index = self._load()
            return self._index

    def _load(self) -> Index:
        settings = self.settings
        if settings.auto_index:
            report = self.ensure_index()
            if report and not report.unchanged:
                log.info("index updated: %d documents, %d passages embedded", report.n_documents, report.embedded)
            return load_index(settings.index_dir, self.embedder.name, settings.corpus_dir)
        index = load_index(settings.index_dir, self.embedder.name)
        built_from = Path(index.manifest.corpus_dir)
        if built_from.is_dir() and corpus_fingerprint(built_from) != index.manifest.corpus_fingerprint:
            raise IndexStaleError(
                f"the corpus in {built_from} has changed since the index was built; update it with: "
                f"{rebuild_command(str(built_from), settings.index_dir)}"
            )
        return index

    def warm_up(self) -> None:
        """Load the index and the embedder now rather than on the first question."""
        self.embedder.embed_query("warm up")
        _ = self.retriever("hybrid")

    def retriever(self, ranker: str = "hybrid") -> Retriever:
        index = self.index
        with self._lock:
            if ranker not in self._retrievers:
                rankers: dict[str, Ranker] = {
                    "hybrid": HybridRanker(self.embedder),
                    "dense": DenseRanker(self.embedder),
                    "bm25": KeywordRanker(),
                }
                if ranker not in rankers:
                    raise QAError(f"unknown retriever {ranker!r}; choose hybrid, dense or bm25")
                self._retrievers[ranker] = Retriever(index, rankers[ranker])
            return self._retrievers[ranker]

    @property
    def facts(self) -> CorpusFacts:
        if self._facts is None:
            self._facts = CorpusFacts.of(d.date for d in self.index.documents.values())
        return self._facts

    # ------------------------------------------------------------ asking

    def search(self, question: str, k: int | None = None, filters: Constraints | None = None, ranker: str = "hybrid") -> SearchResult:
        """Ranked quotes for a question.

        Raises:
            QuestionError: if the question is empty or too long.
        """
        question = check_question(question, self.settings.max_question_chars)
        return self.retriever(ranker).search(question, k or self.settings.k, filters)

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Constraints | None = None) -> Answer:
        """A verified answer to one question (the last event of ``ask_stream``)."""
        answer = None
        for event in self.ask_stream(question, history, filters):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None  # ask_stream always ends with an Answer
        return answer

    def ask_stream(self, question: str, history: Sequence[Turn] = (), filters: Constraints | None = None) -> Iterator[str | Answer]:
        """Yield answer text as it is produced, then the final verified Answer.

        Raises:
            QuestionError: if the question is empty or too long.
        """
        started = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        retriever = self.retriever("hybrid")
        result = retriever.search(question, self.settings.k, filters)
        verdict = judge(result, self.settings.answer_quotes)
        retrieved = time.perf_counter()
        timings = {"retrieve": (retrieved - started) * 1000}
        period = result.constraints.period.label if result.constraints.period else None
        if not verdict.answerable:
            text = not_found_text(result, self.facts, self._topic_dates(question, result), verdict)
            timings.update(generate=0.0, total=(time.perf_counter() - started) * 1000)
            yield text
            yield Answer(question, "not_found", text, (), timings, "declined", period)
            return
        text, citations = extractive_answer(verdict.quotes)
        yield text
        timings.update(generate=(time.perf_counter() - retrieved) * 1000, total=(time.perf_counter() - started) * 1000)
        yield Answer(question, "answered", text, citations, timings, "extractive", period)

    def _topic_dates(self, question: str, result: SearchResult) -> list:
        """Dates of statements that would answer the question if its period were dropped."""
        if result.constraints.period is None:
            return []
        from dataclasses import replace

        wider = self.retriever("hybrid").search_with(question, replace(result.constraints, period=None), 2 * self.settings.k)
        verdict = judge(wider, 2 * self.settings.k)
        dates = []
        for quote in verdict.quotes:
            doc = self.index.documents[quote.ref.doc_id]
            if doc.date:
                dates.append(doc.date.first)
        return dates
