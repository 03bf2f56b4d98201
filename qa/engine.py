"""The question-answering engine: one object that owns the index, the retriever and the composer.

    question -> checks -> instructions dropped, premises set aside -> constraints -> search
             -> answerability (code) -> disagreement? (code) -> compose -> verify -> Answer

Heavy parts (embedder, index, generator) load once, lazily, under a lock, so the CLI, the UI
and several browser sessions can share one engine. Nothing here is mutated per question.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

from embeddings.build import BuildReport, build_index
from embeddings.dates import parse_iso
from embeddings.embedder import Embedder, MiniLMEmbedder
from embeddings.errors import IndexStaleError, QAError
from embeddings.gemma import GemmaEmbedder, document_text, gemma_path, prepared
from embeddings.index import Index, load_index
from embeddings.manifest import corpus_fingerprint, rebuild_command
from qa import prompts
from qa.answer import Answer, Citation, Sources
from qa.answer_type import change_word, expected_kind
from qa.catalog import list_statements
from qa.checks import Turn, check_history, check_question
from qa.compose import lead_and_points
from qa.config import Settings
from qa.constraints import Constraints, parse_period, year_period
from qa.contrast import what_changed
from qa.conversation import resolve_followup
from qa.cutting import is_heading
from qa.disagreement import asked_fact, find_disagreement
from qa.evidence import MAX_POINTS, CorpusFacts, Verdict, human_date, judge, may_be_supported, not_found_text, supported
from qa.extractive import dated_answer, disagreement_answer, extractive_answer
from qa.generators import GenerationError, Generator, make_generator
from qa.instructions import drop_instructions, without_addressing
from qa.parts import question_parts
from qa.premises import split_premises
from qa.query import prepare_query
from qa.quotes import Quote, SearchResult, source_ref
from qa.ranking import DenseRanker, HybridRanker, KeywordRanker, Ranker
from qa.rescore import GemmaRescorer, Rescorer, RescorerBusy
from qa.retrieve import Retriever
from qa.values import mentions_within
from qa.verify import statement_facts, title_lines, verify

#: An answer across time quotes at most this many periods (the most recent ones).
MAX_PERIODS = 4
#: For a date or number, this many times ``k`` quotes are compared for disagreement: the
#: answer quotes the best few, but a disagreeing source may rank just below them.
DISAGREEMENT_POOL = 2
log = logging.getLogger(__name__)


def _days(iso: str) -> tuple[date, date]:
    """The first and last day a statement's ISO date may mean."""
    value = parse_iso(iso)
    return value.first, value.last


def _overlap(a: Quote, b: Quote) -> bool:
    """Whether two quotes share words of one document."""
    return a.ref.doc_id == b.ref.doc_id and a.ref.start < b.ref.end and b.ref.start < a.ref.end


class Engine:
    """Answers questions over one index. Thread-safe; load once, ask many times."""

    def __init__(
        self, settings: Settings, embedder: Embedder | None = None, generator: Generator | None = None, rescorer: Rescorer | None = None
    ) -> None:
        self.settings = settings
        self.embedder: Embedder = embedder or MiniLMEmbedder()
        self._generator = generator
        self._generator_made = generator is not None
        self._rescorer = rescorer
        self._rescorer_made = rescorer is not None
        self._strong: GemmaEmbedder | None = None
        self._strong_made = False
        self._strong_lock = threading.Lock()
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._retrievers: dict[str, Retriever] = {}
        self._facts: CorpusFacts | None = None
        # Where each document's first passage starts: its title lines lie before.
        self._body_starts: dict[str, int] | None = None

    # ------------------------------------------------------------ loading

    def ensure_index(self) -> BuildReport | None:
        """Build or refresh the default index when allowed; a no-op when it is current."""
        if not self.settings.auto_index:
            return None
        return build_index(self.settings.corpus_dir, self.settings.index_dir, self.embedder, strong=self.strong)

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

    @property
    def generator(self) -> Generator | None:
        """The configured answer composer (None: extractive answers only)."""
        with self._lock:
            if not self._generator_made:
                s = self.settings
                self._generator = make_generator(s.generator, s.model, s.models_dir, s.threads, s.openai_url, s.openai_model, s.int8)
                self._generator_made = True
            return self._generator

    def warm_up(self) -> None:
        """Load the index, the embedder and the generator now rather than on the first question."""
        self.embedder.embed_query("warm up")
        _ = self.retriever("hybrid")
        rescorer = self.rescorer
        if rescorer is not None and hasattr(rescorer, "load"):
            rescorer.load()
        generator = self.generator
        if generator is not None and hasattr(generator, "load"):
            generator.load()

    def retriever(self, ranker: str = "hybrid") -> Retriever:
        index = self.index
        strong = self.strong
        with self._lock:
            if ranker not in self._retrievers:
                rankers: dict[str, Ranker] = {
                    "hybrid": HybridRanker(self.embedder, strong=strong),
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
            documents = self.index.documents.values()
            self._facts = CorpusFacts.of((d.date for d in documents), (s for d in documents for s in d.speakers))
        return self._facts

    # ------------------------------------------------------------ asking

    def search(self, question: str, k: int | None = None, filters: Constraints | None = None, ranker: str = "hybrid") -> SearchResult:
        """Ranked quotes for a question.

        Raises:
            QuestionError: if the question is empty or too long.
        """
        question = check_question(question, self.settings.max_question_chars)
        retriever = self.retriever(ranker)
        question, _ = retriever.lexicon.respell(question)
        return retriever.search(question, k or self.settings.k, filters)

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Constraints | None = None) -> Answer:
        """A verified answer to one question (the last event of ``ask_stream``)."""
        answer = None
        for event in self.ask_stream(question, history, filters):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None  # ask_stream always ends with an Answer
        return answer

    def ask_stream(
        self, question: str, history: Sequence[Turn] = (), filters: Constraints | None = None
    ) -> Iterator[str | Sources | Answer]:
        """Yield the quotes found, answer text as it is produced, then the final verified Answer.

        The streamed text is the model's draft; the Answer that follows is what survived
        verification (or the extractive fallback), and is what a caller should keep.

        Before the model writes, the quotes it is given are sent as ``Sources``, so a reader can
        show the evidence while the answer is composed (and while it waits for the model).

        Raises:
            QuestionError: if the question, or an earlier one in the history, is empty, too
                long or not valid text.
        """
        started = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        history = check_history(history, self.settings.max_history_turns, self.settings.max_question_chars)
        asked, dropped = drop_instructions(question)
        if dropped:
            log.info("ignored instructions in the question: %s", dropped)
        asked, premises = split_premises(asked)
        if premises:
            log.info("set aside what the question asserts: %s", premises)
        resolved = resolve_followup(asked, [split_premises(drop_instructions(turn.question)[0])[0] for turn in history])
        if resolved != question:
            log.info("follow-up %r read as %r", question, resolved)
        retriever = self.retriever("hybrid")
        resolved, respelt = retriever.lexicon.respell(resolved)
        # Said first, so a reader knows what was searched for: "Read “DPRK” as “Democratic ...”."
        reading = f"Read {', '.join(f'“{r.written}” as “{r.read_as}”' for r in respelt)}.\n" if respelt else ""
        if reading:
            log.info("question read as %r", resolved)
            yield reading
        constraints = retriever.understand(resolved, filters)
        listed = list_statements(resolved, constraints, tuple(self.index.documents.values()))
        if listed is not None:
            # A question about the collection itself ("Which papers did Jay write?"): the list
            # comes from the documents' facts, each statement cited by its opening lines.
            ms = (time.perf_counter() - started) * 1000
            yield listed.text
            text = reading + listed.text
            yield Answer(question, "answered", text, listed.citations, {"retrieve": ms, "total": ms}, "catalog", listed.period)
            return
        # Only a question that itself spans years is answered per year; a year filter set in the
        # UI narrows the search but does not turn every question into a comparison.
        years = self._years_within(constraints) if parse_period(resolved) else []
        if len(years) > 1:
            # Asked how something changed, each year gives up to two points of its statement.
            result, verdict = self._search_across(retriever, resolved, constraints, years, 2 if change_word(resolved) else 1)
        else:
            result, verdict = self._search_one(retriever, resolved, constraints)
        retrieved = time.perf_counter()
        timings = {"retrieve": (retrieved - started) * 1000}
        period = constraints.period.label if constraints.period else None

        def finish(status: str, text: str, citations: tuple[Citation, ...], method: str) -> Answer:
            now = time.perf_counter()
            timings.update(generate=(now - retrieved) * 1000, total=(now - started) * 1000)
            return Answer(question, status, reading + text, citations, dict(timings), method, period)

        if not verdict.answerable and constraints.period is not None and len(years) <= 1:
            # No statement of the period answers; a statement of another date may speak of it
            # in so many words ("In 2017, the Bureau had ..."). That is an answer, said as such.
            mentioning = self._mentioning(retriever, resolved, constraints)
            if mentioning.answerable:
                text, citations = extractive_answer(mentioning.quotes)
                text = f"No statement dated {constraints.period.label} answers this, but statements of other dates speak of {constraints.period.label}:\n{text}"
                yield text
                yield finish("answered", text, citations, "extractive, period mentioned")
                return
        if not verdict.answerable:
            text = not_found_text(result, self.facts, self._topic_dates(resolved, result), verdict)
            yield text
            yield finish("not_found", text, (), "declined")
            return
        if len(years) <= 1 and expected_kind(resolved) is None:
            verdict = replace(verdict, quotes=self._under_heading(verdict.quotes))
        if len(years) <= 1 and (parts := question_parts(resolved)):
            verdict = replace(verdict, quotes=self._with_parts(retriever, parts, constraints, verdict.quotes))
        if len(years) <= 1 and asked_fact(resolved):
            # A date or number asked: look wider than the answer's quotes, so a document that
            # says otherwise cannot hide the others (nor the others hide it).
            wider = retriever.search_with(resolved, constraints, DISAGREEMENT_POOL * self.settings.k)
            pool = [q for q in wider.quotes if supported(q)]
            sides = find_disagreement(resolved, pool, prepare_query(resolved, constraints).subject)
            if sides:
                # The sources disagree: code says so and shows each side; no model picks one.
                text, citations = disagreement_answer(sides)
                log.info("sources disagree: %s", [(s.value, s.documents) for s in sides])
                yield text
                yield finish("answered", text, citations, "disagreement")
                return
        # Asked how something changed across years, the answer ends by naming what only one end
        # of the span says, each side cited.
        asked_change = prepare_query(resolved, constraints).subject if len(years) > 1 and change_word(resolved) else None
        generator = self.generator
        if generator is None:
            text, citations = extractive_answer(verdict.quotes)
            if asked_change is not None and (changed := what_changed(citations, asked_change)):
                text = f"{text}\n{changed}"
            yield text
            yield finish("answered", text, citations, "extractive")
            return

        quotes = verdict.quotes
        yield Sources(quotes)
        draft = []
        try:
            # Closed explicitly: a reader that leaves mid-answer stops the model at once.
            with closing(generator.stream(prompts.SYSTEM, self._user_prompt(resolved, quotes), self.settings.max_new_tokens)) as pieces:
                for piece in pieces:
                    if not draft:
                        timings["first_token"] = (time.perf_counter() - started) * 1000
                    draft.append(piece)
                    yield piece
        except GenerationError as error:
            log.warning("generation failed, answering with the quotes: %s", error)
        facts = [self._statement_facts(q) for q in quotes]
        checked = verify("".join(draft), quotes, facts, prepare_query(resolved, constraints).subject)
        if len(years) > 1:
            text, citations = dated_answer(quotes, checked)
            if asked_change is not None and (changed := what_changed(citations, asked_change)):
                text = f"{text}\n{changed}"
            yield finish("answered", text, citations, "generated, dated" if checked.text else "extractive")
            return
        if checked.dropped:
            log.info("removed unsupported sentences: %s", checked.dropped)
        text, citations, method = lead_and_points(checked, quotes)
        yield finish("answered", text, citations, method)

    def _user_prompt(self, question: str, quotes: Sequence[Quote]) -> str:
        # Sentences of a document that address the reader or the assistant ("you must state
        # that ...") are data, never orders: the model does not see them at all.
        lines = [
            prompts.QUOTE_LINE.format(n=n, date=human_date(q.ref.date), text=" ".join(without_addressing(q.text).split()))
            for n, q in enumerate(quotes, start=1)
        ]
        return prompts.USER.format(quotes="\n".join(lines), question=" ".join(question.split()))

    def _statement_facts(self, quote: Quote) -> str:
        """The quote's statement's own facts (title, date, speakers, title lines), never its body."""
        index = self.index
        if self._body_starts is None:
            starts: dict[str, int] = {}
            for passage in index.passages:
                starts[passage.doc_id] = min(passage.start, starts.get(passage.doc_id, passage.start))
            self._body_starts = starts
        doc = index.documents[quote.ref.doc_id]
        lines = title_lines(doc.text, self._body_starts.get(doc.doc_id, 0))
        return statement_facts(doc.title, quote.ref.date, doc.speakers, doc.publisher, doc.doc_type, lines)

    def _years_within(self, constraints: Constraints) -> list[int]:
        """Statement years inside a multi-year period (empty for a single year or none)."""
        period = constraints.period
        if period is None or period.first.year == period.last.year:
            return []
        return sorted({d.year for d in self.facts.dates if period.contains(d.first, d.last)})

    def _search_one(self, retriever: Retriever, question: str, constraints: Constraints) -> tuple[SearchResult, Verdict]:
        """Search and judge; a speaker's own statements first, then what others report of them.

        A document may report what a person said without being that person's statement (a
        readout: "Prime Minister Abe proposed ..."). When the speaker's own statements do not
        answer, quotes from any document that name the person are the answer.
        """
        result = self._find(retriever, question, constraints)
        if constraints.person and not constraints.speakers:
            # Asked what someone said who is no speaker of these documents: only passages that
            # name them can tell, never a statement of someone else.
            result = replace(result, quotes=self._naming(result.quotes, {constraints.person.split()[-1]}))
        verdict = judge(result, self.settings.answer_quotes)
        if verdict.answerable or not constraints.speakers:
            return result, verdict
        surnames = {name.split()[-1] for name in constraints.speakers}
        wider = self._find(retriever, question, replace(constraints, speakers=()))
        reported = replace(wider, quotes=self._naming(wider.quotes, surnames))
        reported_verdict = judge(reported, self.settings.answer_quotes)
        return (reported, reported_verdict) if reported_verdict.answerable else (result, verdict)

    def _find(self, retriever: Retriever, question: str, constraints: Constraints) -> SearchResult:
        """The question's candidate quotes, re-ordered by the second-stage re-scorer if there is one."""
        rescorer = self.rescorer
        if rescorer is None:
            return retriever.search_with(question, constraints, self.settings.k)
        result = retriever.search_with(question, constraints, max(self.settings.k, self.settings.rescore_candidates))
        if not result.quotes or result.unknown_names or not any(may_be_supported(q) for q in result.quotes):
            # Declined on the first stage's evidence already: no need to wait for the re-scorer.
            return replace(result, quotes=result.quotes[: self.settings.k])
        texts = [document_text(q.ref.title, q.text) for q in result.quotes]
        try:
            scores = rescorer.scores(question, texts)
        except RescorerBusy as busy:
            log.info("answering in the first stage's order: %s", busy)
            return replace(result, quotes=result.quotes[: self.settings.k])
        ranked = sorted(zip(scores.tolist(), range(len(texts)), result.quotes, strict=True), reverse=True)
        quotes = tuple(replace(q, relevance=score) for score, _, q in ranked)
        return replace(result, quotes=quotes[: self.settings.k])

    @property
    def strong(self) -> GemmaEmbedder | None:
        """EmbeddingGemma, shared by the index build, the first stage and the re-scorer; None
        when it is switched off or not prepared (logged once)."""
        with self._strong_lock:
            if not self._strong_made:
                self._strong_made = True
                if self.settings.rescorer == "gemma":
                    self._strong = prepared(self.settings.models_dir)
                    if self._strong is None:
                        log.warning(
                            "EmbeddingGemma is not prepared in %s; search and answers use MiniLM and BM25 alone (run: python -m qa prepare)",
                            gemma_path(self.settings.models_dir),
                        )
                elif self.settings.rescorer != "none":
                    raise QAError(f"unknown re-scorer {self.settings.rescorer!r}; choose gemma or none")
            return self._strong

    @property
    def rescorer(self) -> Rescorer | None:
        """The second-stage re-scorer, or None (not configured, or not prepared)."""
        strong = self.strong
        with self._lock:
            if not self._rescorer_made:
                self._rescorer_made = True
                if strong is not None:
                    self._rescorer = GemmaRescorer(strong)
            return self._rescorer

    def _naming(self, quotes: Sequence[Quote], surnames: set[str]) -> tuple[Quote, ...]:
        """The quotes whose paragraph, or whose statement's title, names one of these people
        ("Statement from Attorney General Ellison on ...": every sentence of it is his)."""
        return tuple(
            q for q in quotes if any(re.search(rf"\b{re.escape(s)}\b", f"{q.ref.title}\n{self._paragraph_of(q)}") for s in surnames)
        )

    def _paragraph_of(self, quote: Quote) -> str:
        """The paragraph a quote stands in (the quote itself when the layout is unknown)."""
        doc = self.index.documents[quote.ref.doc_id]
        for a, b in doc.paragraphs:
            if a <= quote.ref.start < b:
                return doc.text[a:b]
        return quote.text

    def _search_across(
        self, retriever: Retriever, question: str, constraints: Constraints, years: list[int], points: int = 1
    ) -> tuple[SearchResult, Verdict]:
        """One search per year of a period, so an answer across time quotes every year that speaks.

        Each year gives its leading quote and, with ``points`` > 1, as many of that statement's
        further points. Of more years than ``MAX_PERIODS``, the first and the latest are kept: a
        question how something changed is answered from both ends of its span.
        """
        per_year: list[tuple[Quote, ...]] = []
        for year in years:
            narrowed = replace(constraints, period=year_period(year, year, str(year)))
            result = self._find(retriever, question, narrowed)
            verdict = judge(result, points)
            if verdict.answerable:
                lead = verdict.quotes[0]
                per_year.append(tuple(q for q in verdict.quotes if q.ref.doc_id == lead.ref.doc_id)[:points])
        if len(per_year) > MAX_PERIODS:
            per_year = [per_year[0], *per_year[-(MAX_PERIODS - 1) :]]
        quotes = tuple(q for year in per_year for q in year)
        merged = SearchResult(question, constraints, quotes, len(quotes), retriever.ranker.name)
        if not quotes:
            return merged, Verdict(False, (), "no year of the period has a supporting quote")
        return merged, Verdict(True, quotes, "supported per year")

    def _with_parts(self, retriever: Retriever, parts: tuple[str, ...], constraints: Constraints, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
        """The answer's quotes with the fact each part of the question asks for.

        Each part is searched on its own, first within the leading quote's statement (the parts
        of one question are mostly about one event), then within the whole question's bounds.
        A part's best new quote joins the answer after the lead.
        """
        lead = quotes[0]
        added: list[Quote] = []
        for part in parts:
            for narrowed in (replace(constraints, doc_ids=(lead.ref.doc_id,)), constraints):
                # The part's best quote, or the one nearly as good behind it when the best is
                # shown already: the lead about 50 overdoses ranks first for "which drug" too.
                verdict = judge(self._find(retriever, part, narrowed), 2)
                if verdict.answerable:
                    found = next((f for f in verdict.quotes if not any(_overlap(f, q) for q in (*quotes, *added))), None)
                    if found is not None:
                        added.append(found)
                    break
        rest = tuple(q for q in quotes[1:] if not any(_overlap(q, a) for a in added))
        return (lead, *added, *rest)[: max(MAX_POINTS, 1 + len(added))]

    def _under_heading(self, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
        """For an open question led by a heading ("Statement ... on the death of George Floyd"),
        the statement's first sentences after it: a heading names what the text under it says."""
        lead = quotes[0]
        if not is_heading(lead.text):
            return quotes
        doc = self.index.documents[lead.ref.doc_id]
        following = sorted((p for p in self.index.passages if p.doc_id == doc.doc_id and p.start >= lead.ref.end), key=lambda p: p.start)
        body: list[Quote] = []
        for passage in following:
            if len(body) >= MAX_POINTS - 1:
                break
            if is_heading(passage.text) or passage.text.lstrip()[:1].islower():
                continue  # a heading of its own, or the middle of a sentence cut by a line break
            # A point is a sentence or two: the passage's opening, as its own exact words.
            start, end = passage.sentences[0][0], passage.sentences[min(1, len(passage.sentences) - 1)][1]
            text = doc.text[start:end]
            body.append(replace(lead, ref=source_ref(doc, start, end), text=text, also=()))
        if not body:
            return quotes
        rest = tuple(q for q in quotes[1:] if q.ref.doc_id != doc.doc_id)
        return (lead, *body, *rest)[:MAX_POINTS]

    def _mentioning(self, retriever: Retriever, question: str, constraints: Constraints) -> Verdict:
        """Quotes from statements of any date whose own words name a date within the question's period."""
        period = constraints.period
        assert period is not None
        if constraints.person and not constraints.speakers:
            # Asked what someone said who is no speaker here: only their own words would do.
            return Verdict(False, (), "a person who is no speaker")
        wider = retriever.search_with(question, replace(constraints, period=None), DISAGREEMENT_POOL * self.settings.k)
        # Statements dated in the period were searched already; the others count only where
        # their quoted words name the period.
        quotes = tuple(
            q
            for q in wider.quotes
            if mentions_within(q.text, period.first, period.last) and not (q.ref.date and period.contains(*_days(q.ref.date)))
        )
        return judge(replace(wider, quotes=quotes), self.settings.answer_quotes)

    def _topic_dates(self, question: str, result: SearchResult) -> list:
        """Dates of statements that would answer the question if its period were dropped."""
        if result.constraints.period is None:
            return []
        wider = self.retriever("hybrid").search_with(question, replace(result.constraints, period=None), 2 * self.settings.k)
        verdict = judge(wider, 2 * self.settings.k)
        dates = []
        for quote in verdict.quotes:
            doc = self.index.documents[quote.ref.doc_id]
            if doc.date:
                dates.append(doc.date.first)
        return dates
