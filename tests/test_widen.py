"""A quote takes in its neighbouring sentence when the re-scorer finds it answers more."""

import pytest

from .conftest import ISAF, REPO_ROOT, engine_over

FEDERALIST = REPO_ROOT.parent / "shared" / "corpora" / "federalist-papers"

pytestmark = pytest.mark.slow


def test_the_sentence_a_quote_refers_back_to_joins_it(tmp_path, embedder, strong) -> None:
    if not FEDERALIST.is_dir() or strong is None:
        pytest.skip("needs the Federalist papers beside the checkout and the prepared re-scorer")
    engine = engine_over([FEDERALIST / f"federalist_{n}.txt" for n in range(60, 80)], tmp_path, embedder)
    # "If this be the design of it, who can so properly be the inquisitors ...?" answers who
    # brings the charges; the sentence before it says what the design is.
    answer = engine.ask("What did Hamilton say impeachment is meant to be, and who should bring the charges?")
    assert answer.status == "answered", answer.text
    lead = answer.citations[0].quote
    assert "NATIONAL INQUEST" in lead.text and "representatives of the nation" in lead.text
    assert engine.index.documents[lead.ref.doc_id].text[lead.ref.start : lead.ref.end] == lead.text


def test_a_one_sentence_paragraph_after_the_quote_may_join_it(tmp_path, embedder, strong) -> None:
    if not ISAF.is_dir() or strong is None:
        pytest.skip("needs the ISAF releases beside the checkout and the prepared re-scorer")
    engine = engine_over([ISAF / "release_50.txt", *sorted(ISAF.glob("2011-09-S-0[0-3]*.txt"))], tmp_path, embedder)
    # Each sentence of the release is its own paragraph: the markets in one, the kites in the next.
    question = "After the commando operation in Panjwa'i, what signs suggested that local people felt safer?"
    markets = next(q for q in engine.search(question).quotes if "local markets" in q.text)
    search = engine.search_for(engine.retriever())
    lead = search.widened(question, (markets,))[0]
    assert "markets" in lead.text and "kites" in lead.text
    assert engine.index.documents[lead.ref.doc_id].text[lead.ref.start : lead.ref.end] == lead.text
