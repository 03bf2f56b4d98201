"""Quotes: exact words of a document with where they stand, and the ranked result of a search.

Shared types of the answer pipeline; ``Quote.text`` is always ``document.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from embeddings.documents import Document
from embeddings.text import normalize
from qa.constraints import Constraints

#: Quotes whose normalised words overlap this much (Jaccard) are the same words said twice.
DUPLICATE_JACCARD = 0.8


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
