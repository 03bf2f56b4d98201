"""``python -m qa``: index, search, ask, eval, prepare.

The JSON printed by ``search --json`` and ``ask --json`` is a contract other tools read.
Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from embeddings.embedder import offline_environment
from embeddings.errors import QAError

log = logging.getLogger("qa")

EXIT_ERROR = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m qa", description="Cited answers from a folder of official statements, offline.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="build or update an index of a folder of documents")
    index.add_argument("--corpus", type=Path, required=True, help="folder of .txt/.md/.html/.pdf/.docx files (and optional metadata.json)")
    index.add_argument("--index", type=Path, required=True, help="folder the index is written to")
    index.add_argument("--approximate-above", type=int, default=None, help="passages above which FAISS HNSW replaces exact search")

    for name, help_text in (("search", "print the ranked quotes for a question"), ("ask", "answer questions with citations")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("questions", nargs="+" if name == "ask" else 1, help="question(s)")
        cmd.add_argument("--json", action="store_true", help="print JSON (one object per line)")
        cmd.add_argument("--index", type=Path, default=None, help="index folder (default: the index of corpus/, built on first use)")
        if name == "search":
            cmd.add_argument("-k", type=_positive, default=5, help="how many quotes (1 or more)")
            cmd.add_argument("--retriever", choices=("hybrid", "dense", "bm25"), default="hybrid")
        else:
            cmd.add_argument("--history", type=Path, default=None, help='JSON file of prior turns: [{"question": ..., "answer": ...}]')
            cmd.add_argument("--generator", choices=("transformers", "llama-cpp", "xllamacpp", "openai", "extractive"), default=None)

    ev = sub.add_parser("eval", help="retrieval recall@1/@5 and MRR per retriever on a dev set")
    ev.add_argument("--set", dest="devset", type=Path, required=True, help="JSONL dev set (see benchmarks/devsets)")
    ev.add_argument("--corpus", type=Path, default=None, help="corpus the dev set is about (default: corpus/)")
    ev.add_argument("--index", type=Path, default=None, help="index folder (default: built beside the cache)")
    ev.add_argument("--json", action="store_true")

    docs = sub.add_parser("documents", help="list the indexed documents: date, title, speakers, type, passages, kept share")
    docs.add_argument("--json", action="store_true", help="one JSON object per document per line")
    docs.add_argument("--index", type=Path, default=None, help="index folder (default: the index of corpus/)")

    inspect = sub.add_parser("inspect", help="show one document's facts, its passages and what was left out, and why")
    inspect.add_argument("document", help="doc_id or source file name (see `documents`)")
    inspect.add_argument("--index", type=Path, default=None, help="index folder (default: the index of corpus/)")

    sub.add_parser("prepare", help="prepare the models and the default index (run once after install)")
    return parser


def _settings(args: argparse.Namespace):  # noqa: ANN202 - Settings, imported lazily to keep --help fast
    from qa.config import Settings

    overrides: dict[str, object] = {}
    if getattr(args, "index", None) is not None:
        overrides.update(index_dir=args.index, auto_index=False)
    if getattr(args, "generator", None):
        overrides["generator"] = args.generator
    return Settings.from_env(**overrides)


def _cmd_index(args: argparse.Namespace) -> int:
    from embeddings.build import APPROXIMATE_ABOVE, build_index
    from embeddings.embedder import MiniLMEmbedder
    from embeddings.gemma import prepared

    # The same stronger embedder the answers will use (None when it is off or not prepared).
    settings = _settings(args)
    strong = prepared(settings.models_dir) if settings.rescorer == "gemma" else None
    report = build_index(
        args.corpus,
        args.index,
        MiniLMEmbedder(),
        approximate_above=args.approximate_above or APPROXIMATE_ABOVE,
        show_progress=sys.stderr.isatty() or args.verbose,
        on_stage=lambda message: print(message, file=sys.stderr),
        strong=strong,
    )
    for problem in report.skipped:
        reason = problem.reason if problem.reason.startswith(problem.source) else f"{problem.source}: {problem.reason}"
        print(f"warning: skipped {reason}", file=sys.stderr)
    partial = [k for k in report.kept if k[2] < 1.0 or k[1] == 0]
    for source, n_passages, share in partial:
        print(f"  {source}: {share:.1%} of its body text in {n_passages} passages (see: python -m qa inspect {source} --index {args.index})")
    if report.kept:
        shares = sorted(k[2] for k in report.kept)
        print(f"kept: {len(report.kept) - len(partial)} of {len(report.kept)} documents whole; lowest share {shares[0]:.1%}, median {shares[len(shares) // 2]:.1%}")
    if report.unchanged:
        print(f"index in {report.index_dir} is up to date: {report.n_documents} documents, {report.n_passages} passages")
    else:
        print(
            f"indexed {report.n_documents} documents ({report.n_passages} passages: {report.embedded} embedded, "
            f"{report.reused} reused; documents {report.added_documents} added, {report.updated_documents} updated, "
            f"{report.removed_documents} removed, {len(report.skipped)} skipped) "
            f"into {report.index_dir} in {report.seconds:.1f} s"
        )
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from qa.answer import quote_json
    from qa.engine import Engine

    engine = Engine(_settings(args))
    result = engine.search(args.questions[0], k=args.k, ranker=args.retriever)
    if args.json:
        period = result.constraints.period
        print(
            json.dumps(
                {
                    "question": result.question,
                    "retriever": result.ranker,
                    "period": period.label if period else None,
                    "speakers": list(result.constraints.speakers),
                    "quotes": [quote_json(q, i) for i, q in enumerate(result.quotes, start=1)],
                },
                ensure_ascii=False,
            )
        )
    else:
        for i, q in enumerate(result.quotes, start=1):
            print(
                f"[{i}] {q.ref.date or 'undated'} {q.ref.title} ({q.ref.source}:{q.ref.start}-{q.ref.end})\n    {' '.join(q.text.split())}"
            )
    return 0


def _read_history(path: Path | None) -> list:
    from qa.checks import Turn

    if path is None:
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise QAError(f"cannot read history {path}: {error}") from error
    if not isinstance(raw, list) or not all(isinstance(t, dict) and isinstance(t.get("question"), str) for t in raw):
        raise QAError(f'history {path} must be a JSON list of {{"question": ..., "answer": ...}}')
    return [Turn(t["question"], str(t.get("answer", ""))) for t in raw]


def _cmd_ask(args: argparse.Namespace) -> int:
    from qa.checks import Turn, check_question
    from qa.engine import Engine

    engine = Engine(_settings(args))
    history = _read_history(args.history)
    for question in args.questions:
        # Refuse a bad question before answering any, so output is all or nothing.
        check_question(question, engine.settings.max_question_chars)
    engine.warm_up()
    for question in args.questions:
        answer = engine.ask(question, history)
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            print(answer.text)
            for c in answer.citations:
                print(
                    f"  [{c.n}] {c.quote.ref.title}, {c.quote.ref.date or 'undated'} ({c.quote.ref.source}:{c.quote.ref.start}-{c.quote.ref.end})"
                )
            print(flush=True)
        history = [*history, Turn(question, answer.text)]
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from qa.evaluate import evaluate_retrieval, format_report

    report = evaluate_retrieval(args.devset, args.corpus, args.index)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


def _document_json(index, doc) -> dict[str, object]:  # noqa: ANN001 - Index and Document, imported lazily
    stats = index.stats.get(doc.doc_id, {})
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "title": doc.title,
        "date": doc.date.iso if doc.date else None,
        "speakers": list(doc.speakers),
        "type": doc.doc_type,
        "publisher": doc.publisher,
        "passages": int(stats.get("passages", 0)),
        "kept": stats.get("kept", 1.0),
    }


def _cmd_documents(args: argparse.Namespace) -> int:
    from qa.engine import Engine

    index = Engine(_settings(args)).index
    for doc in sorted(index.documents.values(), key=lambda d: d.source):
        record = _document_json(index, doc)
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            who = ", ".join(record["speakers"]) or record["publisher"] or "-"
            print(f"{record['date'] or 'undated':10}  {record['type']:<16} {who[:28]:<28} {record['kept']:>6.1%} {record['passages']:>4}  {doc.source}  {doc.title[:70]}")
    return 0


def _positive(value: str) -> int:
    """A count of 1 or more, for argparse."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count of 1 or more")
    return number


def _find_document(index, wanted: str, index_dir: Path | None = None):  # noqa: ANN001, ANN202
    for doc in index.documents.values():
        if wanted in (doc.doc_id, doc.source, Path(doc.source).name, Path(doc.doc_id).name):
            return doc
    # The hint names the index asked about: without it, the command lists the default one.
    where = f" --index {index_dir}" if index_dir is not None else ""
    raise QAError(f"no document {wanted!r} in the index; list them with: python -m qa documents{where}")


def _cmd_inspect(args: argparse.Namespace) -> int:
    from qa.engine import Engine

    index = Engine(_settings(args)).index
    doc = _find_document(index, args.document, args.index)
    record = _document_json(index, doc)
    print(json.dumps(record, ensure_ascii=False, indent=1))
    passages = [p for p in index.passages if p.doc_id == doc.doc_id]
    print(f"\n{len(passages)} passages ({record['kept']:.1%} of the body text):")
    for p in passages:
        print(f"  [{p.start}-{p.end}] {' '.join(p.text.split())}")
    print(f"\n{len(doc.exclusions)} spans left out as page furniture:")
    for e in doc.exclusions:
        print(f"  [{e.start}-{e.end}] {e.reason}: {' '.join(doc.text[e.start:e.end].split())!r}")
    if doc.dropped:
        print(f"\n{doc.dropped} characters of the page (menus, footers, scripts' text) were left out when the file was read:")
        source = Path(index.manifest.corpus_dir) / doc.source
        if source.is_file() and doc.kind == "html":
            from embeddings.formats import decode, html_boilerplate_lines

            for line in html_boilerplate_lines(decode(source.read_bytes(), doc.source), doc.text):
                print(f"  {line[:120]}")
    return 0


def _cmd_prepare(args: argparse.Namespace) -> int:
    from qa.engine import Engine

    settings = _settings(args)
    if settings.generator in ("transformers", "llama-cpp", "xllamacpp"):
        from qa.models import prepare_model

        path = prepare_model(settings.model, settings.models_dir, settings.generator)
        print(f"model {settings.model} ready in {path}")
    if settings.rescorer == "gemma":
        from qa.rescore import prepare_gemma

        try:
            print(f"EmbeddingGemma ready in {prepare_gemma(settings.models_dir)}")
        except QAError as error:
            # The product works without it (MiniLM and BM25 alone); say so, don't fail.
            print(f"warning: {error}", file=sys.stderr)
    # The index last: it embeds its passages with EmbeddingGemma too, once that is prepared.
    report = Engine(settings).ensure_index()
    if report:
        print(f"index: {report.n_documents} documents, {report.n_passages} passages in {settings.index_dir}")
    return 0


COMMANDS = {
    "index": _cmd_index,
    "search": _cmd_search,
    "ask": _cmd_ask,
    "eval": _cmd_eval,
    "documents": _cmd_documents,
    "inspect": _cmd_inspect,
    "prepare": _cmd_prepare,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    offline_environment()
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    try:
        return COMMANDS[args.command](args)
    except QAError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
