"""Ingestion of 724 real, messy ISAF press releases (shared/corpora), as a user would index them."""

from pathlib import Path

import pytest

from embeddings.build import build_index
from embeddings.documents import Document, read_corpus
from embeddings.index import load_index

from .conftest import ISAF, engine_over

pytestmark = pytest.mark.slow

if not ISAF.is_dir():
    pytest.skip(f"the ISAF corpus is not beside this checkout ({ISAF})", allow_module_level=True)


def test_dates_come_from_every_form_the_releases_use() -> None:
    docs = {d.doc_id: d for d in read_corpus(ISAF) if isinstance(d, Document)}
    assert len(docs) == 724
    # "(Dec. 9)" dated by its release number, "(Jan. 25, 2013)", and a title's "Dec. 6:".
    assert docs["2010-12-S-098"].date.iso == "2010-12-09"
    assert docs["2009-12-CA-060"].date.iso == "2009-12-06"
    assert docs["2009-11-CA-056"].date.iso == "2009-12-02"
    dated = [d for d in docs.values() if d.date]
    assert len(dated) >= 650
    assert all("2009-01-01" <= d.date.first.isoformat() <= "2013-12-31" for d in dated)
    # Releases with no year anywhere are kept, marked undated.
    assert docs["release_12"].date is None


def test_the_whole_corpus_indexes_and_answers_a_month(tmp_path: Path, embedder) -> None:
    report = build_index(ISAF, tmp_path / "index", embedder)
    assert report.n_documents == 724 and report.n_passages > 1500 and not report.skipped
    index = load_index(tmp_path / "index", embedder.name, ISAF)
    from dataclasses import replace

    from qa.config import Settings
    from qa.engine import Engine

    engine = Engine(replace(Settings(), index_dir=tmp_path / "index", auto_index=False, generator="extractive"), embedder=embedder)
    result = engine.search("What happened in Ghazni province in June 2011?")
    assert result.quotes and all(q.ref.date.startswith("2011-06") for q in result.quotes)
    assert "Ghazni" in result.quotes[0].text
    assert len(index.documents) == 724


def test_what_an_officer_said_of_one_place_is_no_answer_about_another(tmp_path: Path, embedder) -> None:
    import shutil
    from dataclasses import replace

    from qa.config import Settings
    from qa.engine import Engine

    # Two releases quote Col. Rafael Torres (Khost, Paktika); a third tells of Tarin Kowt.
    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("2010-08-CA-055.txt", "2010-09-CA-022.txt", "2012-12-S-006.txt"):
        shutil.copy(ISAF / name, folder / name)
    settings = replace(Settings(), corpus_dir=folder, index_dir=tmp_path / "index", generator="extractive")
    engine = Engine(settings, embedder=embedder)
    said = engine.ask("What did Col. Rafael Torres say about the Haqqani network?")
    assert said.status == "answered" and all("Torres" in engine.index.documents[c.quote.ref.doc_id].text for c in said.citations)
    elsewhere = engine.ask("What did Col. Rafael Torres say about the insurgent attacks in Tarin Kowt?")
    assert elsewhere.status == "not_found" and "Rafael Torres" in elsewhere.text


def test_an_officer_quoted_far_behind_his_rank_is_found_in_the_release_that_quotes_him(tmp_path: Path, embedder) -> None:
    import shutil
    from dataclasses import replace

    from qa.config import Settings
    from qa.engine import Engine

    # "said U.S. Marine Corps Maj. Gen. David Garza": eight words from the verb to the name.
    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("2010-09-CA-027.txt", "2011-02-S-154_2.txt", "2011-05-S-067.txt", "2011-07-S-085.txt", "2012-07-S-038.txt"):
        shutil.copy(ISAF / name, folder / name)
    settings = replace(Settings(), corpus_dir=folder, index_dir=tmp_path / "index", generator="extractive")
    engine = Engine(settings, embedder=embedder)
    said = engine.ask("What did Garza say about the Takhar air strike?")
    assert said.status == "answered", said.text
    assert "Garza" in said.citations[0].quote.text and "allegations" in said.citations[0].quote.text
    # His words go on after "said ... Garza, deputy chief of staff ...": a quote takes them in,
    # however the question asks.
    assert "nowhere near a populated area" in said.citations[0].quote.text, said.text
    responded = engine.ask("How did Garza respond to claims that the Takhar air strike killed civilians?")
    assert any("allegations" in c.quote.text and "nowhere near a populated area" in c.quote.text for c in responded.citations), responded.text


def test_a_count_a_paragraph_below_the_named_place_answers_how_many(tmp_path: Path, embedder) -> None:
    # The release names Mang Tappeh in one paragraph and counts the buildings in the next; the
    # other December 2010 releases speak of buildings and suspects too.
    engine = engine_over([ISAF / "2010-12-S-122.txt", *sorted(ISAF.glob("2010-12-S-2*.txt"))], tmp_path, embedder)
    answer = engine.ask("In December 2010, how many buildings did the forces clear near Mang Tappeh?")
    assert answer.status == "answered", answer.text
    assert "35 buildings" in answer.text
    assert answer.citations[0].quote.ref.doc_id == "2010-12-S-122"


def test_a_later_part_of_a_question_gets_its_own_amount(tmp_path: Path, embedder) -> None:
    # release_15 counts the insurgents killed in its opening line and the cache's explosives
    # among eight other finds; a sentence below lists "eight radios" and explosive materials.
    engine = engine_over([ISAF / "release_15.txt", *sorted(ISAF.glob("2011-10-S-0[2-5]*.txt"))], tmp_path, embedder)
    answer = engine.ask("How many insurgents did the commandos kill in Khas Konar, and how much explosive was in the cache?")
    assert answer.status == "answered", answer.text
    assert "18 insurgents" in answer.text and "400 pounds of explosives" in answer.text


def test_asked_what_an_officer_said_the_answer_is_his_own_words(tmp_path: Path, embedder) -> None:
    # "Leading a squad ... was Afghan commando Sgt. Hafiz Rahman, who said this operation has
    # shown him progress. “The people are respecting us,” Rahman said. “They ask us if we want
    # tea, or ‘do we want bread?’ ...”": his words, not the sentences around that name him.
    engine = engine_over([ISAF / "2011-02-D-081.txt", *sorted(ISAF.glob("2011-02-S-15*.txt"))], tmp_path, embedder)
    answer = engine.ask("According to Afghan commando Sgt. Hafiz Rahman, what did villagers offer the commandos?")
    assert answer.status == "answered", answer.text
    lead = answer.citations[0].quote
    assert lead.ref.doc_id == "2011-02-D-081" and "“The people are respecting us,” Rahman said." in lead.text, answer.text
    assert "tea" in lead.text and len({c.quote.text for c in answer.citations}) == len(answer.citations)
