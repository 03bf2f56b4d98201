"""Retrieval evaluation on a dev set: recall@1, recall@5 and MRR for each retriever.

A question is a hit at k when any of its top-k quotes comes from (or is repeated in) a gold
document. Time-filtered questions are also checked for the period they were understood to ask
about and for every returned quote lying inside it. Unanswerable questions have no gold
documents and are left out of recall; answer-level checks live in ``benchmarks/answers.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from embeddings.errors import QAError
from qa.config import Settings
from qa.engine import Engine
from qa.quotes import SearchResult

RANKERS = ("dense", "bm25", "hybrid")


@dataclass(frozen=True)
class DevQuestion:
    """One line of a dev set."""

    id: str
    question: str
    gold: tuple[str, ...]
    answerable: bool
    facts: tuple[str, ...]
    period: str | None
    kind: str = ""

    @property
    def half(self) -> str:
        """"dev" or "heldout", fixed by the id alone (see benchmarks/devsets/README.md)."""
        return split_of(self.id)


def split_of(question_id: str) -> str:
    """The half a question belongs to: tune on "dev", only report "heldout"."""
    return "heldout" if int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % 2 == 1 else "dev"


def load_devset(path: Path) -> list[DevQuestion]:
    """Read a JSONL dev set.

    Raises:
        QAError: if the file is missing or a line is malformed.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise QAError(f"cannot read dev set {path}: {error.strerror}") from error
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            questions.append(
                DevQuestion(
                    raw["id"], raw["question"], tuple(raw["gold"]), raw["answerable"], tuple(raw["facts"]), raw.get("period"), raw.get("kind", "")
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise QAError(f"{path}:{number}: not a dev-set line ({error})") from error
    return questions


def cited_docs(result: SearchResult, k: int) -> list[set[str]]:
    """For each of the top k quotes, the documents its words stand in."""
    return [{q.ref.doc_id, *(a.doc_id for a in q.also)} for q in result.quotes[:k]]


def first_hit(result: SearchResult, gold: set[str], k: int = 10) -> int | None:
    """1-based rank of the first quote from a gold document, if any in the top k."""
    for rank, docs in enumerate(cited_docs(result, k), start=1):
        if docs & gold:
            return rank
    return None


def in_period(result: SearchResult) -> bool:
    """Whether every quote comes from a statement dated inside the understood period."""
    period = result.constraints.period
    if period is None:
        return True
    from embeddings.dates import parse_iso

    for quote in result.quotes:
        if quote.ref.date is None:
            return False
        d = parse_iso(quote.ref.date)
        if not period.contains(d.first, d.last):
            return False
    return True


def engine_for(corpus: Path | None, index: Path | None) -> Engine:
    """An extractive engine over the dev set's corpus (index built in the cache when not given)."""
    settings = Settings.from_env(generator="extractive")
    if corpus is not None and index is None:
        index = settings.index_dir.parent / f"eval-{corpus.resolve().name}"
        settings = replace(settings, corpus_dir=corpus, index_dir=index, auto_index=True)
    elif index is not None:
        settings = replace(settings, index_dir=index, auto_index=False)
    return Engine(settings)


def evaluate_retrieval(devset: Path, corpus: Path | None = None, index: Path | None = None, engine: Engine | None = None) -> dict:
    """Recall@1, recall@5, MRR per retriever, and time-filter compliance, as a dict."""
    questions = load_devset(devset)
    engine = engine or engine_for(corpus, index)
    report: dict = {
        "devset": str(devset),
        "questions": len(questions),
        "answerable": sum(q.answerable for q in questions),
        "retrievers": {},
    }
    for ranker in RANKERS:
        r1 = r5 = mrr = 0.0
        misses = []
        period_ok, period_total, label_ok = 0, 0, 0
        for q in questions:
            result = engine.search(q.question, k=10, ranker=ranker)
            if q.period:
                period_total += 1
                period_ok += in_period(result)
                label_ok += bool(result.constraints.period and result.constraints.period.label == q.period)
            if not q.answerable:
                continue
            rank = first_hit(result, set(q.gold))
            r1 += rank == 1
            r5 += rank is not None and rank <= 5
            mrr += 1 / rank if rank else 0
            if not rank or rank > 5:
                misses.append(q.id)
        n = max(1, report["answerable"])
        report["retrievers"][ranker] = {
            "recall@1": round(r1 / n, 3),
            "recall@5": round(r5 / n, 3),
            "mrr": round(mrr / n, 3),
            "time_filtered": period_total,
            "time_filtered_all_in_period": period_ok,
            "period_understood": label_ok,
            "missed_at_5": misses,
        }
    return report


def format_report(report: dict) -> str:
    """A small table of the figures."""
    lines = [f"{report['devset']}: {report['questions']} questions, {report['answerable']} answerable", ""]
    lines.append(f"{'retriever':<10} {'R@1':>6} {'R@5':>6} {'MRR':>6}  in-period  period-read  missed@5")
    for name, r in report["retrievers"].items():
        lines.append(
            f"{name:<10} {r['recall@1']:>6.3f} {r['recall@5']:>6.3f} {r['mrr']:>6.3f}  "
            f"{r['time_filtered_all_in_period']:>3}/{r['time_filtered']:<5} {r['period_understood']:>4}/{r['time_filtered']:<6} "
            f"{', '.join(r['missed_at_5']) or '-'}"
        )
    return "\n".join(lines)
