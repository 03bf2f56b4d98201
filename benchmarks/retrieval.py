"""Retrieval figures for the core issue. Run on purpose, not as a test:

    .venv/bin/python benchmarks/retrieval.py [--isaf PATH] [--repeats 5]

Prints: recall@1/@5 and MRR per retriever on both dev sets, time-filter compliance, the
full ISAF index build time (fresh folder), index load time (median), retrieval latency p50/p95
per question with the query embedding included (hybrid, warm, median over repeats), and the
recall of an HNSW index against exact search on the same vectors.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.build import build_index  # noqa: E402
from embeddings.embedder import MiniLMEmbedder, offline_environment  # noqa: E402
from embeddings.index import load_index  # noqa: E402
from qa.evaluate import engine_for, evaluate_retrieval, format_report, load_devset  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--isaf", type=Path, default=ROOT.parent / "shared" / "corpora" / "isaf-press-releases")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    offline_environment()
    devsets = ROOT / "benchmarks" / "devsets"

    print("== quality")
    seeds_engine = engine_for(None, None)
    print(format_report(evaluate_retrieval(devsets / "seeds.jsonl", engine=seeds_engine)))
    isaf_engine = engine_for(args.isaf, None)
    print(format_report(evaluate_retrieval(devsets / "isaf.jsonl", engine=isaf_engine)))

    print("\n== ISAF index build (fresh folder, model load included)")
    embedder = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = build_index(args.isaf, Path(tmp) / "index", embedder)
        build_s = time.perf_counter() - started
        print(f"{report.n_documents} documents, {report.n_passages} passages, {len(report.skipped)} skipped: {build_s:.1f} s")
        started = time.perf_counter()
        again = build_index(args.isaf, Path(tmp) / "index", embedder)
        print(f"re-run with nothing changed: {time.perf_counter() - started:.2f} s (unchanged={again.unchanged})")

        loads = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            load_index(Path(tmp) / "index", embedder.name, args.isaf)
            loads.append(time.perf_counter() - started)
        print(f"index load (manifest and corpus check included): median {statistics.median(loads) * 1000:.0f} ms over {args.repeats}")

        print("\n== retrieval latency, ISAF index, hybrid, warm (query embedding included)")
        questions = [q.question for q in load_devset(devsets / "isaf.jsonl")]
        isaf_engine.warm_up()
        per_question = []
        for question in questions:
            timings = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                isaf_engine.search(question)
                timings.append((time.perf_counter() - started) * 1000)
            per_question.append(statistics.median(timings))
        print(
            f"{len(questions)} questions x {args.repeats}: p50 {percentile(per_question, 50):.1f} ms, p95 {percentile(per_question, 95):.1f} ms"
        )
        embeds = []
        for question in questions:
            started = time.perf_counter()
            embedder.embed_query(question)
            embeds.append((time.perf_counter() - started) * 1000)
        print(f"of which the query embedding alone: p50 {percentile(embeds, 50):.1f} ms")

        print("\n== approximate (HNSW) against exact search, same ISAF vectors")
        build_index(args.isaf, Path(tmp) / "hnsw", embedder, approximate_above=0)
        approx = load_index(Path(tmp) / "hnsw", embedder.name)
        exact = load_index(Path(tmp) / "index", embedder.name)
        rng = np.random.default_rng(0)
        queries = [embedder.embed_query(q) for q in questions]
        # Also passages themselves (perturbed) as queries, for a larger sample.
        sample = rng.choice(len(exact.passages), size=200, replace=False)
        queries += [
            v / np.linalg.norm(v) for v in (exact.vectors[sample] + rng.normal(0, 0.02, (200, exact.vectors.shape[1])).astype(np.float32))
        ]
        matrix = np.vstack(queries).astype(np.float32)
        _, exact_rows = exact.faiss_index.search(matrix, 10)
        _, approx_rows = approx.faiss_index.search(matrix, 10)
        overlap = [len(set(a) & set(e)) / 10 for a, e in zip(approx_rows, exact_rows, strict=True)]
        print(f"recall@10 of HNSW (M=32, efSearch=128) vs flat over {len(queries)} queries: {statistics.mean(overlap):.4f}")
        started = time.perf_counter()
        for _ in range(args.repeats):
            approx.faiss_index.search(matrix, 10)
        hnsw_ms = (time.perf_counter() - started) / args.repeats / len(queries) * 1000
        started = time.perf_counter()
        for _ in range(args.repeats):
            exact.faiss_index.search(matrix, 10)
        flat_ms = (time.perf_counter() - started) / args.repeats / len(queries) * 1000
        print(f"search time per query: HNSW {hnsw_ms:.3f} ms, flat {flat_ms:.3f} ms ({exact.manifest.n_passages} vectors)")


if __name__ == "__main__":
    main()
