"""How much of each question's facts the first stage's candidates hold. Run on purpose:

    .venv/bin/python benchmarks/candidates.py [--sets federalist,mn-ag,omb] [--depth 8]

For every answerable question of a set, per half, it ranks the passages allowed by the
question's constraints three ways: MiniLM+BM25 fused (``HybridRanker`` without EmbeddingGemma),
EmbeddingGemma alone (its stored passage vectors), and the two taken in turns (the product's
first stage). It prints, per ranking, the sum over questions of the share of the question's
facts that the first ``--depth`` passages hold together (whitespace collapsed, case ignored),
and how many questions have a gold document among them. The re-scorer sees the first eight
candidates, so ``--depth 8`` is the figure that chose the ranking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from answers import CORPORA, has_fact, set_engine  # noqa: E402

from embeddings.embedder import offline_environment  # noqa: E402
from qa.evaluate import load_devset  # noqa: E402
from qa.query import prepare_query  # noqa: E402
from qa.ranking import HybridRanker  # noqa: E402
from qa.retrieve import allowed_rows  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default=",".join(CORPORA))
    parser.add_argument("--depth", type=int, default=8)
    args = parser.parse_args()
    offline_environment()
    for name in args.sets.split(","):
        engine = set_engine(name)
        index = engine.index
        strong = engine.strong
        if strong is None or index.strong_vectors is None:
            print(f"{name}: no EmbeddingGemma vectors in the index (run `qa prepare`); skipped")
            continue
        retriever = engine.retriever("hybrid")
        alone = HybridRanker(engine.embedder)
        both = HybridRanker(engine.embedder, strong=strong)
        totals: dict[str, dict[str, float]] = {}
        for q in load_devset(ROOT / "benchmarks" / "devsets" / f"{name}.jsonl"):
            if not q.answerable:
                continue
            constraints = retriever.understand(q.question)
            allowed = allowed_rows(index, constraints)
            query = prepare_query(q.question, constraints)
            rankings = {
                "MiniLM+BM25": [h.row for h in alone.rank(index, query, allowed, args.depth)],
                "EmbeddingGemma": [int(r) for r in both._strong_rows(index, query, allowed, args.depth)],
                "in turns": [h.row for h in both.rank(index, query, allowed, args.depth)],
            }
            half = totals.setdefault(q.half, {"questions": 0})
            half["questions"] += 1
            for label, rows in rankings.items():
                text = " ".join(" ".join(index.passages[r].text.split()) for r in rows[: args.depth])
                facts = sum(has_fact(text, f) for f in q.facts) / len(q.facts) if q.facts else 1.0
                gold = bool(set(q.gold) & {index.passages[r].doc_id for r in rows[: args.depth]})
                half[f"{label} facts"] = half.get(f"{label} facts", 0.0) + facts
                half[f"{label} gold"] = half.get(f"{label} gold", 0.0) + gold
        for half_name, half in sorted(totals.items()):
            n = int(half.pop("questions"))
            figures = "  ".join(
                f"{label}: facts {half[f'{label} facts']:.1f}, gold {int(half[f'{label} gold'])}"
                for label in ("MiniLM+BM25", "EmbeddingGemma", "in turns")
            )
            print(f"{name:10s} {half_name:7s} {n:3d} questions, first {args.depth}:  {figures}", flush=True)


if __name__ == "__main__":
    main()
