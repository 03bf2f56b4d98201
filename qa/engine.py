"""The question-answering engine: one object that owns the index, the retriever and the composer.

    question -> checks -> instructions dropped, premises set aside, words read as the
             documents write them -> constraints -> search (qa.search) -> answerability (code)
             -> disagreement? (code) -> compose -> verify -> Answer

Heavy parts (embedder, index, generator) load once, lazily, under a lock, so the CLI, the UI
and several browser sessions can share one engine. Nothing here is mutated per question. The
index of the engine's own folder is brought up to date when its files change (``refresh``): a
question holds the index it started with to its end.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from embeddings.build import BuildReport, build_index
from embeddings.embedder import Embedder, MiniLMEmbedder
from embeddings.errors import IndexStaleError, QAError
from embeddings.gemma import GemmaEmbedder, gemma_path, prepared
from embeddings.index import Index, load_index
from embeddings.manifest import corpus_fingerprint, corpus_state, rebuild_command
from qa import prompts
from qa.answer import Answer, Citation, Sources
from qa.answer_type import asked_fact, asks_person_name, change_word, expected_kind
from qa.catalog import list_statements
from qa.checks import Turn, check_history, check_question
from qa.compose import lead_and_points
from qa.config import Settings
from qa.constraints import Constraints, parse_period
from qa.contrast import what_changed
from qa.conversation import about_previous_answer, resolve_followup
from qa.disagreement import find_disagreement
from qa.entities import PersonFinder, make_person_finder, names_asked_person
from qa.evidence import (
    CorpusFacts,
    human_date,
    not_found_text,
    searched_statements,
    shown_word,
    supported,
    unmet_part_text,
    unnamed_person_text,
    unused_note,
)
from qa.extractive import dated_answer, disagreement_answer, extractive_answer, sources_answer
from qa.generators import GenerationError, Generator, make_generator
from qa.instructions import drop_instructions, without_addressing
from qa.parts import question_parts
from qa.premises import split_premises
from qa.query import foreign_letters, prepare_query, topical, unreadable
from qa.quotes import Quote, SearchResult
from qa.ranking import DenseRanker, HybridRanker, KeywordRanker, Ranker
from qa.rescore import GemmaRescorer, Rescorer
from qa.retrieve import Retriever, filtered_note
from qa.search import DISAGREEMENT_POOL, Search
from qa.verify import statement_facts, title_lines, verify

log = logging.getLogger(__name__)

#: A running engine looks for changed files in its folder at most this often (seconds).
REFRESH_SECONDS = 2.0
#: A question waits this long for changed files to be indexed; then it is answered from the
#: documents as they were, and says so (a folder of new files may take minutes to embed).
REFRESH_WAIT_SECONDS = 20.0
#: Said first while the index is still being brought up to date.
UPDATING_NOTE = (
    "The folder has changed since it was indexed and the index is being updated; "
    "this answer reads the documents as they were. Ask again in a moment for their current words.\n"
)
#: Said to a question written in a script the documents do not use.
FOREIGN_SCRIPT = (
    "The question is written in a script the documents do not use, so its words cannot be looked up. "
    "Ask it in the language of the documents."
)


class Engine:
    """Answers questions over one index. Thread-safe; load once, ask many times."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        rescorer: Rescorer | None = None,
        persons: PersonFinder | None = None,
    ) -> None:
        self.settings = settings
        self.embedder: Embedder = embedder or MiniLMEmbedder()
        self._generator = generator
        self._generator_made = generator is not None
        self._rescorer = rescorer
        self._rescorer_made = rescorer is not None
        self._persons = persons
        self._persons_made = persons is not None
        self._strong: GemmaEmbedder | None = None
        self._strong_made = False
        self._strong_lock = threading.Lock()
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._retrievers: dict[str, Retriever] = {}
        # What the corpus holds, and where each document's first passage starts (its title lines
        # lie before), each with the index it was read from: an update of the index replaces them.
        self._facts: tuple[Index, CorpusFacts] | None = None
        self._body_starts: tuple[Index, dict[str, int]] | None = None
        self._letters: tuple[Index, frozenset[str]] | None = None
        # The folder's files as last indexed (corpus_state), when last looked at, and the update
        # under way, if any: one at a time, in its own thread, so questions never wait long.
        self._state: str | None = None
        self._checked_at = 0.0
        self._updating: threading.Thread | None = None
        self._refresh_lock = threading.Lock()

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
            # Read before the build: a file changed while it runs is seen at the next look.
            self._state = corpus_state(settings.corpus_dir)
            self._checked_at = time.monotonic()
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

    def refresh(self, wait: float | None = None) -> bool:
        """Bring the index up to date when files of the engine's folder have changed since it was
        built: added, edited, removed. Returns False while the update is still under way after
        ``wait`` seconds (default ``REFRESH_WAIT_SECONDS``; the index loaded before it is still
        the one answering).

        Only an index the engine builds itself is kept up to date; one named with ``--index`` is
        the user's to rebuild. Looks at the folder's file sizes and times, at most every
        ``REFRESH_SECONDS``; the update itself re-reads only the files that changed.
        """
        if not self.settings.auto_index or self._index is None:
            return True
        with self._refresh_lock:
            update = self._updating
            if update is None:
                now = time.monotonic()
                if now - self._checked_at < REFRESH_SECONDS:
                    return True
                self._checked_at = now
                state = corpus_state(self.settings.corpus_dir)
                if state == self._state:
                    return True
                log.info("files of %s changed; updating the index", self.settings.corpus_dir)
                update = threading.Thread(target=self._update, args=(state,), name="index-update", daemon=True)
                self._updating = update
                update.start()
        update.join(REFRESH_WAIT_SECONDS if wait is None else wait)
        return not update.is_alive()

    def _update(self, state: str) -> None:
        """Rebuild the index of the changed folder and answer from it from then on."""
        try:
            report = self.ensure_index()
            index = load_index(self.settings.index_dir, self.embedder.name, self.settings.corpus_dir)
        except (QAError, OSError) as error:
            # The folder as it is now cannot be indexed (emptied, unreadable, the disk full):
            # the index as it was keeps answering, and the next change is tried again.
            log.warning("the index was not updated: %s", error)
        else:
            if report is not None:
                log.info("index updated: %d documents, %d passages embedded", report.n_documents, report.embedded)
            with self._lock:
                self._index = index
                self._retrievers = {}
        finally:
            with self._refresh_lock:
                self._state = state
                self._updating = None

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
        self.retriever("hybrid").lexicon.load()
        rescorer = self.rescorer
        if rescorer is not None and hasattr(rescorer, "load"):
            rescorer.load()
        if (persons := self.persons) is not None:
            persons.persons(["warm up"])
        generator = self.generator
        if generator is not None and hasattr(generator, "load"):
            generator.load()

    def retriever(self, ranker: str = "hybrid") -> Retriever:
        index = self.index  # loaded (or built) before the lock is taken
        strong = self.strong
        with self._lock:
            index = self._index or index  # the current one, should an update have just landed
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

    def _alphabet(self, index: Index) -> frozenset[str]:
        """Every character the index's documents hold (read once per index)."""
        cached = self._letters
        if cached is None or cached[0] is not index:
            cached = (index, frozenset().union(*(set(d.text) for d in index.documents.values())))
            self._letters = cached
        return cached[1]

    @property
    def facts(self) -> CorpusFacts:
        """What the current index holds: how many statements, of which dates, by whom."""
        index = self.index
        cached = self._facts
        if cached is None or cached[0] is not index:
            documents = index.documents.values()
            cached = (index, CorpusFacts.of((d.date for d in documents), (s for d in documents for s in d.speakers)))
            self._facts = cached
        return cached[1]

    def search_for(self, retriever: Retriever) -> Search:
        """One question's searches over the retriever's index, re-scored when a re-scorer is ready."""
        return Search(retriever.index, retriever, self.settings, self.rescorer)

    # ------------------------------------------------------------ asking

    def search(self, question: str, k: int | None = None, filters: Constraints | None = None, ranker: str = "hybrid") -> SearchResult:
        """Ranked quotes for a question.

        Raises:
            QuestionError: if the question is empty or too long.
        """
        question = check_question(question, self.settings.max_question_chars)
        self.refresh()
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
        of_answer = about_previous_answer(question) if history else None
        if of_answer is not None:
            # "Who said that?": the previous question's answer, asked again, says whose it is.
            previous = self.ask(history[-1].question, history[:-1], filters)
            if previous.status == "answered" and previous.citations:
                text, citations = sources_answer(of_answer, previous.citations)
                ms = (time.perf_counter() - started) * 1000
                yield text
                yield Answer(question, "answered", text, citations, {"retrieve": ms, "total": ms}, "conversation", previous.period)
                return
        asked, dropped = drop_instructions(question)
        if dropped:
            log.info("ignored instructions in the question: %s", dropped)
        asked, premises = split_premises(asked)
        if premises:
            log.info("set aside what the question asserts: %s", premises)
        earlier = [split_premises(drop_instructions(turn.question)[0])[0] for turn in history]
        resolved = resolve_followup(asked, earlier, self.facts.speakers if history else ())
        if resolved != question:
            log.info("follow-up %r read as %r", question, resolved)
        reading = "" if self.refresh() else UPDATING_NOTE
        if reading:
            yield reading
        # The question keeps this retriever's index to its end, whatever update lands meanwhile.
        retriever = self.retriever("hybrid")
        index = retriever.index
        if (foreign := foreign_letters(question)) and unreadable(foreign, self._alphabet(index)):
            text = FOREIGN_SCRIPT
            yield text
            yield Answer(question, "not_found", text, (), {"total": (time.perf_counter() - started) * 1000}, "declined")
            return
        resolved, respelt = retriever.lexicon.respell(resolved)
        # Said first, so a reader knows what was searched for: "Read “DPRK” as “Democratic ...”."
        respelling = f"Read {', '.join(f'“{r.written}” as “{r.read_as}”' for r in respelt)}.\n" if respelt else ""
        if respelling:
            log.info("question read as %r", resolved)
            reading += respelling
            yield respelling
        constraints = retriever.understand(resolved, filters)
        search = self.search_for(retriever)
        listed = list_statements(resolved, constraints, tuple(index.documents.values()))
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
            result, verdict = search.across(resolved, constraints, years, 2 if change_word(resolved) else 1)
        else:
            result, verdict = search.one(resolved, constraints)
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
            mentioning = search.mentioning(resolved, constraints)
            if mentioning.answerable:
                text, citations = extractive_answer(mentioning.quotes)
                text = f"No statement dated {constraints.period.label} answers this, but statements of other dates speak of {constraints.period.label}:\n{text}"
                yield text
                yield finish("answered", text, citations, "extractive, period mentioned")
                return
        if not verdict.answerable:
            if filters is not None and filters.any:
                # What a decline says of the documents (what they never mention, the years they
                # hold) would be said of the statements the filters allow, as if of them all.
                text = f"{filtered_note(index, filters)} None of them answers this."
            else:
                text = not_found_text(result, self.facts, search.topic_dates(resolved, result), verdict)
            yield text
            yield finish("not_found", text, (), "declined")
            return
        if len(years) <= 1 and self.generator is None:
            # Extractive answers only: a local model handed the wider quotes starts writing
            # about 0.8 s later (its prompt is longer), past the one-second mark.
            verdict = replace(verdict, quotes=search.widened(resolved, verdict.quotes))
        if len(years) <= 1 and expected_kind(resolved) is None:
            verdict = replace(verdict, quotes=search.under_heading(verdict.quotes))
        if len(years) <= 1 and (parts := question_parts(resolved)):
            quotes, unmet = search.with_parts(parts, constraints, verdict.quotes)
            if unmet:
                # "Was she convicted, and what sentence did she get?": the charges alone would
                # answer as if no sentence had been asked for.
                text = unmet_part_text(unmet, quotes[0])
                yield text
                yield finish("not_found", text, (), "declined")
                return
            verdict = replace(verdict, quotes=quotes)
        persons = self.persons if asks_person_name(resolved) and len(years) <= 1 else None
        if persons is not None and not names_asked_person(persons, verdict.quotes, resolved):
            # "What was the name of the deputy shadow governor?" answered with the release that
            # tells of him without his name would read as if it had answered.
            text = unnamed_person_text(verdict.quotes[0])
            yield text
            yield finish("not_found", text, (), "declined")
            return
        if verdict.unmentioned:
            # Said first, as a respelling is: the quotes answer the rest of the question only.
            names = " or ".join(f"“{shown_word(name)}”" for name in verdict.unmentioned)
            unmentioned = f"The documents never mention {names}; they say this on the rest of the question.\n"
            reading += unmentioned
            yield unmentioned
        # A name that only says who is asked ("did the White House say") need not be written.
        if (topical_unnamed := [n for n in result.unnamed if topical(result.question, n)]) and len(years) <= 1:
            # Asked "Did NATO condemn Russia in 2017?", the 2017 statement's condemnation of
            # North Korea is no answer about Russia unless the reader is told first.
            names = " or ".join(f"“{shown_word(name)}”" for name in topical_unnamed)
            unnamed = f"{searched_statements(result.constraints)} never mention {names}; they say this on the rest of the question.\n"
            reading += unnamed
            yield unnamed
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
        verdict = replace(verdict, quotes=search.joined(verdict.quotes))
        unused = search.unused(result, verdict)
        if unused:
            # "What did the governor say about bike lanes?" answered with "two of the bridge's
            # four lanes": the reader is told first that the statements never say "bike".
            note = unused_note(unused, len({q.ref.doc_id for q in verdict.quotes})) + "\n"
            reading += note
            yield note
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
        facts = [self._statement_facts(index, q) for q in quotes]
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

    def _statement_facts(self, index: Index, quote: Quote) -> str:
        """The quote's statement's own facts (title, date, speakers, title lines), never its body."""
        cached = self._body_starts
        if cached is None or cached[0] is not index:
            starts: dict[str, int] = {}
            for passage in index.passages:
                starts[passage.doc_id] = min(passage.start, starts.get(passage.doc_id, passage.start))
            cached = (index, starts)
            self._body_starts = cached
        doc = index.documents[quote.ref.doc_id]
        lines = title_lines(doc.text, cached[1].get(doc.doc_id, 0))
        return statement_facts(doc.title, quote.ref.date, doc.speakers, doc.publisher, doc.doc_type, lines)

    def _years_within(self, constraints: Constraints) -> list[int]:
        """Statement years inside a multi-year period (empty for a single year or none)."""
        period = constraints.period
        if period is None or period.first.year == period.last.year:
            return []
        return sorted({d.year for d in self.facts.dates if period.contains(d.first, d.last)})

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
    def persons(self) -> PersonFinder | None:
        """The tagger that tells which names are persons', or None (not installed)."""
        with self._lock:
            if not self._persons_made:
                self._persons_made = True
                self._persons = make_person_finder()
            return self._persons

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
