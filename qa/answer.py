"""What an answer is: text with [n] markers, and the exact quotes those markers point to.

The JSON shape (``Answer.to_json``) is the CLI contract other tools read; keep it stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.quotes import Quote, SourceRef


@dataclass(frozen=True)
class Citation:
    """Quote number ``n`` of an answer: exact document words and where they stand."""

    n: int
    quote: Quote

    def to_json(self) -> dict[str, object]:
        ref = self.quote.ref
        return {
            "n": self.n,
            "doc_id": ref.doc_id,
            "title": ref.title,
            "date": ref.date,
            "speaker": ref.speaker,
            "type": ref.doc_type,
            "source": ref.source,
            "quote": self.quote.text,
            "start": ref.start,
            "end": ref.end,
            "also": [_ref_json(a) for a in self.quote.also],
        }


def _ref_json(ref: SourceRef) -> dict[str, object]:
    return {"doc_id": ref.doc_id, "title": ref.title, "date": ref.date, "source": ref.source, "start": ref.start, "end": ref.end}


@dataclass(frozen=True)
class Sources:
    """The quotes a generated answer will draw on, numbered as the model reads them.

    Sent as soon as they are found, before the model writes, so a reader sees the evidence at
    once; the final Answer's citations are those of them its verified sentences cite.
    """

    quotes: tuple[Quote, ...]

    def to_json(self) -> list[dict[str, object]]:
        return [Citation(n, q).to_json() for n, q in enumerate(self.quotes, start=1)]


@dataclass(frozen=True)
class Answer:
    """The final, verified answer to one question."""

    question: str
    status: str  # "answered" or "not_found"
    text: str
    citations: tuple[Citation, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    # How the text was made: "generated", "generated (trimmed)", "extractive", "disagreement", "catalog",
    # "declined".
    method: str = "extractive"
    period: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "status": self.status,
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "method": self.method,
            "period": self.period,
        }


def quote_json(quote: Quote, rank: int) -> dict[str, object]:
    """One ranked quote as ``search --json`` prints it."""
    return {
        **Citation(rank, quote).to_json(),
        "score": round(quote.score, 5),
        "dense": round(quote.dense, 4),
        "bm25": round(quote.bm25, 3),
        "coverage": round(quote.coverage, 3),
    }
