"""Warm speed of the local generators on the seeds, side by side, question by question, in one process.

    .venv/bin/python benchmarks/generators.py [--generators transformers,llama-cpp,llama-cpp:qwen2.5-1.5b]
                                              [--half dev] [--rounds 2]

`answers.py` measures one generator per run; on shared cores the load of one run is not the
load of the next. Here every generator answers each question in turn (the order rotating per
question), so background load falls on all of them alike, and the per-question ratio to the
first generator is reported beside the medians. Only questions that reach the model count (the
quotes event came and the model was asked); the first round of each generator is a warm-up
and is not counted. A generator is written KIND or KIND:MODEL (see qa.models.MODELS).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.embedder import MiniLMEmbedder, offline_environment  # noqa: E402
from qa.answer import Answer, Sources  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.engine import Engine  # noqa: E402
from qa.evaluate import load_devset  # noqa: E402


def timed(engine: Engine, question: str) -> tuple[float | None, float, str]:
    """Seconds to the model's first text (None if the model was not asked), to the answer, and its method."""
    started = time.perf_counter()
    asked = False
    first = None
    method = ""
    for event in engine.ask_stream(question):
        if isinstance(event, Sources):
            asked = True
        elif asked and first is None and isinstance(event, str):
            first = time.perf_counter() - started
        elif isinstance(event, Answer):
            method = event.method
    return (first if asked else None), time.perf_counter() - started, method


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generators", default="transformers,llama-cpp")
    parser.add_argument("--half", choices=("dev", "heldout", "both"), default="dev")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the questions; the first is a warm-up")
    args = parser.parse_args()
    offline_environment()
    embedder = MiniLMEmbedder()
    engines: dict[str, Engine] = {}
    for spec in args.generators.split(","):
        kind, _, model = spec.partition(":")
        settings = replace(Settings.from_env(generator=kind), **({"model": model} if model else {}))
        engines[spec] = Engine(settings, embedder=embedder)
        started = time.perf_counter()
        engines[spec].warm_up()
        print(f"{spec}: ready in {time.perf_counter() - started:.1f} s", flush=True)
    questions = [q for q in load_devset(ROOT / "benchmarks" / "devsets" / "seeds.jsonl") if args.half in ("both", q.half)]
    names = list(engines)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for round_ in range(args.rounds):
        for i, q in enumerate(questions):
            order = names[i % len(names) :] + names[: i % len(names)]
            results = {name: timed(engines[name], q.question) for name in order}
            if round_ == 0 or any(first is None for first, _, _ in results.values()):
                continue
            for name, (first, total, _) in results.items():
                times[name].append((first, total))
    base = names[0]
    figures = {}
    for name in names:
        pairs = times[name]
        if not pairs:
            continue
        figures[name] = {
            "answers": len(pairs),
            "first_token_p50_s": round(statistics.median(p[0] for p in pairs), 2),
            "full_answer_p50_s": round(statistics.median(p[1] for p in pairs), 2),
            f"first_token_ratio_to_{base}_p50": round(statistics.median(p[0] / b[0] for p, b in zip(pairs, times[base], strict=True)), 2),
            f"full_answer_ratio_to_{base}_p50": round(statistics.median(p[1] / b[1] for p, b in zip(pairs, times[base], strict=True)), 2),
        }
        print(f"{name}: {json.dumps(figures[name])}")


if __name__ == "__main__":
    main()
