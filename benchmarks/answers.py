"""Answer figures on every question set, per half. Run on purpose, not as a test:

    [QA_MODEL=qwen2.5-1.5b] .venv/bin/python benchmarks/answers.py [--generator transformers|llama-cpp|openai|extractive]
                                           [--sets seeds,isaf,federalist,mn-ag,omb]
                                           [--half dev|heldout|both] [--show] [--no-cold]

Every set is split into a dev half (tuned on) and a held-out half (only reported) by the fixed
rule in benchmarks/devsets/README.md; figures are printed for each half, and failures are
printed for the dev half only (so nobody tunes on held-out questions by reading them).

For each dev question it runs the whole pipeline (streaming) and checks: answered with every
key fact and a citation from a gold document (answerable questions); declined (unanswerable
ones); every quote the exact document text at its offsets; every [n] in the answer a listed
citation. It prints pass rates and, per backend, first-token and full-answer p50 (warm), plus
engine cold start and peak memory measured in a fresh subprocess.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.embedder import offline_environment  # noqa: E402
from qa.answer import Answer  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.engine import Engine  # noqa: E402
from qa.evaluate import load_devset  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = {
    "seeds": None,
    "isaf": SHARED / "isaf-press-releases",
    "federalist": SHARED / "federalist-papers",
    "mn-ag": SHARED / "mn-ag-press-releases-html",
    "omb": SHARED / "omb-statements-of-administration-policy-pdf",
}

COLD_START = """
import resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from embeddings.embedder import offline_environment
offline_environment()
from qa.config import Settings
from qa.engine import Engine
engine = Engine(Settings.from_env(generator={generator!r}))
engine.warm_up()
ready = time.perf_counter() - t0
answer = engine.ask("What did NATO say about North Korea in 2017?")
first = time.perf_counter() - t0
print(ready, first, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, answer.status)
"""


def has_fact(text: str, fact: str) -> bool:
    return any(alt.lower() in text.lower() for alt in fact.split("|"))


def check(engine: Engine, answer: Answer, gold: set[str], facts: tuple[str, ...], answerable: bool) -> dict:
    cited_docs = {c.quote.ref.doc_id for c in answer.citations} | {a.doc_id for c in answer.citations for a in c.quote.also}
    exact = all(
        engine.index.documents[c.quote.ref.doc_id].text[c.quote.ref.start : c.quote.ref.end] == c.quote.text for c in answer.citations
    )
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    listed = {c.n for c in answer.citations}
    if answerable:
        ok = answer.status == "answered" and all(has_fact(answer.text, f) for f in facts) and bool(cited_docs & gold)
    else:
        ok = answer.status == "not_found"
    # Why an answerable question failed, as a figure: declined, answered without a key fact, or
    # with every fact but no citation from a gold statement.
    if ok or not answerable:
        failure = ""
    elif answer.status != "answered":
        failure = "declined:" + _decline_kind(answer.text)
    elif not all(has_fact(answer.text, f) for f in facts):
        failure = "fact_missing"
    else:
        failure = "no_gold_citation"
    return {"ok": ok, "exact": exact, "markers_ok": markers <= listed and (not listed or markers), "method": answer.method, "failure": failure}


# What a decline says decided it (the first sentence of ``qa.evidence.not_found_text``).
_DECLINES = (
    ("name", r"never mention"),
    ("number", r"give no (?:number|figure)|No passage gives a figure"),
    ("person", r"do not name the person"),
    ("period_or_speaker", r"No statement (?:in the documents )?(?:is )?(?:dated|by)|No statement dated|is by "),
    ("words", r"never use the word|holds enough"),
)


def _decline_kind(text: str) -> str:
    return next((kind for kind, pattern in _DECLINES if re.search(pattern, text)), "other")


def set_engine(name: str, generator: str = "extractive") -> Engine:
    """An engine over a question set's corpus (its index built in the cache on first use)."""
    settings = Settings.from_env(generator=generator)
    corpus = CORPORA[name]
    if corpus is not None:
        settings = replace(settings, corpus_dir=corpus, index_dir=settings.index_dir.parent / f"eval-{corpus.name}")
    return Engine(settings)


def run_set(name: str, generator: str, show: bool, half: str = "both", quiet: bool = False) -> tuple[list[dict], list[float], list[float]]:
    engine = set_engine(name, generator)
    engine.warm_up()
    rows, first_tokens, totals = [], [], []
    for q in load_devset(ROOT / "benchmarks" / "devsets" / f"{name}.jsonl"):
        if half != "both" and q.half != half:
            continue
        started = time.perf_counter()
        first = None
        answer = None
        for event in engine.ask_stream(q.question):
            if first is None and isinstance(event, str):  # text, not the quotes sent before it
                first = time.perf_counter() - started
            if isinstance(event, Answer):
                answer = event
        total = time.perf_counter() - started
        result = check(engine, answer, set(q.gold), q.facts, q.answerable)
        cited = [c.quote.ref.doc_id for c in answer.citations]
        result.update(
            id=q.id,
            half=q.half,
            kind=q.kind,
            answerable=q.answerable,
            first=first,
            total=total,
            gold_citations=sum(d in q.gold for d in cited),
            citations=len(cited),
            repeats=_repeats(answer.text),
        )
        rows.append(result)
        if answer.method.startswith("generated"):
            first_tokens.append(first)
            totals.append(total)
        if not quiet and (show or ((not result["ok"] or result["repeats"]) and q.half == "dev")):
            flag = ("ok " if result["ok"] else "BAD") + (" REPEATS" if result["repeats"] else "")
            print(f"{flag} {q.id} [{answer.method}, {total:.1f} s] {q.question}\n      {' '.join(answer.text.split())[:400]}")
    return rows, first_tokens, totals


def _repeats(text: str) -> bool:
    """Whether an answer says one thing twice: one sentence's content words (nearly) all stand
    in another sentence of it, however each is framed."""
    from embeddings.bm25 import tokenize
    from embeddings.layout import sentence_spans

    # The product's own sentence splitter ("Sen. Nick Frentz" is one sentence, not two).
    bare = re.sub(r"\[\d+\]", "", text)
    sentences = [set(tokenize(bare[a:b])) for a, b in sentence_spans(bare)]
    sentences = [s for s in sentences if len(s) >= 4]
    return any(len(a & b) >= 0.8 * min(len(a), len(b)) for i, a in enumerate(sentences) for b in sentences[i + 1 :])


def summarise(rows: list[dict]) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    citations = sum(r["citations"] for r in answerable)
    return {
        "answerable_ok": f"{sum(r['ok'] for r in answerable)}/{len(answerable)}",
        "accuracy": round(sum(r["ok"] for r in answerable) / max(1, len(answerable)), 3),
        "unanswerable_declined": f"{sum(r['ok'] for r in unanswerable)}/{len(unanswerable)}",
        "quotes_exact": f"{sum(r['exact'] for r in rows)}/{len(rows)}",
        "markers_match_citations": f"{sum(bool(r['markers_ok']) for r in rows)}/{len(rows)}",
        "citations_from_gold": f"{sum(r['gold_citations'] for r in answerable)}/{citations}",
        "answerable_failed_as": {f: n for f in sorted({r["failure"] for r in answerable} - {""}) if (n := sum(r["failure"] == f for r in answerable))},
        "answers_repeating_a_sentence": sum(r["repeats"] for r in rows),
        "total_p50_s": round(statistics.median(r["total"] for r in rows), 2) if rows else None,
    }


def by_kind(rows: list[dict]) -> dict[str, str]:
    """Passes per question kind ("time", "paraphrase", ...; a question counts under each of its
    kinds): which shapes of question fail, as a figure, without reading a held-out answer."""
    kinds: dict[str, list[bool]] = {}
    for r in rows:
        for kind in filter(None, r["kind"].split("+")):
            kinds.setdefault(kind, []).append(r["ok"])
    return {k: f"{sum(v)}/{len(v)}" for k, v in sorted(kinds.items())}


def cold_start(generator: str) -> tuple[float, float, float, str]:
    code = COLD_START.format(root=str(ROOT), generator=generator)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    ready, first, peak_gb, status = out.stdout.split()
    return float(ready), float(first), float(peak_gb), status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generator", default="transformers")
    parser.add_argument("--sets", default=",".join(CORPORA))
    parser.add_argument("--half", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start measurement")
    parser.add_argument("--show", action="store_true", help="print every answer, not only failures")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    offline_environment()
    figures: dict = {"generator": args.generator}
    all_first, all_total = [], []
    for name in args.sets.split(","):
        if CORPORA[name] is not None and not CORPORA[name].is_dir():
            print(f"{name}: {CORPORA[name]} is not here; skipped")
            continue
        rows, firsts, totals = run_set(name, args.generator, args.show, args.half)
        all_first += firsts
        all_total += totals
        methods: dict[str, int] = {}
        for r in rows:
            methods[r["method"]] = methods.get(r["method"], 0) + 1
        figures[name] = {half: summarise([r for r in rows if r["half"] == half]) for half in ("dev", "heldout") if any(r["half"] == half for r in rows)}
        figures[name]["methods"] = methods
        for half in ("dev", "heldout"):
            if half in figures[name]:
                print(f"{name} {half}: {json.dumps(figures[name][half])}")
            kinds = by_kind([r for r in rows if r["half"] == half])
            if kinds:
                figures[name].setdefault("kinds", {})[half] = kinds
                print(f"{name} {half} by kind: {json.dumps(kinds)}")
    if all_first:
        figures["generated"] = {
            "answers": len(all_first),
            "first_token_p50_s": round(statistics.median(all_first), 2),
            "full_answer_p50_s": round(statistics.median(all_total), 2),
        }
        print("generated answers:", json.dumps(figures["generated"]))
    if args.no_cold:
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
        return
    ready, first, peak, status = cold_start(args.generator)
    figures["cold_start"] = {
        "process_to_ready_s": round(ready, 1),
        "process_to_first_answer_s": round(first, 1),
        "peak_rss_gb": round(peak, 2),
    }
    print("cold start:", json.dumps(figures["cold_start"]), status)
    print("this process peak RSS (GB):", round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
