"""Ingestion figures for every corpus we have. Run on purpose, not as a test:

    .venv/bin/python benchmarks/ingestion.py [--corpora seeds,isaf,federalist,mn-ag,omb]
                                             [--exclusions N] [--no-build] [--json FILE]

Per corpus it reads every document and reports:
- kept: the share of each document's body text (all but its furniture) inside passages
  (min, 5th percentile, median), the exclusions by reason, and the characters of page
  furniture left out at extraction (HTML);
- dated and speaker, against the hand labels in ``benchmarks/labels/`` (20 documents per
  corpus, chosen by a fixed rule, labelled by reading): dates must match exactly; speakers
  match when the sets of surnames are equal; an "invented" speaker is one the product names
  where the label has none; an "invented" date is one where the label has none;
- the dated range of the whole corpus (a menu date on every page would show here);
- unless --no-build: a fresh index build (embedding included), seconds per 1,000 passages
  and the index's size on disk.
--exclusions N prints the excluded text of N labelled documents per corpus, to read.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.build import build_index  # noqa: E402
from embeddings.documents import Document, read_corpus  # noqa: E402
from embeddings.embedder import MiniLMEmbedder, offline_environment  # noqa: E402
from embeddings.passages import kept_share, split_passages  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = {
    "seeds": ROOT / "corpus" / "documents",
    "isaf": SHARED / "isaf-press-releases",
    "federalist": SHARED / "federalist-papers",
    "mn-ag": SHARED / "mn-ag-press-releases-html",
    "omb": SHARED / "omb-statements-of-administration-policy-pdf",
}


def surnames(names: list[str] | tuple[str, ...]) -> set[str]:
    return {n.split()[-1].lower().strip(".,") for n in names if n.split()}


def score_labels(name: str, docs: dict[str, Document]) -> dict:
    path = ROOT / "benchmarks" / "labels" / f"{name}.json"
    if not path.exists():
        return {}
    labels = json.loads(path.read_text(encoding="utf-8"))["documents"]
    dates_ok = speakers_ok = named = invented_speakers = invented_dates = 0
    misses = []
    for label in labels:
        doc = docs.get(label["source"])
        got_date = doc.date.iso if doc and doc.date else None
        got_speakers = list(doc.speakers) if doc else []
        if got_date == label["date"]:
            dates_ok += 1
        else:
            misses.append(f"date {label['source']}: got {got_date}, label {label['date']}")
        if label["date"] is None and got_date is not None:
            invented_dates += 1
        if label["speakers"]:
            named += 1
            if surnames(got_speakers) == surnames(label["speakers"]):
                speakers_ok += 1
            else:
                misses.append(f"speaker {label['source']}: got {got_speakers}, label {label['speakers']}")
        elif got_speakers:
            invented_speakers += 1
            misses.append(f"speaker {label['source']}: got {got_speakers}, label none")
    return {
        "labelled": len(labels),
        "dates_match": f"{dates_ok}/{len(labels)}",
        "invented_dates": invented_dates,
        "speakers_match": f"{speakers_ok}/{named}",
        "invented_speakers": invented_speakers,
        "misses": misses,
    }


def measure(name: str, folder: Path, build: bool, show_exclusions: int) -> dict:
    started = time.perf_counter()
    results = list(read_corpus(folder))
    read_s = time.perf_counter() - started
    docs = {r.source: r for r in results if isinstance(r, Document)}
    problems = [r for r in results if not isinstance(r, Document)]
    kept, reasons, dropped, n_passages = [], Counter(), 0, 0
    for doc in docs.values():
        passages = split_passages(doc)
        n_passages += len(passages)
        kept.append(kept_share(doc, passages))
        reasons.update(e.reason for e in doc.exclusions)
        dropped += doc.dropped
    years = sorted(d.date.year for d in docs.values() if d.date)
    figures = {
        "documents": len(docs),
        "skipped": len(problems),
        "passages": n_passages,
        "read_s": round(read_s, 1),
        "kept_min": round(min(kept), 4) if kept else None,
        "kept_p5": round(sorted(kept)[len(kept) // 20], 4) if kept else None,
        "kept_median": round(statistics.median(kept), 4) if kept else None,
        "exclusions": dict(reasons),
        "html_furniture_chars_dropped": dropped,
        "dated": f"{sum(d.date is not None for d in docs.values())}/{len(docs)}",
        "with_speaker": f"{sum(bool(d.speakers) for d in docs.values())}/{len(docs)}",
        "date_range": f"{years[0]}–{years[-1]}" if years else None,
        **score_labels(name, docs),
    }
    if show_exclusions:
        labelled = ROOT / "benchmarks" / "labels" / f"{name}.json"
        sources = [d["source"] for d in json.loads(labelled.read_text())["documents"]] if labelled.exists() else list(docs)
        for source in sources[:show_exclusions]:
            doc = docs[source]
            shown = [f"{e.reason}: {' '.join(doc.text[e.start:e.end].split())[:70]!r}" for e in doc.exclusions]
            print(f"  [{name}] {source}: {len(doc.exclusions)} exclusions, {doc.dropped} chars dropped at extraction")
            for line in shown:
                print(f"      {line}")
    if build:
        embedder = MiniLMEmbedder()
        embedder.embed_query("warm up")
        target = Path(tempfile.mkdtemp(prefix=f"ingest-{name}-"))
        try:
            report = build_index(folder, target, embedder)
            size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
            figures.update(
                build_s=round(report.seconds, 1),
                build_s_per_1000_passages=round(1000 * report.seconds / max(1, report.n_passages), 1),
                index_mb=round(size / 1e6, 1),
            )
        finally:
            shutil.rmtree(target, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--no-build", action="store_true", help="skip the timed index builds")
    parser.add_argument("--exclusions", type=int, default=0, help="print the exclusions of N labelled documents per corpus")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    offline_environment()
    all_figures = {}
    for name in args.corpora.split(","):
        folder = CORPORA[name]
        if not folder.is_dir():
            print(f"{name}: {folder} is not here; skipped")
            continue
        figures = measure(name, folder, not args.no_build, args.exclusions)
        all_figures[name] = figures
        misses = figures.pop("misses", [])
        print(name, json.dumps(figures, ensure_ascii=False))
        for miss in misses:
            print(f"    miss: {miss}")
    if args.json:
        args.json.write_text(json.dumps(all_figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
