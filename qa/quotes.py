"""Quotes: exact words of a document with where they stand, and the ranked result of a search.

Shared types of the answer pipeline; ``Quote.text`` is always ``document.text[start:end]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from embeddings.bm25 import tokenize
from embeddings.documents import Document
from embeddings.layout import sentence_spans
from embeddings.text import normalize
from qa.constraints import Constraints

#: Quotes whose normalised words overlap this much (Jaccard) are the same words said twice.
DUPLICATE_JACCARD = 0.8
#: Two sentences say the same thing when this share of the shorter one's content words stand in the other.
SAME_SAYING = 0.8
#: ...or this share, when the shorter gives figures and every one of them stands in the other.
SAME_FIGURE_SAYING = 0.6
#: A run of at least this many words, and this share of the shorter sentence, copied from a shown
#: sentence makes a repeat.
COPIED_RUN = 8
COPIED_SHARE = 0.5
#: Sentences with fewer content words than this ("Thank you.") are never taken for a repeat.
MIN_REPEAT_WORDS = 4


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
    # Whether the quote (with its statement's title) holds every number the question names
    # ("Fiscal Year 2020", "H.R. 2454", "No. 51"): a number is a name, and a near one is another.
    numbers_held: bool = True
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
    # Names of the question that the statements searched never use, though other statements
    # of the corpus do ("Russia", asked of 2017).
    unnamed: tuple[str, ...] = field(default=())


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


def overlaps(a: Quote, b: Quote) -> bool:
    """Whether two quotes share words of one document."""
    return covers(a, b.ref.doc_id, b.ref.start, b.ref.end)


def covers(quote: Quote, doc_id: str, start: int, end: int) -> bool:
    """Whether a quote shows any of the words of ``doc_id`` from ``start`` to ``end``."""
    return quote.ref.doc_id == doc_id and quote.ref.start < end and start < quote.ref.end


def same_words(a: str, b: str) -> bool:
    """Whether two quotes say the same thing: one contains the other, or nearly all words match."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    wa, wb = set(na.split()), set(nb.split())
    return len(wa & wb) / len(wa | wb) >= DUPLICATE_JACCARD


def with_source(quote: Quote, ref: SourceRef) -> Quote:
    """The quote with ``ref``'s document listed among the other places its words stand (once,
    and never its own document)."""
    if ref.doc_id == quote.ref.doc_id or any(a.doc_id == ref.doc_id for a in quote.also):
        return quote
    return replace(quote, also=(*quote.also, ref))


def says_again(a: set[str], b: set[str], both_ways: bool = False) -> bool:
    """Whether two sentences (as content-word sets) say one thing twice, however framed.

    One statement says a thing twice when the shorter sentence's words nearly all stand in the
    longer (a headline and the sentence under it). Two statements say it twice only when each
    sentence's words nearly all stand in the other (``both_ways``: a release reprinted): a later
    statement's short sentence is not swallowed by an earlier one's long sentence on the subject.

    Sentences that each give a number the other lacks say different things, however alike
    their words: the 2020 award is not the 2024 award, 50 troops are not 500.
    """
    numbers_a, numbers_b = {t for t in a if t.isdigit()}, {t for t in b if t.isdigit()}
    if numbers_a - numbers_b and numbers_b - numbers_a:
        return False
    shorter, longer = sorted((a, b), key=len)
    # A sentence giving only figures the other gives, on mostly the same words, restates it:
    # "$14 million to Minnesota students" and "borrowers will receive over $14 million".
    figures = {t for t in shorter if t.isdigit()}
    bar = SAME_FIGURE_SAYING if figures and figures <= longer and not both_ways else SAME_SAYING
    return bool(a and b) and len(a & b) >= bar * (max if both_ways else min)(len(a), len(b))


def _within(sentence: str, shown: str, same_statement: bool) -> bool:
    """Whether a sentence's words (normalised) stand in a shown sentence, but for an opening
    "and"/"but"/"so" ("And I am convinced ..." within "... NATO: I am convinced ..."), or most of
    them as one run ("... to deal with challenges such as disaster relief, terrorism, piracy, and
    cyber attacks" after "... to jointly handle challenges such as disaster relief, terrorism,
    piracy and cyber attacks"); across statements, a run of most of both ("In the document, Japan
    and NATO spell out their shared strategic interests in promoting ..." after "In the joint
    political declaration, Japan and NATO acknowledge our shared strategic interests in
    promoting ..."): another statement using a phrase makes its own point."""
    bare = re.sub(r"^(?:and|but|so|also)\s+", "", sentence)
    if not bare:
        return False
    if bare in shown:
        return True
    words, seen = bare.split(), shown.split()
    run = SequenceMatcher(None, words, seen, autojunk=False).find_longest_match(0, len(words), 0, len(seen)).size
    # Across statements the run must hold half of each sentence (a release reprinting remarks
    # with a new opening), as ``says_again`` asks each sentence's words of the other.
    return run >= COPIED_RUN and run >= COPIED_SHARE * (min if same_statement else max)(len(words), len(seen))


def _repeats(words: set[str], sentence: str, seen_words: set[str], seen: str, same_statement: bool) -> bool:
    """Whether a sentence (content words, normalised text) repeats a shown one: it says the same
    thing (``says_again``) or its very words stand in it (``_within``), whichever statement
    each comes from."""
    if len(words) < MIN_REPEAT_WORDS:
        return False
    return says_again(words, seen_words, not same_statement) or _within(sentence, seen, same_statement)


def distinct_points(quotes: Sequence[Quote]) -> tuple[Quote, ...]:
    """The quotes with no sentence shown twice, in their order.

    A later quote that repeats sentences of an earlier one (a release reprinted with a new
    opening, two overlapping passages), or a quote that says one thing twice itself (a headline
    and the sentence under it), is cut to its longest run of sentences not yet shown, an exact
    span of its document; a quote with nothing new is dropped, and its document joins the
    earlier quote's ``also`` sources.
    """
    kept: list[Quote] = []
    # (index in kept, content words of a shown sentence, its document, its normalised words)
    shown: list[tuple[int, set[str], str, str]] = []
    for quote in quotes:
        spans = sentence_spans(quote.text) or [(0, len(quote.text))]
        words = [set(tokenize(quote.text[a:b])) for a, b in spans]
        plain = [normalize(quote.text[a:b]) for a, b in spans]
        repeats: list[int | None] = [
            next((i for i, seen, doc, text in shown if _repeats(w, plain[n], seen, text, doc == quote.ref.doc_id)), None)
            for n, w in enumerate(words)
        ]
        # Two sentences of the same quote may say one thing (a release's headline and the
        # sentence under it): the shorter one is the repeat (-1), the fuller one stays.
        for n, w in enumerate(words):
            for m in range(n):
                if repeats[m] is None and repeats[n] is None and min(len(w), len(words[m])) >= MIN_REPEAT_WORDS and says_again(w, words[m]):
                    repeats[m if len(words[m]) < len(w) else n] = -1
        runs: list[list[int]] = [[]]
        for n, repeat in enumerate(repeats):
            if repeat is None:
                runs[-1].append(n)
            elif runs[-1]:
                runs.append([])
        run = max(runs, key=lambda r: (sum(len(words[n]) for n in r), -r[0] if r else 0))
        if not run:
            first = next(i for i in repeats if i is not None and i >= 0)
            kept[first] = with_source(kept[first], quote.ref)
            continue
        if len(run) < len(spans):
            a, b = spans[run[0]][0], spans[run[-1]][1]
            quote = replace(quote, ref=replace(quote.ref, start=quote.ref.start + a, end=quote.ref.start + b), text=quote.text[a:b])
        shown.extend((len(kept), words[n], quote.ref.doc_id, plain[n]) for n in run)
        kept.append(quote)
    return tuple(kept)
