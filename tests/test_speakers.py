"""Questions about a speaker, on real hard-wrapped papers whose authors stand in bare name lines."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from embeddings.build import build_index
from qa.config import Settings
from qa.engine import Engine

pytestmark = pytest.mark.slow

SHAPES = Path(__file__).parent / "data" / "shapes"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, embedder) -> Engine:
    corpus = tmp_path_factory.mktemp("papers")
    for name in ("federalist_01.txt", "federalist_10.txt", "federalist_18.txt"):
        shutil.copy(SHAPES / name, corpus / name)
    index = tmp_path_factory.mktemp("papers-index")
    build_index(corpus, index, embedder)
    settings = replace(Settings(), index_dir=index, auto_index=False, generator="extractive")
    return Engine(settings, embedder=embedder)


def test_a_speaker_question_searches_only_what_that_speaker_wrote(engine: Engine) -> None:
    result = engine.search("What did Madison say about factions?")
    assert result.constraints.speakers == ("Madison",)
    assert result.quotes and {q.ref.doc_id for q in result.quotes} <= {"federalist_10", "federalist_18"}
    answer = engine.ask("What did Madison say about factions?")
    assert answer.status == "answered" and "faction" in answer.text.lower()
    assert all(c.quote.ref.doc_id == "federalist_10" for c in answer.citations[:1])


def test_the_other_author_gets_only_his_papers(engine: Engine) -> None:
    result = engine.search("What did Hamilton say about the new Constitution?")
    assert result.constraints.speakers == ("Hamilton",)
    assert result.quotes and {q.ref.doc_id for q in result.quotes} <= {"federalist_01", "federalist_18"}


def test_an_unknown_speaker_is_declined_with_the_speakers_the_corpus_holds(engine: Engine) -> None:
    answer = engine.ask("What did Jefferson say about factions?")
    assert answer.status == "not_found"
    assert "Jefferson" in answer.text and "Hamilton" in answer.text and "Madison" in answer.text


def test_a_wrapped_line_of_prose_that_begins_with_by_is_no_byline() -> None:
    # Federalist No. 38's author line says MADISON; a hard-wrapped line of its first paragraph
    # begins "by Tullius Hostilius, and to which ...", which is prose, not a heading.
    from embeddings.documents import Document, read_corpus
    from qa.config import REPO_ROOT

    folder = REPO_ROOT.parent / "shared" / "corpora" / "federalist-papers"
    if not folder.is_dir():
        pytest.skip(f"the Federalist papers are not beside this checkout ({folder})")
    docs = {d.doc_id: d for d in read_corpus(folder) if isinstance(d, Document)}
    assert docs["federalist_38"].speakers == ("Madison",)
