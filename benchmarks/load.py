"""Many users at once. Run on purpose, not as a test:

    .venv/bin/python benchmarks/load.py [--users 20] [--questions 3] [--timeout 900]

Launches the app in this process on 127.0.0.1 with the configured generator (the real
default model unless QA_GENERATOR says otherwise), then lets each simulated user (a thread
with its own gradio_client) ask its questions one after another through /ask_stream, all
users starting together. Questions come from a fixed mix of answerable and unanswerable seed
questions. Prints p50/p95, in seconds from asking, to the first quote (the sources of an
answer), to the first token of the model's text and to the full answer, the same for
declines, and the error count (anything but an answer or a decline, and anything unfinished
when the timeout ends the run). Writes every measurement to benchmarks/out/load.json.
Exits 1 if there were errors.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import app  # noqa: E402 - sets the offline environment before gradio is imported
from qa.config import Settings  # noqa: E402
from qa.engine import Engine  # noqa: E402

# A fixed mix: two answerable questions for each unanswerable one, as the seeds have them.
MIX = [
    ("What did NATO say about North Korea in 2017?", True),
    ("What did NATO say about Brazil?", False),
    ("What did Abe propose during the courtesy call?", True),
    ("What share of GDP does Japan plan to invest in defence?", True),
    ("What did NATO say about North Korea in 2015?", False),
    ("Which cyber defence exercise did Japanese experts train in?", True),
    ("What did NATO say about Taiwan?", True),
    ("Who won the 2018 FIFA World Cup?", False),
    ("What did Stoltenberg say about China in 2023?", True),
]
POLL_S = 0.02  # how often a user looks for new updates (gradio_client's own iterator spins at 1 ms)


@dataclass
class Asked:
    """One question of one user: what came back and when (seconds from asking)."""

    user: int
    question: str
    answerable: bool
    first_quote: float | None = None
    first_token: float | None = None
    full: float | None = None
    status: str = "unfinished"
    method: str = ""
    error: str = ""
    updates: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(client: object, asked: Asked, deadline: float) -> None:
    started = time.perf_counter()
    job = client.submit(question=asked.question, api_name="/ask_stream")
    seen = 0
    while True:
        done = job.done()
        outputs = job.outputs()
        now = time.perf_counter() - started
        for update in outputs[seen:]:
            asked.updates += 1
            if update.get("quotes") or update.get("citations"):
                asked.first_quote = asked.first_quote if asked.first_quote is not None else now
            if update.get("status") == "composing" and update.get("partial", "").strip() and asked.first_token is None:
                asked.first_token = now
            if update.get("status") in ("answered", "not_found", "error"):
                asked.full, asked.status, asked.method = now, update["status"], update.get("method", "")
                asked.error = update.get("error", "")
        seen = len(outputs)
        if done:
            if asked.full is None:
                asked.status, asked.error = "error", f"stream ended without an answer: {job.exception()!r}"
            return
        if time.perf_counter() > deadline:
            asked.error = "timed out"
            job.cancel()
            return
        time.sleep(POLL_S)


def user(n: int, url: str, questions: int, start: threading.Barrier, deadline: float, results: list[Asked]) -> None:
    from gradio_client import Client

    client = Client(url, analytics_enabled=False, verbose=False)
    start.wait()
    for k in range(questions):
        question, answerable = MIX[(n * questions + k) % len(MIX)]
        asked = Asked(n, question, answerable)
        results.append(asked)
        try:
            ask(client, asked, deadline)
        except Exception as error:  # a failed request is counted, not fatal to the run
            asked.status, asked.error = "error", repr(error)
        if asked.error == "timed out":
            return


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def row(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<34} {0:>4}"
    return f"{label:<34} {len(values):>4} {percentile(values, 50):>8.2f} {percentile(values, 95):>8.2f} {max(values):>8.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=3, help="questions per user, asked one after another")
    parser.add_argument("--timeout", type=float, default=900, help="seconds the whole run may take")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    engine = Engine(Settings.from_env())
    engine.warm_up()
    generator = engine.generator
    demo = app.build(engine)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **app.launch_options())
    url = f"http://127.0.0.1:{port}/"
    results: list[Asked] = []
    try:
        start = threading.Barrier(args.users + 1)
        deadline = time.perf_counter() + args.timeout
        users = [
            threading.Thread(target=user, args=(n, url, args.questions, start, deadline, results), daemon=True) for n in range(args.users)
        ]
        for thread in users:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in users:
            thread.join(timeout=max(0.0, deadline - time.perf_counter()) + 5)
        wall = time.perf_counter() - began
    finally:
        demo.close()

    expected = args.users * args.questions
    answered = [a for a in results if a.status == "answered"]
    declined = [a for a in results if a.status == "not_found"]
    errors = [a for a in results if a.status not in ("answered", "not_found")] + [None] * (expected - len(results))
    wrong = [a for a in results if a.status in ("answered", "not_found") and (a.status == "answered") != a.answerable]
    print(
        f"{args.users} users x {args.questions} questions on {url}, generator {generator.name if generator else 'extractive'}, "
        f"wall {wall:.1f} s"
    )
    print(f"{'seconds from asking':<34} {'n':>4} {'p50':>8} {'p95':>8} {'max':>8}")
    print(row("answered: first quote", [a.first_quote for a in answered if a.first_quote is not None]))
    print(row("answered: first token", [a.first_token for a in answered if a.first_token is not None]))
    print(row("answered: full answer", [a.full for a in answered]))
    print(row("declined: full answer", [a.full for a in declined]))
    print(f"errors: {len(errors)}   answered/declined not as the seeds expect: {len(wrong)}")
    for a in [e for e in errors if e is not None][:5]:
        print(f"  error: user {a.user} {a.question!r}: {a.status} {a.error[:200]}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps({"users": args.users, "questions": args.questions, "wall_s": wall, "asked": [asdict(a) for a in results]}, indent=1))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
