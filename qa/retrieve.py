"""Find the exact sentences that answer a question, within the period and sources it asks about.

question -> constraints -> allowed passages -> ranked passages (dense, BM25 or both fused) ->
the answering sentences of each passage -> near-identical quotes merged -> top k quotes.

Rankers sit behind one small Protocol, so evaluation can compare them on the same questions.
This module does not decide whether the quotes answer the question: that is answerability, in
the answer pipeline.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from embeddings.bm25 import tokenize
from embeddings.index import Index
from qa.answer_type import carries
from qa.constraints import TIME_WORDS, Constraints, Period, quotation_goes_on, understand
from qa.cutting import _BACK_REFERENCE, _OPEN_QUESTION, ENDS_SENTENCE, MIN_WIDEN_GAIN, heading_block, line_under, select_sentences
from qa.query import (
    _weights,
    absent_words,
    coverage,
    identifier_numbers,
    name_pattern,
    named_numbers,
    narrows,
    prepare_query,
    unknown_names,
)
from qa.quotes import Quote, SearchResult, same_words, source_ref, with_source
from qa.ranking import Ranked, Ranker
from qa.spelling import Lexicon


def allowed_rows(index: Index, constraints: Constraints) -> np.ndarray | None:
    """Rows of passages that satisfy the constraints; None when nothing restricts the search."""
    if not (constraints.period or constraints.speakers or constraints.doc_types or constraints.doc_ids):
        return None
    mask = np.ones(len(index.passages), dtype=bool)
    if constraints.period:
        period = constraints.period
        first = min(period.first.toordinal(), 3_652_059)
        last = min(period.last.toordinal(), 3_652_059)
        mask &= (index.date_first > 0) & (index.date_first >= first) & (index.date_last <= last)
        if period.spans:
            # Years or months named one by one: a statement of a time between them is not asked about.
            mask &= np.logical_or.reduce([(index.date_first >= a.toordinal()) & (index.date_last <= b.toordinal()) for a, b in period.spans])
    if constraints.speakers or constraints.doc_types or constraints.doc_ids:
        wanted_docs = {
            doc_id
            for doc_id, doc in index.documents.items()
            if (not constraints.speakers or set(constraints.speakers) & set(doc.speakers))
            and (not constraints.doc_types or doc.doc_type in constraints.doc_types)
            and (not constraints.doc_ids or doc_id in constraints.doc_ids)
        }
        mask &= np.fromiter((p.doc_id in wanted_docs for p in index.passages), dtype=bool, count=len(index.passages))
    return np.flatnonzero(mask)


def filtered_note(index: Index, filters: Constraints) -> str:
    """What a decline says first when the user's filters narrowed the search: how many of the
    statements they allow, and that clearing them searches all.

    Example: "Your filters allow 1 of the 10 statements (dated 2017); clear them to search all."
    """
    rows = allowed_rows(index, filters)
    allowed = len({index.passages[int(r)].doc_id for r in rows}) if rows is not None else len(index.documents)
    which = []
    if filters.period:
        which.append(f"dated {filters.period.label}")
    if filters.doc_ids:
        which.append(f"{len(filters.doc_ids)} chosen document{'s' * (len(filters.doc_ids) != 1)}")
    what = f" ({', '.join(which)})" if which else ""
    total = len(index.documents)
    return f"Your filters allow {allowed} of the {total} statement{'s' * (total != 1)}{what}; clear them to search all."


# A sentence that lists what the sentence before it announces.
_LISTS_IT = re.compile(r"(?:These|They|Those|This|It)\s+(?:include[sd]?|comprise[sd]?|consist(?:s|ed)?\s+of)\b")


#: A sentence carrying the asked kind of fact joins a quote from at most this many sentences away.
KIND_REACH = 2


class Retriever:
    """Searches one loaded index with one ranker."""

    def __init__(self, index: Index, ranker: Ranker, candidates: int = 40) -> None:
        self.index = index
        self.ranker = ranker
        self.candidates = candidates
        self.speakers = sorted({s for d in index.documents.values() for s in d.speakers})
        self.doc_types = sorted({d.doc_type for d in index.documents.values()})
        # The number each title gives its document ("FEDERALIST No. 26"), for questions that
        # name a document by it.
        self.numbered = {doc_id: identifier_numbers(d.title) for doc_id, d in index.documents.items()}
        # The documents' words and names, for reading a question's "DPRK" or "Norht" as they write it.
        self.lexicon = Lexicon((f"{d.title}\n{d.text}" for d in index.documents.values()), index.vocabulary)

    def understand(self, question: str, extra: Constraints | None = None) -> Constraints:
        """The question's own constraints, narrowed by the user's filters (``extra``)."""
        found = understand(question, self.speakers, self.doc_types)
        numbers = identifier_numbers(question)
        if numbers and not found.doc_ids:
            # "Federalist No. 26" names a document: the one whose title gives that number.
            named = tuple(doc_id for doc_id, own in self.numbered.items() if own & numbers)
            if named:
                found = replace(found, doc_ids=named)
        if extra is None:
            return found
        period = found.period or extra.period
        if found.period and extra.period:
            # Both the question and the filter restrict time: only their overlap qualifies.
            period = Period(
                max(found.period.first, extra.period.first),
                min(found.period.last, extra.period.last),
                f"{found.period.label}, within {extra.period.label}",
                found.period.spans or extra.period.spans,
            )
        return replace(found, period=period, doc_ids=extra.doc_ids or found.doc_ids)

    def search(self, question: str, k: int = 5, filters: Constraints | None = None) -> SearchResult:
        """The top ``k`` quotes for a question."""
        constraints = self.understand(question, filters)
        return self.search_with(question, constraints, k)

    def search_with(self, question: str, constraints: Constraints, k: int = 5) -> SearchResult:
        """The top ``k`` quotes under constraints already worked out."""
        query = prepare_query(question, constraints)
        whole = bool(_OPEN_QUESTION.match(question))
        allowed = allowed_rows(self.index, constraints)
        n_allowed = len(self.index.passages) if allowed is None else int(allowed.size)
        # Words a filter enforces (a month of the period, a speaker's name) are conditions, not
        # names the documents must use: the press point of 31 January 2023 never writes "January".
        enforced = set(TIME_WORDS) if (constraints.period or constraints.latest or constraints.earliest) else set()
        enforced |= {t for name in constraints.speakers for t in tokenize(name)}
        unknown = tuple(n for n in unknown_names(question, self.index.vocabulary) if not set(tokenize(n)) <= enforced)
        if n_allowed == 0 or not query.text:
            return SearchResult(question, constraints, (), n_allowed, self.ranker.name, unknown_names=unknown)
        absent = absent_words(self.index.bm25, allowed, question, query.subject)
        # A name the statements searched never use, though others do (Russia, asked of 2017,
        # when only 2023 speaks of it): the answer says so before what they do say.
        unnamed = self._unnamed_within(question, allowed, enforced, unknown) if allowed is not None else ()
        # Nothing to look for but the statements themselves: each of their passages answers.
        overview = not query.subject and narrows(constraints)
        if overview and allowed is not None:
            ranked = self._in_reading_order(allowed)
        else:
            ranked = self.ranker.rank(self.index, query, allowed, self.candidates)
        notes: tuple[str, ...] = ()
        if constraints.latest or constraints.earliest:
            ranked, notes = self._newest_or_oldest(ranked, latest=constraints.latest)
        weights = _weights(self.index.bm25, query.subject, question)
        quotes: list[Quote] = []
        identifiers = identifier_numbers(question)
        named = named_numbers(question)
        known = frozenset(tokenize(question))
        for position, hit in enumerate(ranked):
            if len(quotes) >= k and position >= 2 * k:
                break  # repeats further down would only add "also" sources to what is shown
            quote = self._quote(hit, weights, whole, query.kind, identifiers, known, named)
            if overview:
                quote = replace(quote, coverage=1.0, own_coverage=1.0)
            merged = False
            for i, kept in enumerate(quotes):
                if same_words(kept.text, quote.text):
                    quotes[i] = with_source(kept, quote.ref)
                    merged = True
                    break
            if not merged and len(quotes) < k:
                quotes.append(quote)
        if query.subject and not overview:
            # A quote whose own words hold none of the subject (a dateline, a heading that only
            # shares its document's title) cannot answer by itself: it goes after those that can.
            quotes.sort(key=lambda q: q.own_coverage <= 0)
        return SearchResult(question, constraints, tuple(quotes), n_allowed, self.ranker.name, notes, unknown, absent, unnamed)

    def _unnamed_within(self, question: str, allowed: np.ndarray, enforced: set[str], known: tuple[str, ...]) -> tuple[str, ...]:
        """The question's names that no allowed statement uses anywhere (title, header or text)."""
        names = [n for n in unknown_names(question, frozenset()) if n not in known and not set(tokenize(n)) <= enforced]
        if not names:
            return ()
        docs = [self.index.documents[d] for d in dict.fromkeys(self.index.passages[int(row)].doc_id for row in allowed)]
        unnamed = []
        for name in names:
            pattern = name_pattern(name)
            if not any(pattern.search(doc.title) or pattern.search(doc.text) for doc in docs):
                unnamed.append(name)
        return tuple(unnamed)

    def _in_reading_order(self, allowed: np.ndarray) -> list[Ranked]:
        """The allowed passages as their statements say them: each statement's opening first,
        the newest statement first, taking turns (what a question with no subject asks for)."""
        position: dict[tuple[str, bool], int] = {}
        keyed = []
        for row in allowed:
            passage = self.index.passages[int(row)]
            doc = self.index.document_of(passage)
            # A heading, a caption or a dateline ("31 Oct. 2017 -") says nothing by itself: the
            # statement's sentences come first, its lines without an ending after them.
            line = not ENDS_SENTENCE.search(doc.text[passage.start : passage.end])
            key = (passage.doc_id, line)
            position[key] = position.get(key, -1) + 1
            keyed.append((line, position[key], -int(self.index.date_last[row]), passage.doc_id, int(row)))
        return [Ranked(row, 1.0) for *_, row in sorted(keyed)[: self.candidates]]

    def _newest_or_oldest(self, ranked: list[Ranked], latest: bool) -> tuple[list[Ranked], tuple[str, ...]]:
        """Keep the relevant passages of the newest (or oldest) dated statement among the best."""
        if not ranked:
            return ranked, ()
        top_dense = max(h.dense for h in ranked[:10])
        relevant = [h for h in ranked[:10] if h.dense >= 0.8 * top_dense and self.index.date_first[h.row] > 0]
        if not relevant:
            return ranked, ()
        pick = max if latest else min
        chosen = pick(self.index.date_last[h.row] for h in relevant)
        kept = [h for h in ranked if self.index.date_last[h.row] == chosen]
        return kept, (f"{'latest' if latest else 'earliest'} relevant statement chosen",)

    def _to_kind(self, row: int, start: int, end: int, text: str, kind: str | None, known: frozenset[str]) -> tuple[int, int] | None:
        """The span widened to the nearest sentence of its paragraph that carries the asked kind
        of fact, at most ``KIND_REACH`` sentences away (the next first), or None."""
        spans = [(start, end), (start, end)]  # grown after, grown before
        for _ in range(KIND_REACH):
            for side in (1, 0):
                neighbour = self._neighbours(row, *spans[side])[side]
                if neighbour is None:
                    continue
                spans[side] = (min(spans[side][0], neighbour[0]), max(spans[side][1], neighbour[1]))
                if carries(kind, text[neighbour[0] : neighbour[1]], known):
                    return spans[side]
        return None

    def _neighbours(self, row: int, start: int, end: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """The sentences just before and after a span, within its paragraph (a quote never
        crosses a paragraph, so it reads as the document wrote it)."""
        passage = self.index.passages[row]
        doc = self.index.documents[passage.doc_id]
        paragraph = doc.paragraph_at(passage.start) or (passage.start, passage.end)
        sentences = list(passage.sentences)
        for neighbour in (row - 1, row + 1):
            if 0 <= neighbour < len(self.index.passages) and self.index.passages[neighbour].doc_id == passage.doc_id:
                sentences.extend(s for s in self.index.passages[neighbour].sentences if paragraph[0] <= s[0] and s[1] <= paragraph[1])
        sentences.sort()
        before = [s for s in sentences if s[1] <= start]
        after = [s for s in sentences if s[0] >= end]
        return (before[-1] if before else None), (after[0] if after else None)

    def _quote(
        self,
        hit: Ranked,
        weights: dict[str, float],
        whole: bool = False,
        kind: str | None = None,
        identifiers: frozenset[str] = frozenset(),
        known: frozenset[str] = frozenset(),
        named: dict[str, str] | None = None,
    ) -> Quote:
        passage = self.index.passages[hit.row]
        doc = self.index.document_of(passage)
        start, end = select_sentences(passage, weights, whole=whole, kind=kind, known=known)
        before, after = self._neighbours(hit.row, start, end)
        if before is not None and _BACK_REFERENCE.match(doc.text[start:end]):
            # "They might have copied ..." opening a passage reads with the sentence it refers
            # back to ("There are four other possible methods ..."), as within a passage.
            start = before[0]
        if after is not None and _LISTS_IT.match(doc.text[after[0] : after[1]]):
            # "... cooperation in areas of common concern." is followed by the list it announces
            # ("These include maritime security, cyber defence, ..."): the quote gives both.
            end = after[1]
        cover = coverage(weights, set(tokenize(f"{doc.title} {doc.text[start:end]}")))
        # A question may join facts of adjacent sentences ("the loudspeaker near Sanzar"): a
        # neighbouring sentence that carries more of its words joins the quote, so the quote
        # holds all of its own evidence.
        for neighbour in self._neighbours(hit.row, start, end):
            if neighbour is None:
                continue
            a, b = min(start, neighbour[0]), max(end, neighbour[1])
            wider = coverage(weights, set(tokenize(f"{doc.title} {doc.text[a:b]}")))
            if wider >= cover + MIN_WIDEN_GAIN:
                start, end, cover = a, b, wider
        if not carries(kind, doc.text[start:end], known):
            # Asked "how much", the quote names the subject but not the sum: the next sentence
            # (or the one before) often holds it, or the one after that ("... is a history of
            # impotence. Proofs might be adduced from the Roman Tribuneship, the Polish Diet ...").
            widened = self._to_kind(hit.row, start, end, doc.text, kind, known)
            if widened is not None:
                start, end = widened
                cover = coverage(weights, set(tokenize(f"{doc.title} {doc.text[start:end]}")))
        if not carries(kind, doc.text[start:end], known):
            # Asked who or when, the quote is a heading line ("H.R. 2454 - ...") and the fact
            # stands in the lines around it ("(Rep. Waxman, D-California ...)", "MADISON"):
            # a statement's opening lines are read as one piece.
            block = heading_block(doc.text, doc.paragraphs, start)
            if block is not None and carries(kind, doc.text[block[0] : block[1]], known):
                start, end = min(start, block[0]), max(end, block[1])
                cover = coverage(weights, set(tokenize(f"{doc.title} {doc.text[start:end]}")))
        if (under := line_under(doc.text, doc.paragraphs, start, end)) is not None:
            # A bill's name reads with its sponsor line under it: whose bill it is.
            end = under[1]
        # A quote ending with "..., said Maj. Gen. David Garza." takes in his words that go on
        # right after it: the quotation reads whole, as the statement gives it.
        paragraph_end = (doc.paragraph_at(start) or (start, end))[1]
        end = quotation_goes_on(doc.text, end, paragraph_end)
        text = doc.text[start:end]
        own = coverage(weights, set(tokenize(text)))
        numbers = {t for t in weights if any(c.isdigit() for c in t)}
        # A document's number ("No. 26") must be its title's or its words' number, not the day
        # of a date ("December 26"); of several ("Nos. 18, 19 and 20") it holds one. Another
        # number may also be its date ("on 26 December").
        # A number that is part of a name ("COVID-19") is held by a statement that names it
        # anywhere: a sentence about the ban need not repeat the pandemic's name.
        named_here = {n for n, name in (named or {}).items() if _names_in(name, f"{doc.title}\n{doc.text}")}
        held = numbers - identifiers - named_here <= set(tokenize(f"{doc.title} {text} {doc.date.iso if doc.date else ''}")) and (
            not identifiers or bool(identifiers & identifier_numbers(f"{doc.title}\n{text}"))
        )
        return Quote(
            source_ref(doc, start, end), text, hit.score, hit.dense, hit.bm25, cover, own_coverage=own, typed=carries(kind, text, known), numbers_held=held
        )


def _names_in(name: str, text: str) -> bool:
    """Whether a text writes a name ("COVID-19"), in any case, as a word of its own."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I) is not None
