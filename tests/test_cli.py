"""The CLI contract, run as a user runs it: a subprocess of .venv's python."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.config import REPO_ROOT

pytestmark = pytest.mark.slow

CONTRACT = {"question", "status", "answer", "citations", "timings_ms"}
CITATION = {"n", "doc_id", "title", "date", "speaker", "source", "quote", "start", "end"}


def run(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_ask_json_contract(seeds_index: Path, seeds_copy: Path) -> None:
    done = run(
        "ask",
        "--json",
        "--generator",
        "extractive",
        "--index",
        str(seeds_index),
        "What did NATO say about North Korea in 2017?",
        "What did NATO say about Brazil?",
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [x["question"] for x in lines] == ["What did NATO say about North Korea in 2017?", "What did NATO say about Brazil?"]
    answered, declined = lines
    assert CONTRACT <= answered.keys() and answered["status"] == "answered"
    assert {"retrieve", "generate", "total"} <= answered["timings_ms"].keys()
    for c in answered["citations"]:
        assert CITATION <= c.keys()
        text = (seeds_copy / c["source"]).read_text(encoding="utf-8")
        assert text[c["start"] : c["end"]] == c["quote"]
        assert c["date"].startswith("2017")
        assert f"[{c['n']}]" in answered["answer"]
    assert declined["status"] == "not_found" and declined["citations"] == []


def test_search_json_prints_ranked_quotes(seeds_index: Path) -> None:
    done = run("search", "--json", "--index", str(seeds_index), "Iruma Air Base")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["quotes"][0]["n"] == 1 and "Iruma" in out["quotes"][0]["quote"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "--json", "   "], "empty"),
        (["ask", "x" * 2500], "2000"),
        (["search", "--index", "/nonexistent/index", "anything"], "no index"),
        (["index", "--corpus", "/nonexistent/corpus", "--index", "/tmp/never"], "does not exist"),
    ],
)
def test_errors_are_one_line_and_non_zero(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr


def test_index_command_reports_and_skips_bad_files(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Press statement\n\n  • 2 Feb. 2021 -\n\nNATO welcomed the new partnership with Japan.", encoding="utf-8")
    (corpus / "broken.txt").write_bytes(b"\x00\x00binary")
    done = run("index", "--corpus", str(corpus), "--index", str(tmp_path / "i"))
    assert done.returncode == 0, done.stderr
    assert "broken.txt" in done.stderr and "indexed 1 documents" in done.stdout
    again = run("index", "--corpus", str(corpus), "--index", str(tmp_path / "i"))
    assert "up to date" in again.stdout
