"""Find the exact sentences that answer a question, within the period and sources it asks about.

question -> constraints -> allowed passages -> ranked passages (dense, BM25 or both fused) ->
the answering sentences of each passage -> near-identical quotes merged -> top k quotes.

Rankers sit behind one small Protocol, so evaluation can compare them on the same questions.
This module does not decide whether the quotes answer the question: that is answerability, in
the answer pipeline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from embeddings.bm25 import BM25Index, tokenize
from embeddings.documents import Document
from embeddings.embedder import Embedder
from embeddings.index import Index
from embeddings.passages import Passage
from embeddings.text import normalize
from qa.answer_type import asking_words, carries, expected_kind
from qa.constraints import TIME_WORDS, Constraints, Period, understand

#: Quotes whose normalised words overlap this much (Jaccard) are the same words said twice.
DUPLICATE_JACCARD = 0.8


@dataclass(frozen=True)
class Query:
    """A question prepared for ranking: its words and (lazily) its vector."""

    text: str
    tokens: tuple[str, ...]
    # The words a quote must contain to answer: ``tokens`` less those a filter already enforces
    # and those that only frame the question ("how did the message change").
    subject: tuple[str, ...] = ()
    # The kind of fact asked for ("number" for "how much ..."), see qa.answer_type.
    kind: str | None = None


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
    """Dense and BM25 fused by relative score: each finds what the other misses.

    The candidate pool is the union of both rankers' top ``depth``; each score is min-max
    scaled within the pool and the two are averaged with weight ``keyword_weight``. Unlike
    reciprocal-rank fusion this keeps how far ahead a ranker's best passage is, which matters
    when BM25 alone knows a rare place name (measured in benchmarks/retrieval.py).
    """

    name = "hybrid"

    def __init__(self, embedder: Embedder, depth: int = 100, keyword_weight: float = 0.5) -> None:
        self.dense = DenseRanker(embedder)
        self.keyword = KeywordRanker()
        self.depth = depth
        self.keyword_weight = keyword_weight

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
        pool = np.union1d(dense_rows, keyword_rows[keyword_scores[keyword_rows] > 0])
        if pool.size == 0:
            return []
        dense = index.vectors[pool] @ vector
        keyword = keyword_scores[pool]
        fused = (1 - self.keyword_weight) * min_max(dense) + self.keyword_weight * min_max(keyword)
        order = np.argsort(-fused, kind="stable")[:n]
        return [Ranked(int(pool[i]), float(fused[i]), dense=float(dense[i]), bm25=float(keyword[i])) for i in order]


@dataclass(frozen=True)
class SourceRef:
    """Where a quote's words stand in one document."""

    doc_id: str
    title: str
    date: str | None
    speaker: str
    doc_type: str
    source: str
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    """Exact words of a document that answer a question, with where they come from.

    ``text == document.text[start:end]``. ``also`` lists other documents with the same words,
    so repeated paragraphs count once but can cite every place they appear.
    """

    ref: SourceRef
    text: str
    score: float
    dense: float
    bm25: float
    coverage: float
    also: tuple[SourceRef, ...] = ()
    # The share of the question's subject words in the quoted words alone (no title): a heading
    # or a name line that only shares the document's title answers nothing by itself.
    own_coverage: float = 0.0
    # Whether the quote holds a fact of the kind the question asks for (always True when the
    # question asks for no particular kind).
    typed: bool = True
    # The second-stage re-scorer's relevance (qa.rescore), when one ordered the quotes.
    relevance: float | None = None


@dataclass(frozen=True)
class SearchResult:
    """The ranked quotes for one question, and what the question was understood to ask."""

    question: str
    constraints: Constraints
    quotes: tuple[Quote, ...]
    allowed_passages: int
    ranker: str
    notes: tuple[str, ...] = field(default=())
    # Names in the question that no document of the corpus contains ("Iran", "FIFA").
    unknown_names: tuple[str, ...] = field(default=())
    # Words of the question's subject that no statement allowed by its constraints uses, as
    # the question wrote them: what a decline can truthfully say is missing.
    absent: tuple[str, ...] = field(default=())


def narrows(constraints: Constraints | None) -> bool:
    """Whether constraints pick particular statements (a period, speaker, type or document)."""
    return constraints is not None and bool(constraints.period or constraints.speakers or constraints.doc_types or constraints.doc_ids)


def prepare_query(question: str, constraints: Constraints | None = None) -> Query:
    """The question's text for the embedder and its content words for BM25.

    Words that only state a constraint (the year asked about, a speaker's name, "latest")
    are dropped from the keywords: the filter enforces them, and as keywords they would
    reward passages that merely mention a year or a name. Document-type words stay: "the
    courtesy call" is also what the passage about the call says.

    A question that names statements and nothing else ("What did Stoltenberg say in January
    2023?") has no subject: whatever those statements say answers it. Without a constraint,
    a question with no subject of its own keeps all its words as its subject, to be declined
    unless a quote holds them.
    """
    tokens = tokenize(question)
    if constraints is not None:
        drop = set(TIME_WORDS) if (constraints.period or constraints.latest or constraints.earliest) else set()
        if constraints.period:
            drop |= {t for t in tokens if t.isdigit() and len(t) == 4}
        for name in constraints.speakers:
            drop |= set(tokenize(name))
        kept = [t for t in tokens if t not in drop]
        typed = {t for doc_type in constraints.doc_types for t in tokenize(doc_type)}
        own = [t for t in kept if t not in typed and t not in FRAMING_WORDS]
        if not own and narrows(constraints):
            return Query(text=question.strip(), tokens=tuple(kept or tokens), subject=(), kind=expected_kind(question))
        tokens = kept or tokens
        tokens_untyped = [t for t in tokens if t not in typed] or tokens
    else:
        tokens_untyped = tokens
    asking = set(tokenize(asking_words(question)))
    subject = [t for t in tokens_untyped if t not in FRAMING_WORDS and t not in asking] or tokens_untyped
    text = question.strip()
    if constraints is not None and constraints.speakers:
        # The filter already keeps to the speaker's statements; left in, the name pulls the
        # embedding towards the lines that merely print it (an author line, a byline).
        for name in sorted({w for s in constraints.speakers for w in s.split()}, key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(name)}(?:['’]s)?\b", " ", text)
        text = " ".join(text.split()) or question.strip()
    return Query(text=text, tokens=tuple(tokens), subject=tuple(subject), kind=expected_kind(question))


# Words that frame a question rather than name its subject ("how did the message change"):
# a quote need not contain them to answer it.
FRAMING_WORDS = frozenset(
    tokenize(
        "message messages change changed changes evolve evolved compare differ position stance view views "
        "statement statements mention mentioned talk talked discuss discussed happen happened regarding "
        "concerning anything something thing things like"
    )
)
#: A quote shorter than this many words is widened by a neighbouring sentence, for context.
MIN_QUOTE_WORDS = 10
#: A neighbouring sentence joins a quote when it adds this share of the question's weighted
#: words: a distinctive word ("Sanzar"), not a frequent one ("Japan").
MIN_WIDEN_GAIN = 0.2


def _weights(bm25: BM25Index, tokens: Sequence[str]) -> dict[str, float]:
    """IDF weight of each subject word of the query; unknown words weigh as much as the rarest.

    An unknown word ("Brazil") is exactly what the corpus cannot answer, so it must count.
    (Measured on the dev halves: weighing unknown words as the question's typical known word
    answered "What did NATO say about climate change?" from any NATO sentence, and gained
    nothing on the paraphrased questions.)
    """
    unknown = math.log1p((bm25.n_docs + 0.5) / 0.5)
    return {t: (bm25.idf(t) if t in bm25.vocabulary else unknown) for t in dict.fromkeys(tokens)}


def coverage(weights: dict[str, float], text_tokens: set[str]) -> float:
    """IDF-weighted share of the question's words that a text contains (0..1)."""
    total = sum(weights.values())
    if total == 0:
        return 0.0
    return sum(w for t, w in weights.items() if t in text_tokens) / total


# A sentence opening like this refers back to the one before it ("The insurgent has been linked").
_BACK_REFERENCE = re.compile(
    r"^(?:He|She|They|It|This|These|Those|Its|Their|His|Her|The (?:insurgents?|leaders?|commanders?|facilitators?|men|group|force|operation|detainees?|suspects?))\b"
)
# Open questions about events want the whole passage, not only the sentence naming the place.
_OPEN_QUESTION = re.compile(r"^\s*what (?:happened|took place|occurred)\b", re.IGNORECASE)


def select_sentences(passage: Passage, weights: dict[str, float], whole: bool = False, kind: str | None = None) -> tuple[int, int]:
    """The span of the sentences in a passage that carry the question's words.

    Sentences sharing at least half the best sentence's weight are kept, with whatever lies
    between them, so the quote reads as one piece; with no shared words, the whole passage.
    When the question asks for a kind of fact (a number, a date, a person), a sentence that
    holds one counts half as much again: the sentence with the asked fact beats one that
    merely shares the question's words.
    """
    if whole or len(passage.sentences) == 1 or not weights:
        return passage.start, passage.end
    offset = passage.start
    scores = []
    for a, b in passage.sentences:
        sentence = passage.text[a - offset : b - offset]
        tokens = set(tokenize(sentence))
        score = sum(w for t, w in weights.items() if t in tokens)
        if kind is not None and carries(kind, sentence):
            score = score * 1.5 if score else 0.5 * min(weights.values())
        scores.append(score)
    best = max(scores)
    if best == 0:
        return passage.start, passage.end
    keep = [i for i, s in enumerate(scores) if s >= 0.5 * best]
    first, last = keep[0], keep[-1]
    if first > 0 and _BACK_REFERENCE.match(passage.text[passage.sentences[first][0] - offset :]):
        first -= 1
    span_words = len(passage.text[passage.sentences[first][0] - offset : passage.sentences[last][1] - offset].split())
    if span_words < MIN_QUOTE_WORDS:
        # "Including on cyber defence." alone reads as a fragment: add the sentence it continues.
        if first > 0:
            first -= 1
        elif last + 1 < len(passage.sentences):
            last += 1
    return passage.sentences[first][0], passage.sentences[last][1]


def source_ref(doc: Document, start: int, end: int) -> SourceRef:
    return SourceRef(
        doc_id=doc.doc_id,
        title=doc.title,
        date=doc.date.iso if doc.date else None,
        speaker=doc.speaker,
        doc_type=doc.doc_type,
        source=doc.source,
        start=start,
        end=end,
    )


def same_words(a: str, b: str) -> bool:
    """Whether two quotes say the same thing: one contains the other, or nearly all words match."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    wa, wb = set(na.split()), set(nb.split())
    return len(wa & wb) / len(wa | wb) >= DUPLICATE_JACCARD


_NAME = re.compile(r"\b[A-Z][A-Za-z]+(?:[-'’][A-Za-z]+)*")


def unknown_names(question: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Capitalised words of a question (after its first word) that the corpus never uses.

    A question about something the documents never name cannot be answered from them,
    however close its other words come.
    """
    found = []
    for match in _NAME.finditer(question):
        if match.start() == 0 or question[: match.start()].rstrip().endswith((".", "?", "!")):
            continue
        tokens = tokenize(match.group())
        if tokens and all(t not in vocabulary for t in tokens):
            found.append(match.group())
    return tuple(dict.fromkeys(found))


def absent_words(bm25: BM25Index, allowed: np.ndarray | None, question: str, subject: Sequence[str]) -> tuple[str, ...]:
    """The question's words (as written) whose subject tokens no allowed passage contains."""
    missing = set()
    for token in dict.fromkeys(subject):
        term = bm25.vocabulary.get(token)
        rows = bm25.doc_ids[bm25.indptr[term] : bm25.indptr[term + 1]] if term is not None else np.zeros(0, dtype=np.int64)
        if rows.size == 0 or (allowed is not None and not np.isin(rows, allowed).any()):
            missing.add(token)
    words = [w for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", question) if set(tokenize(w)) & missing]
    return tuple(dict.fromkeys(words))


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


class Retriever:
    """Searches one loaded index with one ranker."""

    def __init__(self, index: Index, ranker: Ranker, candidates: int = 40) -> None:
        self.index = index
        self.ranker = ranker
        self.candidates = candidates
        self.speakers = sorted({s for d in index.documents.values() for s in d.speakers})
        self.doc_types = sorted({d.doc_type for d in index.documents.values()})

    def understand(self, question: str, extra: Constraints | None = None) -> Constraints:
        """The question's own constraints, narrowed by the user's filters (``extra``)."""
        found = understand(question, self.speakers, self.doc_types)
        if extra is None:
            return found
        period = found.period or extra.period
        if found.period and extra.period:
            # Both the question and the filter restrict time: only their overlap qualifies.
            period = Period(
                max(found.period.first, extra.period.first),
                min(found.period.last, extra.period.last),
                f"{found.period.label}, within {extra.period.label}",
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
        # Nothing to look for but the statements themselves: each of their passages answers.
        overview = not query.subject and narrows(constraints)
        if overview and allowed is not None:
            ranked = self._in_reading_order(allowed)
        else:
            ranked = self.ranker.rank(self.index, query, allowed, self.candidates)
        notes: tuple[str, ...] = ()
        if constraints.latest or constraints.earliest:
            ranked, notes = self._newest_or_oldest(ranked, latest=constraints.latest)
        weights = _weights(self.index.bm25, query.subject)
        quotes: list[Quote] = []
        for position, hit in enumerate(ranked):
            if len(quotes) >= k and position >= 2 * k:
                break  # repeats further down would only add "also" sources to what is shown
            quote = self._quote(hit, weights, whole, query.kind)
            if overview:
                quote = replace(quote, coverage=1.0, own_coverage=1.0)
            merged = False
            for i, kept in enumerate(quotes):
                if same_words(kept.text, quote.text):
                    if kept.ref.doc_id != quote.ref.doc_id and all(a.doc_id != quote.ref.doc_id for a in kept.also):
                        quotes[i] = replace(kept, also=(*kept.also, quote.ref))
                    merged = True
                    break
            if not merged and len(quotes) < k:
                quotes.append(quote)
        if query.subject and not overview:
            # A quote whose own words hold none of the subject (a dateline, a heading that only
            # shares its document's title) cannot answer by itself: it goes after those that can.
            quotes.sort(key=lambda q: q.own_coverage <= 0)
        return SearchResult(question, constraints, tuple(quotes), n_allowed, self.ranker.name, notes, unknown, absent)

    def _in_reading_order(self, allowed: np.ndarray) -> list[Ranked]:
        """The allowed passages as their statements say them: each statement's opening first,
        the newest statement first, taking turns (what a question with no subject asks for)."""
        position: dict[str, int] = {}
        keyed = []
        for row in allowed:
            doc_id = self.index.passages[int(row)].doc_id
            position[doc_id] = position.get(doc_id, -1) + 1
            keyed.append((position[doc_id], -int(self.index.date_last[row]), doc_id, int(row)))
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

    def _neighbours(self, row: int, start: int, end: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """The sentences just before and after a span, within its paragraph (a quote never
        crosses a paragraph, so it reads as the document wrote it)."""
        passage = self.index.passages[row]
        doc = self.index.documents[passage.doc_id]
        paragraph = next(((a, b) for a, b in doc.paragraphs if a <= passage.start < b), (passage.start, passage.end))
        sentences = list(passage.sentences)
        for neighbour in (row - 1, row + 1):
            if 0 <= neighbour < len(self.index.passages) and self.index.passages[neighbour].doc_id == passage.doc_id:
                sentences.extend(s for s in self.index.passages[neighbour].sentences if paragraph[0] <= s[0] and s[1] <= paragraph[1])
        sentences.sort()
        before = [s for s in sentences if s[1] <= start]
        after = [s for s in sentences if s[0] >= end]
        return (before[-1] if before else None), (after[0] if after else None)

    def _quote(self, hit: Ranked, weights: dict[str, float], whole: bool = False, kind: str | None = None) -> Quote:
        passage = self.index.passages[hit.row]
        doc = self.index.document_of(passage)
        start, end = select_sentences(passage, weights, whole=whole, kind=kind)
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
        if not carries(kind, doc.text[start:end]):
            # Asked "how much", the quote names the subject but not the sum: the next sentence
            # (or the one before) often holds it.
            for neighbour in reversed(self._neighbours(hit.row, start, end)):
                if neighbour is not None and carries(kind, doc.text[neighbour[0] : neighbour[1]]):
                    start, end = min(start, neighbour[0]), max(end, neighbour[1])
                    cover = coverage(weights, set(tokenize(f"{doc.title} {doc.text[start:end]}")))
                    break
        text = doc.text[start:end]
        own = coverage(weights, set(tokenize(text)))
        return Quote(source_ref(doc, start, end), text, hit.score, hit.dense, hit.bm25, cover, own_coverage=own, typed=carries(kind, text))
