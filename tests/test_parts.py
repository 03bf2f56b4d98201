"""Questions of several parts: each part's fact, cited, in one answer."""

import shutil
from dataclasses import replace

import pytest

from qa.config import Settings
from qa.engine import Engine
from qa.parts import question_parts

from .conftest import REPO_ROOT, engine_over

MN_AG = REPO_ROOT.parent / "shared" / "corpora" / "mn-ag-press-releases-html"
RELEASES = (
    "_Office_Communications_2019_06_07_Overdoses",
    "_Office_Communications_2019_06_20_BreastCancerOutreachFoundation",
    "_Office_Communications_2019_07_10_WorkplaceDiscrimination",
)
TWO_PARTS = (
    "In June 2019, how many overdoses in a single week did Ellison cite from a Minneapolis police report, "
    "and which overdose-reversal drug did he urge people to keep on hand?"
)


def test_a_question_is_cut_where_a_new_question_word_follows_and() -> None:
    assert question_parts(TWO_PARTS) == (
        "In June 2019, how many overdoses in a single week did Ellison cite from a Minneapolis police report?",
        "In June 2019, which overdose-reversal drug did he urge people to keep on hand?",
    )
    assert question_parts("Who wrote Federalist No. 51, and where and when was it first printed?") == (
        "Who wrote Federalist No. 51?",
        "Where and when was it first printed?",
    )


def test_one_question_has_no_parts() -> None:
    assert question_parts("What did NATO and Japan say about North Korea in 2017?") == ()
    assert question_parts("Which papers did Hamilton, Madison and Jay write?") == ()
    assert question_parts("Who spoke first, and when?") == ()  # "when" alone asks nothing new
    assert question_parts("What did NATO say about how and why Japan joined?") == ()  # "how" is no part


def test_a_part_may_follow_and_without_a_comma() -> None:
    assert question_parts("Who wrote Federalist No. 10 and when was it first printed?") == (
        "Who wrote Federalist No. 10?",
        "When was it first printed?",
    )


@pytest.mark.slow
def test_each_part_gets_its_fact(tmp_path, embedder) -> None:
    if not MN_AG.is_dir():
        pytest.skip(f"{MN_AG} is not here")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in RELEASES:
        shutil.copy(MN_AG / f"{name}.html", corpus / f"{name}.html")
    settings = replace(Settings(), corpus_dir=corpus, index_dir=tmp_path / "index", generator="extractive")
    engine = Engine(settings, embedder=embedder)
    answer = engine.ask(TWO_PARTS)
    assert answer.status == "answered"
    assert "50 overdoses" in answer.text and "Narcan" in answer.text
    assert {c.quote.ref.doc_id for c in answer.citations} == {RELEASES[0]}


@pytest.mark.slow
def test_a_part_asking_for_a_figure_no_statement_gives_declines(tmp_path, embedder) -> None:
    # The Silgjord release reports charges, no sentence; the Chauvin release gives another
    # officer's sentence, which is no answer about her.
    if not MN_AG.is_dir():
        pytest.skip(f"{MN_AG} is not here")
    releases = ("_Office_Communications_2023_07_21_Silgjord", "_Office_Communications_2022_07_07_Chauvin", RELEASES[0])
    engine = engine_over([MN_AG / f"{name}.html" for name in releases], tmp_path, embedder)
    answer = engine.ask("Was the former Cloquet officer Laci Silgjord found guilty, and what prison sentence did she receive?")
    assert answer.status == "not_found" and not answer.citations, answer.text
    assert "sentence did she receive" in answer.text and "21 July 2023" in answer.text


@pytest.mark.slow
def test_a_bills_sponsor_line_answers_who_sponsored_it(tmp_path, embedder) -> None:
    # Three bills stand at the head of one statement, each with its sponsor line under it.
    omb = REPO_ROOT.parent / "shared" / "corpora" / "omb-statements-of-administration-policy-pdf"
    if not omb.is_dir():
        pytest.skip(f"{omb} is not here")
    engine = engine_over([omb / "2018-06-19_hr5797.pdf", omb / "2023-07-19_hr3941.pdf"], tmp_path, embedder)
    answer = engine.ask("Who sponsored the SUPPORT for Patients and Communities Act, and how many cosponsors did it have?")
    assert answer.status == "answered", answer.text
    assert "Walden" in answer.text and "11 cosponsors" in answer.text
    assert answer.citations[0].quote.ref.doc_id == "2018-06-19_hr5797"
