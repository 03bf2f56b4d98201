"""The searches one question needs: re-scored, per speaker, per year, per part of the question.

    question -> first stage (retriever) -> re-scorer -> judged -> more searches where the
    question asks for them: each year of a span, each part of a two-part question, the
    statement under a heading, what other statements report of a speaker

A ``Search`` is made per question over the engine's loaded parts and is not kept; it holds no
state of its own beyond them, so threads never share one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from embeddings.bm25 import tokenize
from embeddings.dates import parse_iso
from embeddings.documents import Document
from embeddings.gemma import document_text
from embeddings.index import Index
from embeddings.layout import sentence_spans
from qa.answer_type import AMOUNT, NUMBER, asked_kind, carries
from qa.config import Settings
from qa.constraints import Constraints, speaks, their_words
from qa.cutting import is_heading
from qa.evidence import MAX_POINTS, Verdict, is_title, judge, may_be_supported, quote_words, supported, unused_words
from qa.parts import with_scene
from qa.query import name_tokens, prepare_query
from qa.quotes import Quote, SearchResult, SourceRef, covers, overlaps, source_ref
from qa.rescore import Rescorer, RescorerBusy
from qa.retrieve import Retriever
from qa.values import mentions_within

#: An answer across time quotes at most this many periods (the first and the most recent ones).
MAX_PERIODS = 4
#: For a date or number, this many times ``k`` quotes are compared for disagreement: the
#: answer quotes the best few, but a disagreeing source may rank just below them.
DISAGREEMENT_POOL = 2
#: Two quotes of one statement with one sentence between them are joined into one
#: quote no longer than this (about eight average sentences).
MAX_JOINED_CHARS = 1200
#: A quote takes in a neighbouring sentence when the re-scorer finds the wider quote at least
#: this much closer to the question (cosine).
WIDEN_MARGIN = 0.02
log = logging.getLogger(__name__)


def says_more(quote: Quote, asked: frozenset[str]) -> bool:
    """Whether a quote holds a word beyond the question's tokens (``asked``): a byline that
    only repeats the name the question gives ("HAMILTON") answers none of its parts.

    Example:
        >>> ref = SourceRef("f65", "FEDERALIST No. 65", "1788-03-07", "Hamilton", "document", "f65.txt", 0, 8)
        >>> asked = frozenset(tokenize("What did Hamilton say, and who should bring the charges?"))
        >>> says_more(Quote(ref, "HAMILTON", 1, 1, 1, 1), asked), says_more(Quote(ref, "The representatives of the nation.", 1, 1, 1, 1), asked)
        (False, True)
    """
    return not set(tokenize(quote.text)) <= asked


def _days(iso: str) -> tuple[date, date]:
    """The first and last day a statement's ISO date may mean."""
    value = parse_iso(iso)
    return value.first, value.last


def _sentences_around(doc: Document, spans: list[tuple[int, int]], start: int, end: int) -> tuple[int | None, int | None]:
    """Where the sentence just before ``start`` starts and where the one just after ``end``
    ends (None where there is none, or it is a heading line). A press release's paragraphs
    are often one sentence each, so the neighbour may open the next paragraph."""
    before = [a for a, b in spans if b <= start and doc.text[b:start].strip() == "" and not is_heading(doc.text[a:b])]
    after = [b for a, b in spans if a >= end and doc.text[end:a].strip() == "" and not is_heading(doc.text[a:b])]
    return (before[-1] if before else None), (after[0] if after else None)


class Search:
    """One question's searches over one index, first stage and re-scorer."""

    def __init__(self, index: Index, retriever: Retriever, settings: Settings, rescorer: Rescorer | None) -> None:
        self.index = index
        self.retriever = retriever
        self.settings = settings
        self.rescorer = rescorer

    def find(self, question: str, constraints: Constraints) -> SearchResult:
        """The question's candidate quotes, re-ordered by the second-stage re-scorer if there is one."""
        rescorer = self.rescorer
        if rescorer is None:
            return self.retriever.search_with(question, constraints, self.settings.k)
        result = self.retriever.search_with(question, constraints, max(self.settings.k, self.settings.rescore_candidates))
        if not result.quotes or not any(may_be_supported(q) for q in result.quotes):
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

    def one(self, question: str, constraints: Constraints) -> tuple[SearchResult, Verdict]:
        """Search and judge; a speaker's own statements first, then what others report of them.

        A document may report what a person said without being that person's statement (a
        readout: "Prime Minister Abe proposed ..."). When the speaker's own statements do not
        answer, quotes from any document that name the person are the answer.
        """
        if constraints.person and not constraints.speakers:
            # Asked what someone said who is no speaker of these documents: only passages that
            # name them can tell, never a statement of someone else. The search looks only in
            # the statements that name them, or a report quoting them ("..., said Maj. Gen.
            # David Garza") ranks below the many statements on the same subject.
            surname = constraints.person.split()[-1]
            result = self.find(question, replace(constraints, doc_ids=self._naming_documents(surname, constraints.doc_ids)))
            quotes = self._naming(result.quotes, {surname})
            quotes = self._about(quotes, question, constraints.person)
            # Two quotes near one quotation become the same quote: it is shown once, where first.
            spoken: dict[tuple[str, int, int], Quote] = {}
            for quote in quotes:
                said = self._in_their_words(quote, surname)
                spoken.setdefault((said.ref.doc_id, said.ref.start, said.ref.end), said)
            result = replace(result, quotes=tuple(spoken.values()))
        else:
            result = self.find(question, constraints)
        verdict = judge(result, self.settings.answer_quotes)
        if verdict.uncounted:
            result, verdict = self.figure_within(question, constraints, result, verdict)
        if not constraints.speakers:
            return result, verdict
        # The speaker's own statements may answer only the rest of the question ("What did Abe
        # propose during the courtesy call?" answered from his speech, which never says
        # "courtesy"), while a report of what they said uses its words (the readout of the call).
        unused = self.unused(result, verdict) if verdict.answerable else None
        if unused == ():
            return result, verdict
        surnames = {name.split()[-1] for name in constraints.speakers}
        wider = self.find(question, replace(constraints, speakers=()))
        reported = replace(wider, quotes=self._about(self._naming(wider.quotes, surnames), question, *constraints.speakers))
        reported_verdict = judge(reported, self.settings.answer_quotes)
        if reported_verdict.answerable and (unused is None or len(self.unused(reported, reported_verdict)) < len(unused)):
            return reported, reported_verdict
        return result, verdict

    def figure_within(self, question: str, constraints: Constraints, result: SearchResult, verdict: Verdict) -> tuple[SearchResult, Verdict]:
        """Asked how many of something, with no quote giving the count: it may stand in another
        sentence of the statement the question points to ("cleared 35 buildings" a paragraph
        below the line naming the village). That statement, the one of the most relevant
        supported quote, is searched on its own; its answer stands only if a quote of it gives
        the count, judged as any answer is.
        """
        kind = asked_kind(question) or ""
        lead = next((q for q in result.quotes if supported(q)), None)
        # Only a count of something named ("how many buildings") is looked for so: any sum or
        # number ("how much", "15 other States") stands in nearly every statement.
        if lead is None or kind == NUMBER or kind.startswith(AMOUNT):
            return result, verdict
        within = self.find(question, replace(constraints, doc_ids=(lead.ref.doc_id,)))
        within_verdict = judge(within, self.settings.answer_quotes)
        return (within, within_verdict) if within_verdict.answerable else (result, verdict)

    def unused(self, result: SearchResult, verdict: Verdict) -> tuple[str, ...]:
        """The question's words that the statements an answer quotes never use (see
        ``evidence.unused_words``): what the answer says first that it does not speak to."""
        documents = self.index.documents
        cited = dict.fromkeys(q.ref.doc_id for q in verdict.quotes)
        texts = (f"{documents[d].title}\n{documents[d].text}" for d in cited)
        return unused_words(result.absent, (*verdict.unmentioned, *result.unnamed), texts)

    def across(
        self, question: str, constraints: Constraints, years: list[int], points: int = 1
    ) -> tuple[SearchResult, Verdict]:
        """One search per year of a period, so an answer across time quotes every year that speaks.

        Each year gives its leading quote and, with ``points`` > 1, as many of that statement's
        further points. Of more years than ``MAX_PERIODS``, the first and the latest are kept: a
        question how something changed is answered from both ends of its span.
        """
        period = constraints.period
        assert period is not None  # the years are those of the question's period
        per_year: list[tuple[Quote, ...]] = []
        unknown: tuple[str, ...] = ()
        unmentioned: dict[str, None] = {}
        for year in years:
            # The year's part of the period: "since June 2011" asks nothing of May 2011.
            narrowed = replace(constraints, period=period.within_year(year))
            result = self.find(question, narrowed)
            unknown = result.unknown_names
            verdict = judge(result, points)
            if verdict.answerable:
                lead = verdict.quotes[0]
                per_year.append(tuple(q for q in verdict.quotes if q.ref.doc_id == lead.ref.doc_id)[:points])
                unmentioned.update(dict.fromkeys(verdict.unmentioned))
        if len(per_year) > MAX_PERIODS:
            per_year = [per_year[0], *per_year[-(MAX_PERIODS - 1) :]]
        quotes = tuple(q for year in per_year for q in year)
        merged = SearchResult(question, constraints, quotes, len(quotes), self.retriever.ranker.name, unknown_names=unknown)
        if not quotes:
            return merged, Verdict(False, (), "no year of the period has a supporting quote")
        return merged, Verdict(True, quotes, "supported per year", unmentioned=tuple(unmentioned))

    def with_parts(self, parts: tuple[str, ...], constraints: Constraints, quotes: tuple[Quote, ...]) -> tuple[tuple[Quote, ...], tuple[str, ...]]:
        """The answer's quotes with the fact each part of the question asks for, and the parts
        that ask for a figure no statement gives ("..., and what sentence did she get?").

        Each part is searched on its own, first within the leading quote's statement (the parts
        of one question are mostly about one event), then within the whole question's bounds.
        A later part that finds nothing new so is searched again with what the first part is
        about ("how much was there?" is about the counterfeit bills the first part names). A
        part's best new quote joins the answer after the lead. One from another statement holds
        the question's names that the lead holds: asked what sentence "Silgjord" got, another
        officer's sentence is no answer.
        """
        lead = quotes[0]
        names = name_tokens(" ".join(parts)) & quote_words(lead)
        asked = frozenset(tokenize(" ".join(parts)))
        added: list[Quote] = []
        unmet: list[str] = []
        for n, part in enumerate(parts):
            answered, found = self._part_quote(part, constraints, lead, (*quotes, *added), names, asked)
            if found is None and n > 0:
                again, found = self._part_quote(with_scene(part, parts[0]), constraints, lead, (*quotes, *added), names, asked, behind=True)
                answered = answered or again
            if found is not None:
                added.append(found)
            elif n > 0 and not answered and (asked_kind(part) or "").startswith(NUMBER):
                # The first part's figure was asked of the whole question's search already.
                unmet.append(part)
        rest = tuple(q for q in quotes[1:] if not any(overlaps(q, a) for a in added))
        answer = (lead, *added, *rest)[: max(MAX_POINTS, 1 + len(added))]
        # A figure of the asked kind that a quote of the answer gives is no figure missing,
        # whichever search found that quote.
        missing = tuple(part for part in unmet if not any(carries(asked_kind(part), q.text, frozenset(tokenize(part))) for q in answer))
        return answer, missing

    def _part_quote(
        self,
        part: str,
        constraints: Constraints,
        lead: Quote,
        shown: tuple[Quote, ...],
        names: set[str],
        asked: frozenset[str],
        behind: bool = False,
    ) -> tuple[bool, Quote | None]:
        """Whether a part is answered, and its best quote not shown yet, or the one nearly as
        good behind it when the best is shown already (the lead about 50 overdoses ranks first
        for "which drug" too); with ``behind``, the next supported quote with the part's asked
        kind of fact, however far behind (a part searched with the first part's words finds the
        lead first). A quote of another statement than the lead's holds ``names``; one that
        holds no word beyond the whole question's (``asked``) answers no part: the byline
        "HAMILTON" names a person, but for "who did he think should bring the charges?" only the
        question's own author."""
        # Within the lead's statement, the question's speaker filter has done its work: the
        # lead may be a statement that reports the speaker, not one filed under their name.
        for narrowed in (replace(constraints, doc_ids=(lead.ref.doc_id,), speakers=()), constraints):
            found_in = self.find(part, narrowed)
            found_in = replace(found_in, quotes=tuple(q for q in found_in.quotes if says_more(q, asked)))
            verdict = judge(found_in, 2)
            if verdict.uncounted and not narrowed.doc_ids:
                verdict = self.figure_within(part, narrowed, found_in, verdict)[1]
            if verdict.answerable:
                candidates = (*verdict.quotes, *(q for q in found_in.quotes if behind and q.typed and supported(q)))
                # A line that only says the statement's title again answers no part.
                fitting = [f for f in candidates if (f.ref.doc_id == lead.ref.doc_id or names <= quote_words(f)) and not is_title(f)]
                if fitting:
                    return True, next((f for f in fitting if not any(overlaps(f, q) for q in shown)), None)
        return False, None

    def widened(self, question: str, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
        """The quotes, each with the sentence just before or after it, when the re-scorer finds
        the wider quote closer to the question by ``WIDEN_MARGIN``.

        A question often restates what one sentence says and asks what the next one answers:
        "If this be the design of it, who can so properly be the inquisitors ...?" matches
        "who should bring the charges", and the sentence before it ("Is it not designed as a
        method of NATIONAL INQUEST ...?") says what impeachment is meant to be. Which of the
        two neighbours adds to the answer is for the re-scorer to judge, not a list of words.
        A quote never takes in words another quote of the answer shows.
        """
        if self.rescorer is None or not quotes:
            return quotes
        texts: list[str] = []
        # (which quote, where its own text is in ``texts``, where the wider one is, its span)
        options: list[tuple[int, int, int, int, int]] = []
        sentences = self._sentences_of({q.ref.doc_id for q in quotes})
        for n, quote in enumerate(quotes):
            doc = self.index.documents.get(quote.ref.doc_id)
            if doc is None:
                continue
            before, after = _sentences_around(doc, sentences[doc.doc_id], quote.ref.start, quote.ref.end)
            others = quotes[:n] + quotes[n + 1 :]
            spans = [
                (a, b)
                for a, b in ((before, quote.ref.end), (quote.ref.start, after))
                if a is not None
                and b is not None
                and b - a <= MAX_JOINED_CHARS
                and not any(covers(q, doc.doc_id, a, b) for q in others)
            ]
            if not spans:
                continue
            own = len(texts)
            texts.append(document_text(quote.ref.title, quote.text))
            for a, b in spans:
                options.append((n, own, len(texts), a, b))
                texts.append(document_text(quote.ref.title, doc.text[a:b]))
        if not options:
            return quotes
        try:
            scores = self.rescorer.scores(question, texts).tolist()
        except RescorerBusy:
            return quotes
        kept = list(quotes)
        taken: list[Quote] = []
        for n, quote in enumerate(quotes):
            mine = [o for o in options if o[0] == n and scores[o[2]] >= scores[o[1]] + WIDEN_MARGIN]
            if not mine:
                continue
            _, _, at, a, b = max(mine, key=lambda o: scores[o[2]])
            # Two quotes widened into one sentence between them would show it twice.
            if any(covers(widened, quote.ref.doc_id, a, b) for widened in taken):
                continue
            doc = self.index.documents[quote.ref.doc_id]
            kept[n] = replace(quote, ref=source_ref(doc, a, b), text=doc.text[a:b], relevance=scores[at], also=self._also(doc.text[a:b], quote.also))
            taken.append(kept[n])
        return tuple(kept)

    def _also(self, text: str, also: tuple[SourceRef, ...]) -> tuple[SourceRef, ...]:
        """The other places a quote's words stood that hold its wider words too, at their offsets."""
        # The same words, however the other document breaks its lines and paragraphs.
        words = re.compile(r"\s+".join(re.escape(word) for word in text.split()))
        found = []
        for ref in also:
            other = self.index.documents.get(ref.doc_id)
            match = words.search(other.text) if other is not None else None
            if other is not None and match is not None:
                found.append(source_ref(other, match.start(), match.end()))
        return tuple(found)

    def _sentences_of(self, doc_ids: set[str]) -> dict[str, list[tuple[int, int]]]:
        """The sentence spans of each of the documents, in order (one pass over the passages)."""
        spans: dict[str, set[tuple[int, int]]] = {doc_id: set() for doc_id in doc_ids}
        for passage in self.index.passages:
            if passage.doc_id in spans:
                spans[passage.doc_id].update(passage.sentences)
        return {doc_id: sorted(found) for doc_id, found in spans.items()}

    def under_heading(self, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
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

    def joined(self, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
        """The quotes with two of one statement read as one where one sentence stands between
        them: a list that runs over three sentences ("Minos ... Theseus ... Lycurgus")
        is quoted whole, not as its first and last sentences with the middle left out.

        The joined quote takes the place of the first of the two in the answer's order, and is
        the document's exact words from the earlier one's start to the later one's end. A joined
        quote is joined no further: the statement's points stay points, each cited.
        """
        kept = list(quotes)
        for n in range(len(quotes)):
            if n >= len(kept):
                break
            quote = kept[n]
            doc = self.index.documents.get(quote.ref.doc_id)
            partner = None if doc is None else next((m for m in range(n + 1, len(kept)) if self._joinable(quote, kept[m], doc)), None)
            if partner is None:
                continue
            other = kept.pop(partner)
            start, end = min(quote.ref.start, other.ref.start), max(quote.ref.end, other.ref.end)
            kept[n] = replace(
                quote,
                ref=replace(quote.ref, start=start, end=end),
                text=doc.text[start:end],
                coverage=max(quote.coverage, other.coverage),
                own_coverage=max(quote.own_coverage, other.own_coverage),
                typed=quote.typed or other.typed,
                also=(),
            )
        return tuple(kept)

    @staticmethod
    def _joinable(a: Quote, b: Quote, doc: Document) -> bool:
        """Whether two quotes of one statement stand one sentence apart, neither of them
        nor what stands between a heading, and together make a quote no longer than
        ``MAX_JOINED_CHARS``."""
        if a.ref.doc_id != b.ref.doc_id:
            return False
        first, second = sorted((a, b), key=lambda q: q.ref.start)
        if second.ref.start < first.ref.end or max(a.ref.end, b.ref.end) - first.ref.start > MAX_JOINED_CHARS:
            return False  # overlapping quotes are cut apart by distinct_points, not joined
        between = sentence_spans(doc.text, first.ref.end, second.ref.start)
        # Quotes side by side are points of their own, each cited; one left out between two
        # is the middle of what they say. A heading is no sentence of the text under it.
        return len(between) == 1 and not any(is_heading(q.text) for q in (a, b)) and not is_heading(doc.text[slice(*between[0])])

    def mentioning(self, question: str, constraints: Constraints) -> Verdict:
        """Quotes from statements of any date whose own words name a date within the question's period."""
        period = constraints.period
        assert period is not None
        if constraints.person and not constraints.speakers:
            # Asked what someone said who is no speaker here: only their own words would do.
            return Verdict(False, (), "a person who is no speaker")
        wider = self.retriever.search_with(question, replace(constraints, period=None), DISAGREEMENT_POOL * self.settings.k)
        # Statements dated in the period were searched already; the others count only where
        # their quoted words name the period.
        quotes = tuple(
            q
            for q in wider.quotes
            if mentions_within(q.text, period.first, period.last) and not (q.ref.date and period.contains(*_days(q.ref.date)))
        )
        return judge(replace(wider, quotes=quotes), self.settings.answer_quotes)

    def topic_dates(self, question: str, result: SearchResult) -> list:
        """Dates of statements that would answer the question if its period were dropped."""
        if result.constraints.period is None:
            return []
        wider = self.retriever.search_with(question, replace(result.constraints, period=None), 2 * self.settings.k)
        verdict = judge(wider, 2 * self.settings.k)
        dates = []
        for quote in verdict.quotes:
            doc = self.index.documents[quote.ref.doc_id]
            if doc.date:
                dates.append(doc.date.first)
        return dates

    def _naming_documents(self, surname: str, within: tuple[str, ...]) -> tuple[str, ...]:
        """The statements whose passages use a name (of those ``within``, when given); a name
        no passage uses gives a statement id no document has, so that nothing is searched."""
        passages = self.index.passages
        named = dict.fromkeys(passages[row].doc_id for row in self.index.bm25.rows_with(next(iter(tokenize(surname)), "")).tolist())
        kept = tuple(d for d in named if not within or d in within)
        return kept or ("",)

    def _naming(self, quotes: Sequence[Quote], surnames: set[str]) -> tuple[Quote, ...]:
        """The quotes whose statement's title names one of these people ("Statement from
        Attorney General Ellison on ...": every sentence of it is his), or whose paragraph gives
        words to them ("said Col. Rafael Torres", "Abe proposed"): a paragraph that only names
        them ("led Attorney General Skip Humphrey to take on Big Tobacco") says nothing of theirs."""
        return tuple(
            q
            for q in quotes
            if any(re.search(rf"\b{re.escape(s)}\b", q.ref.title) or speaks(s, self._paragraph_of(q)) for s in surnames)
        )

    def _about(self, quotes: Sequence[Quote], question: str, *people: str) -> tuple[Quote, ...]:
        """The reports from statements that name what the question names besides the people
        it asks about: what Col. Torres said of Khost is no answer about "attacks in Tarin Kowt".

        A report's own words (or its statement's title) must also hold a word of what is asked
        besides those people: "said Attorney General Swanson" of cable bills is no answer to
        what Swanson said about robocalls, though it shares the question's word "Swanson".
        """
        own = frozenset(t for person in people for t in tokenize(person))
        subject = set(prepare_query(question).subject) - own
        if subject:
            quotes = [q for q in quotes if subject & set(tokenize(f"{q.ref.title} {q.text}"))]
        names = name_tokens(question, own)
        if not names:
            return tuple(quotes)
        holds: dict[str, bool] = {}
        for q in quotes:
            if q.ref.doc_id not in holds:  # each statement's words read once, however many quotes it gives
                doc = self.index.documents[q.ref.doc_id]
                holds[q.ref.doc_id] = names <= set(tokenize(f"{doc.title}\n{doc.text}"))
        return tuple(q for q in quotes if holds[q.ref.doc_id])

    def _in_their_words(self, quote: Quote, surname: str) -> Quote:
        """The quote with the words its paragraph quotes the person as saying: asked what Sgt.
        Rahman said, '“The people are respecting us,” Rahman said. “They ask us if we want tea
        ...”', not only the sentence that names him ("Leading a squad ... was Afghan commando
        Sgt. Hafiz Rahman"). The quotation nearest the quote stands in for it, or joins it where
        they touch."""
        doc = self.index.documents[quote.ref.doc_id]
        start, end = quote.ref.start, quote.ref.end
        paragraph = doc.paragraph_at(start)
        if paragraph is None:
            return quote
        spans = [(paragraph[0] + a, paragraph[0] + b) for a, b in their_words(surname, doc.text[paragraph[0] : paragraph[1]])]
        if not spans or any(a >= start and b <= end for a, b in spans):
            return quote
        touching = [(a, b) for a, b in spans if a <= end and start <= b]
        if touching:
            a, b = min(start, touching[0][0]), max(end, touching[0][1])
        else:
            a, b = min(spans, key=lambda span: min(abs(span[0] - end), abs(start - span[1])))
        return replace(quote, ref=source_ref(doc, a, b), text=doc.text[a:b])

    def _paragraph_of(self, quote: Quote) -> str:
        """The paragraph a quote stands in (the quote itself when the layout is unknown)."""
        doc = self.index.documents[quote.ref.doc_id]
        paragraph = doc.paragraph_at(quote.ref.start)
        return doc.text[paragraph[0] : paragraph[1]] if paragraph else quote.text
