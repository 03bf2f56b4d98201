"""Every shared corpus, read whole: dates in the range its README states, body text kept.

A corpus whose every page got a menu's date, or whose wrapped lines were dropped as headings,
fails here. Skipped where ../shared/corpora is not beside the checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.documents import Document, ReadProblem, read_corpus
from embeddings.embedder import MiniLMEmbedder
from embeddings.passages import kept_share, split_passages
from qa.config import REPO_ROOT
from qa.engine import Engine

from .conftest import engine_over

SHARED = REPO_ROOT.parent / "shared" / "corpora"

# (folder, documents, first and last date its README gives, least share of documents dated)
CORPORA = [
    ("isaf-press-releases", 724, "2009-11-01", "2013-02-28", 0.9),
    ("federalist-papers", 85, "1787-10-27", "1788-12-31", 1.0),
    ("mn-ag-press-releases-html", 185, "2018-09-12", "2025-04-17", 1.0),
    ("omb-statements-of-administration-policy-pdf", 32, "2009-06-26", "2026-04-29", 1.0),
]


@pytest.mark.parametrize(("folder", "count", "first", "last", "dated_share"), CORPORA, ids=[c[0] for c in CORPORA])
def test_a_whole_corpus_reads_with_plausible_dates_and_kept_text(folder: str, count: int, first: str, last: str, dated_share: float) -> None:
    path = SHARED / folder
    if not path.is_dir():
        pytest.skip(f"{path} is not beside this checkout")
    results = list(read_corpus(path))
    docs = [r for r in results if isinstance(r, Document)]
    assert not [r for r in results if isinstance(r, ReadProblem)]
    assert len(docs) == count
    dated = [d for d in docs if d.date]
    assert len(dated) >= dated_share * count
    # 2020-01-22 in a 2021 page is that page's own misprint; everything stays inside the README's range.
    assert all(first <= d.date.first.isoformat() and d.date.last.isoformat() <= last for d in dated)
    assert len({d.date.iso for d in dated}) > len(dated) // 4  # not one date stamped on every page
    for doc in docs:
        passages = split_passages(doc)
        assert kept_share(doc, passages) >= 0.97, doc.source
        assert all(doc.text[p.start : p.end] == p.text for p in passages)


def test_the_corpora_name_their_speakers() -> None:
    path = SHARED / "federalist-papers"
    if not path.is_dir():
        pytest.skip(f"{path} is not beside this checkout")
    authors = {d.source: d.speakers for d in read_corpus(path) if isinstance(d, Document)}
    assert authors["federalist_51.txt"] == ("Madison",)
    assert authors["federalist_78.txt"] == ("Hamilton",)
    assert authors["federalist_64.txt"] == ("Jay",)
    assert sum(bool(s) for s in authors.values()) == 85


def _over_mn_pages(tmp_path: Path, embedder: MiniLMEmbedder, *releases: str) -> Engine:
    """An extractive engine over copies of a few MN AG pages ("2018_12_21_ComcastXfinity")."""
    pages = SHARED / "mn-ag-press-releases-html"
    if not pages.is_dir():
        pytest.skip(f"the MN AG corpus is not beside this checkout ({pages})")
    return engine_over([pages / f"_Office_Communications_{name}.html" for name in releases], tmp_path, embedder)


@pytest.mark.slow
def test_what_a_speaker_never_said_is_declined_not_answered_from_a_report_of_them(tmp_path, embedder) -> None:
    # Swanson's 2018 release on cable bills; Ellison's 2024 release on robocalls.
    engine = _over_mn_pages(tmp_path, embedder, "2018_12_21_ComcastXfinity", "2024_05_09_AvidTelecom")
    # Typed in lower case, "swanson" is still the speaker asked about; her release names her
    # ("said Attorney General Swanson") but says nothing of robocalls, which only Ellison's does.
    for question in ("what did swanson say about robocalls", "What did Swanson say about robocalls?"):
        answer = engine.ask(question)
        assert answer.status == "not_found", answer.text
        assert answer.text.startswith("The statements by Lori Swanson never use the word “robocalls”."), answer.text
    answer = engine.ask("what did swanson say about cable bills")
    assert answer.status == "answered" and all(c.quote.ref.date == "2018-12-21" for c in answer.citations), answer.text
    # Her words quoted by the release keep their marks, inside single ones: never ““ or ””.
    assert "““" not in answer.text and "””" not in answer.text and "‘“" in answer.text, answer.text


@pytest.mark.slow
def test_a_number_that_is_part_of_a_name_need_not_stand_in_the_quote(tmp_path, embedder) -> None:
    engine = _over_mn_pages(tmp_path, embedder, "2021_01_22_RestaurantSettlements", "2024_05_09_AvidTelecom")
    # The settlement's sentences never repeat "COVID-19": the release names it, and that is
    # enough. "When it settled" sets the scene; it asks no date, so no dates are set side by side.
    answer = engine.ask("What did the Anoka restaurant Cork agree to when it settled over the COVID-19 dining ban?")
    assert answer.status == "answered", answer.text
    assert "liquor license suspension" in answer.text and "disagree" not in answer.text, answer.text


@pytest.mark.slow
def test_a_person_the_statement_commends_is_not_quoted_by_it(tmp_path, embedder) -> None:
    # Ellison's release on the Evergreen indictments: "I commend United States Attorney Andy
    # Luger and his team", in Ellison's own words. Luger is named, never given words.
    engine = _over_mn_pages(tmp_path, embedder, "2024_12_20_Evergreen", "2024_05_09_AvidTelecom")
    answer = engine.ask("What did U.S. Attorney Andy Luger say about the Evergreen Recovery indictments?")
    assert answer.status == "not_found" and not answer.citations, answer.text
    assert answer.text.startswith("No statement in the documents is by Andy Luger"), answer.text
    answer = engine.ask("What did Ellison say about the Evergreen Recovery indictments?")
    assert answer.status == "answered" and {c.quote.ref.date for c in answer.citations} == {"2024-12-20"}, answer.text


@pytest.mark.slow
def test_asked_which_things_the_quote_reaches_the_sentence_that_lists_them(tmp_path, embedder) -> None:
    # No. 75: "... is a history of impotence, perplexity, and disorder. Proofs of this position
    # might be adduced from the examples of the Roman Tribuneship, the Polish Diet, and the
    # States-General ...": two sentences below the one that shares the question's words.
    papers = SHARED / "federalist-papers"
    if not papers.is_dir():
        pytest.skip(f"the Federalist corpus is not beside this checkout ({papers})")
    engine = engine_over([papers / "federalist_75.txt", papers / "federalist_66.txt"], tmp_path, embedder)
    question = (
        "When Hamilton rejected requiring two thirds of all senators, rather than of those present, to approve treaties, "
        "which foreign assemblies did he name as examples of the paralysis such rules cause?"
    )
    answer = engine.ask(question)
    assert answer.status == "answered", answer.text
    assert "the Polish Diet" in answer.citations[0].quote.text, answer.text
