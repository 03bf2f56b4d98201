"""What each old hand-written retrieval rule does, measured on the dev halves. Run on purpose:

    .venv/bin/python benchmarks/ablation.py [--sets seeds,isaf,federalist,mn-ag,omb] [--half dev]

For each rule it runs the question sets with the rule switched off (extractive answers, so the
model's noise does not hide the rule's effect) and prints each set's figures beside the
baseline's. Rules:

- ``back-reference``: a sentence opening with a pronoun takes the sentence before it
  (``qa.cutting._BACK_REFERENCE``; until November 2026 also "The insurgents", "The facilitator"...).
- (``framing-words``, the list of words that frame a question "change", "position", "statement",
  was removed in November 2026: without it no answer of the five dev halves changed.)
- ``open-question``: "What happened ..." quotes the whole passage (``qa.cutting._OPEN_QUESTION``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import answers  # noqa: E402

import qa.cutting  # noqa: E402
import qa.retrieve  # noqa: E402
from embeddings.embedder import offline_environment  # noqa: E402

NEVER = re.compile(r"(?!)")


def _no_back_reference() -> None:
    qa.cutting._BACK_REFERENCE = NEVER


def _no_open_question() -> None:
    qa.retrieve._OPEN_QUESTION = NEVER


VARIANTS: dict[str, Callable[[], None]] = {
    "baseline": lambda: None,
    "back-reference": _no_back_reference,
    "open-question": _no_open_question,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default=",".join(answers.CORPORA))
    parser.add_argument("--half", choices=("dev", "heldout", "both"), default="dev")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    offline_environment()
    originals = (qa.cutting._BACK_REFERENCE, qa.retrieve._OPEN_QUESTION)
    for variant in args.variants.split(","):
        qa.cutting._BACK_REFERENCE, qa.retrieve._OPEN_QUESTION = originals
        VARIANTS[variant]()
        for name in args.sets.split(","):
            rows, _, _ = answers.run_set(name, "extractive", show=False, half=args.half, quiet=True)
            for half in ("dev", "heldout"):
                picked = [r for r in rows if r["half"] == half]
                if picked:
                    figures = answers.summarise(picked)
                    keep = ("answerable_ok", "unanswerable_declined", "answers_repeating_a_sentence")
                    print(f"{variant:15s} {name:10s} {half}: {json.dumps({k: figures[k] for k in keep})}", flush=True)


if __name__ == "__main__":
    main()
