"""The page over a folder that changes while it is served: a folder of the user's own (two of
the seeds), indexed by the engine itself with the real models, then edited and added to."""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from qa import chat
from qa.config import Settings
from qa.engine import REFRESH_SECONDS, Engine
from qa.render import CHANGED, UNCHECKED, parse_ref, refs_in

from .conftest import SEEDS

pytestmark = pytest.mark.slow

QUESTION = "What did NATO say about North Korea in 2017?"
OCTOBER_2017 = "003_8814d5c9aa00e239.txt"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("own") / "documents"
    target.mkdir()
    for name in (OCTOBER_2017, "004_0cec569e75575a6e.txt"):
        shutil.copy2(SEEDS / name, target / name)
    return target


@pytest.fixture(scope="module")
def engine(folder: Path, tmp_path_factory: pytest.TempPathFactory, embedder) -> Engine:
    settings = replace(
        Settings(), corpus_dir=folder, index_dir=tmp_path_factory.mktemp("own-index"), auto_index=True, generator="extractive", rescorer="none"
    )
    engine = Engine(settings, embedder=embedder)
    engine.warm_up()
    return engine


def refreshed(engine: Engine) -> None:
    """Let the engine see the folder's changes (it looks at most every REFRESH_SECONDS)."""
    time.sleep(REFRESH_SECONDS + 0.2)
    assert engine.refresh()


def test_another_folder_gets_its_own_examples(engine) -> None:
    offered = chat.suggestions(engine)
    assert not chat.is_builtin(engine)
    assert offered.placeholder == chat.PLACEHOLDER
    assert offered.examples == ("What did Jens Stoltenberg say in 2023?", "List the statements from 2023")
    assert not any("NATO" in q or "Abe" in q for q in offered.examples)
    assert engine.ask(offered.examples[0]).status == "answered"


def test_an_old_citation_of_an_edited_document_says_so_and_the_page_sees_new_files(engine, folder) -> None:
    import app

    demo = app.build(engine)
    (load,) = [fn for fn in demo.fns.values() if (demo._id, "load") in [tuple(t) for t in fn.targets]]
    assert "2 documents" in load.fn()[0]

    final = list(chat.respond(engine, QUESTION, [], chat.Filters()))[-1]
    old = refs_in(final[-1]["content"])[0]
    cite = parse_ref(old)
    assert cite.doc_id.startswith("003") and cite.fingerprint
    assert "qa-hl" in chat.show_source(engine, old)
    # A link from a page made before links carried a fingerprint is shown, with a caution.
    unchecked = f'#cite=["{cite.doc_id}",{cite.start},{cite.end},[]]'
    assert "qa-hl" in chat.show_source(engine, unchecked) and UNCHECKED in chat.show_source(engine, unchecked)

    # The statement gets a correction near its top (its later words move), and a file is added.
    path = folder / OCTOBER_2017
    text = path.read_text(encoding="utf-8")
    cut = text.index("\n\n") + 2
    path.write_text(text[:cut] + "CORRECTION: An earlier version of this statement named the wrong date.\n\n" + text[cut:], encoding="utf-8")
    shutil.copy2(SEEDS / "000_7e6f4f4014b25468.txt", folder / "000_7e6f4f4014b25468.txt")
    refreshed(engine)

    panel = chat.show_source(engine, old)
    assert CHANGED in panel and "qa-hl" not in panel
    # A new answer quotes the document as it is now, and its citation holds.
    final = list(chat.respond(engine, QUESTION, [], chat.Filters()))[-1]
    assert "qa-hl" in chat.show_source(engine, refs_in(final[-1]["content"])[0])
    # What the page shows of the corpus is read again: on load, and when the Documents tab opens.
    header, year_from, _, docs, *_ = load.fn()
    assert "3 documents" in header and year_from.value == 2013 and len(docs.choices) == 3
    (opened,) = [fn for fn in demo.fns.values() if fn.fn is not None and any(t[1] == "select" for t in fn.targets)]
    assert len(opened.fn()) == 3
