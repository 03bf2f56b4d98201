"""A running engine keeps its own folder's index up to date: files added, edited and removed
while it answers are read before the next question, and a long update is said, not hidden."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

import qa.engine
from embeddings.embedder import MiniLMEmbedder
from qa.config import Settings
from qa.engine import UPDATING_NOTE, Engine

BRIDGE = (
    "Mayor Elena Vasquez said on 12 March 2019 that the river bridge will be repaired this summer. "
    "The repair will cost $4.9 million, paid from the state transport fund.\n"
)
LIBRARY = "The city council announced on 4 May 2023 that the central library will open on Sundays from June.\n"
PARKS = "The parks department said on 2 June 2021 that the swimming pool on Elm Street will close for renovation.\n"


@pytest.fixture
def engine(tmp_path: Path, embedder: MiniLMEmbedder, monkeypatch: pytest.MonkeyPatch) -> Engine:
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (folder / "parks.txt").write_text(PARKS, encoding="utf-8")
    # Look at the folder before every question (a user waits two seconds between them anyway).
    monkeypatch.setattr(qa.engine, "REFRESH_SECONDS", 0.0)
    settings = replace(Settings(), corpus_dir=folder, index_dir=tmp_path / "index", generator="extractive", rescorer="none")
    return Engine(settings, embedder=embedder)


def _cited(answer: object) -> set[str]:
    return {c.quote.ref.doc_id for c in answer.citations}  # type: ignore[attr-defined]


@pytest.mark.slow
def test_added_edited_and_removed_files_are_read_before_the_next_question(engine: Engine) -> None:
    folder = engine.settings.corpus_dir
    first = engine.ask("How much will the bridge repair cost?")
    assert "$4.9 million" in first.text
    assert engine.facts.n_documents == 2

    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    added = engine.ask("When will the library open on Sundays?")
    assert added.status == "answered" and _cited(added) == {"library"}
    assert not added.text.startswith(UPDATING_NOTE)

    (folder / "bridge.txt").write_text(BRIDGE.replace("$4.9 million", "$5.3 million"), encoding="utf-8")
    edited = engine.ask("How much will the bridge repair cost?")
    assert "$5.3 million" in edited.text and "$4.9 million" not in edited.text
    quote = edited.citations[0].quote
    assert engine.index.documents["bridge"].text[quote.ref.start : quote.ref.end] == quote.text

    (folder / "parks.txt").unlink()
    removed = engine.ask("Which swimming pool will close for renovation?")
    assert "parks" not in _cited(removed)
    assert "parks" not in engine.index.documents and engine.facts.n_documents == 2


@pytest.mark.slow
def test_a_folder_that_cannot_be_indexed_leaves_the_index_answering(engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    folder = engine.settings.corpus_dir
    assert engine.ask("How much will the bridge repair cost?").status == "answered"
    for path in folder.iterdir():
        path.unlink()
    with caplog.at_level(logging.WARNING, logger="qa.engine"):
        answer = engine.ask("How much will the bridge repair cost?")
    assert "$4.9 million" in answer.text
    assert "the index was not updated" in caplog.text


@pytest.mark.slow
def test_an_update_still_running_is_said_first(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = engine.settings.corpus_dir
    engine.ask("How much will the bridge repair cost?")
    monkeypatch.setattr(qa.engine, "REFRESH_WAIT_SECONDS", 0.0)
    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    during = engine.ask("How much will the bridge repair cost?")
    assert during.text.startswith(UPDATING_NOTE) and "$4.9 million" in during.text
    monkeypatch.setattr(qa.engine, "REFRESH_WAIT_SECONDS", 60.0)
    after = engine.ask("When will the library open on Sundays?")
    assert _cited(after) == {"library"} and not after.text.startswith(UPDATING_NOTE)


@pytest.mark.slow
def test_an_index_named_by_the_user_is_not_rebuilt(engine: Engine) -> None:
    engine.ask("How much will the bridge repair cost?")  # builds the index
    named = Engine(replace(engine.settings, auto_index=False), embedder=engine.embedder)
    assert "library" not in named.index.documents
    (engine.settings.corpus_dir / "library.txt").write_text(LIBRARY, encoding="utf-8")
    assert named.refresh() and "library" not in named.index.documents
