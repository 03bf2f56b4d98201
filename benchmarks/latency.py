"""Warm latency of the two retrieval stages, per corpus. Run on purpose, on a quiet machine:

    .venv/bin/python benchmarks/latency.py [--sets seeds,isaf,federalist,mn-ag,omb] [--repeats 3]

For every question of a set (both halves; timing is not tuned on), it times the first stage
(constraints, MiniLM query embedding, FAISS/BM25 fusion, EmbeddingGemma's query vector and its
ranking, and quote cutting: ``search_with``, with the question's cached vector cleared), the
same without EmbeddingGemma, and the second stage (EmbeddingGemma re-scoring the candidates:
``Engine._find`` less the first stage), and prints p50/p95 in milliseconds, the median over
``--repeats`` runs of each question.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from answers import CORPORA, set_engine  # noqa: E402

from embeddings.embedder import offline_environment  # noqa: E402
from qa.evaluate import load_devset  # noqa: E402
from qa.ranking import HybridRanker  # noqa: E402
from qa.retrieve import Retriever  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default=",".join(CORPORA))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    offline_environment()
    for name in args.sets.split(","):
        engine = set_engine(name)
        settings = engine.settings
        engine.warm_up()
        retriever = engine.retriever("hybrid")
        alone = Retriever(engine.index, HybridRanker(engine.embedder))
        strong = engine.strong
        first, plain, second = [], [], []
        for q in load_devset(ROOT / "benchmarks" / "devsets" / f"{name}.jsonl"):
            constraints = retriever.understand(q.question)
            n = max(settings.k, settings.rescore_candidates)
            one, without, both = [], [], []
            for _ in range(args.repeats):
                if strong is not None:
                    strong.forget_queries()  # the question's vector is computed, as when first asked
                started = time.perf_counter()
                retriever.search_with(q.question, constraints, n)
                middle = time.perf_counter()
                alone.search_with(q.question, constraints, n)
                cached = time.perf_counter()
                retriever.search_with(q.question, constraints, n)
                again = time.perf_counter()
                engine.search_for(retriever).find(q.question, constraints)
                done = time.perf_counter()
                one.append((middle - started) * 1000)
                without.append((cached - middle) * 1000)
                both.append(((done - again) - (again - cached)) * 1000)
            first.append(statistics.median(one))
            plain.append(statistics.median(without))
            second.append(max(0.0, statistics.median(both)))
        print(
            f"{name:10s} passages {len(engine.index.passages):5d}  first stage p50 {percentile(first, 0.5):6.1f} ms  p95 {percentile(first, 0.95):6.1f} ms"
            f"  (without EmbeddingGemma p50 {percentile(plain, 0.5):6.1f} ms  p95 {percentile(plain, 0.95):6.1f} ms)"
            f"  | re-scoring p50 {percentile(second, 0.5):6.1f} ms  p95 {percentile(second, 0.95):6.1f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
