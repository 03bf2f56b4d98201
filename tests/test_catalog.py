"""Questions about the collection itself, on real documents: the Federalist papers and the seeds."""

from __future__ import annotations

import re

import pytest

from embeddings.documents import Document, read_corpus
from qa.catalog import MAX_LISTED, Catalogue, list_statements, read_question, within
from qa.config import REPO_ROOT
from qa.constraints import understand
from qa.engine import Engine

FEDERALIST = REPO_ROOT.parent / "shared" / "corpora" / "federalist-papers"
SEEDS = REPO_ROOT / "corpus" / "documents"


def _read(folder) -> dict[str, Document]:
    return {d.doc_id: d for d in read_corpus(folder) if isinstance(d, Document)}


@pytest.fixture(scope="module")
def federalist() -> dict[str, Document]:
    if not FEDERALIST.is_dir():
        pytest.skip(f"{FEDERALIST} is not beside this checkout")
    return _read(FEDERALIST)


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    return _read(SEEDS)


def ask(question: str, documents: dict[str, Document]) -> Catalogue | None:
    """What the engine does: the question's constraints against the corpus, then the list."""
    docs = tuple(documents.values())
    constraints = understand(question, sorted({s for d in docs for s in d.speakers}), sorted({d.doc_type for d in docs}))
    return list_statements(question, constraints, docs)


def is_collection_question(question: str, documents: dict[str, Document]) -> bool:
    docs = tuple(documents.values())
    constraints = understand(question, sorted({s for d in docs for s in d.speakers}), sorted({d.doc_type for d in docs}))
    return read_question(question, within(question, constraints), docs) is not None


def assert_sound(answer: Catalogue, documents: dict[str, Document]) -> None:
    """Every [n] is a citation and every citation is exact words of its document's opening."""
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)} == {c.n for c in answer.citations}
    for c in answer.citations:
        ref = c.quote.ref
        doc = documents[ref.doc_id]
        assert doc.text[ref.start : ref.end] == c.quote.text
        assert 0 < len(c.quote.text) <= 400 and ref.start < doc.paragraphs[min(4, len(doc.paragraphs) - 1)][1]


def cited(answer: Catalogue) -> list[str]:
    return [c.quote.ref.doc_id for c in answer.citations]


def documents_date(documents: dict[str, Document], doc_id: str) -> str:
    return documents[doc_id].date.iso


def test_lists_the_papers_an_author_wrote(federalist) -> None:
    answer = ask("Which of the papers did John Jay write?", federalist)
    assert answer is not None
    assert cited(answer) == ["federalist_02", "federalist_03", "federalist_04", "federalist_05", "federalist_64"]
    assert answer.text.startswith("The documents hold 5 statements by Jay")
    assert "No. 64" in answer.text and "5 March 1788" in answer.text
    # Each paper is cited by its opening lines, through the author line that names Jay.
    assert all(c.quote.text.startswith("FEDERALIST No.") and c.quote.text.endswith("JAY") for c in answer.citations)
    assert_sound(answer, federalist)


def test_lists_the_papers_of_a_month_in_date_order(federalist) -> None:
    answer = ask("Which papers first appeared in May 1788?", federalist)
    assert answer is not None and answer.period == "May 1788"
    assert cited(answer) == [f"federalist_{n}" for n in range(78, 86)]
    # What all eight share is said once: one day, one author.
    assert answer.text.startswith("The documents hold 8 statements dated May 1788, all of 28 May 1788 and by Hamilton:")
    assert all("May 28, 1788" in c.quote.text for c in answer.citations)
    assert_sound(answer, federalist)


@pytest.mark.parametrize(
    "question",
    [
        "Which Federalist papers did Jay write?",  # every title carries "Federalist": no subject
        "List the papers by Jay.",
        "What are the papers by Jay?",
        "Name the papers Jay wrote.",
    ],
)
def test_other_shapes_of_the_same_question(federalist, question) -> None:
    answer = ask(question, federalist)
    assert answer is not None and cited(answer) == ["federalist_02", "federalist_03", "federalist_04", "federalist_05", "federalist_64"]


def test_a_long_list_is_capped_and_says_how_many_more(federalist) -> None:
    answer = ask("How many papers did Madison write?", federalist)
    madison = sorted((d for d in federalist.values() if "Madison" in d.speakers), key=lambda d: d.date.first)
    assert answer is not None and f"hold {len(madison)} statements by Madison" in answer.text
    assert len(answer.citations) == MAX_LISTED < len(madison)
    assert cited(answer) == [d.doc_id for d in madison[:MAX_LISTED]]
    assert f"and {len(madison) - MAX_LISTED} more" in answer.text
    assert_sound(answer, federalist)


def test_a_speaker_and_a_period_together(federalist) -> None:
    answer = ask("Which of Hamilton's papers appeared in January 1788?", federalist)
    expected = [d.doc_id for d in federalist.values() if "Hamilton" in d.speakers and (d.date.first.year, d.date.first.month) == (1788, 1)]
    assert answer is not None and sorted(cited(answer)) == sorted(expected) and expected
    assert_sound(answer, federalist)


@pytest.mark.parametrize(
    "question",
    [
        "Which Federalist papers were published in 1789?",  # none: the usual pipeline declines
        "Which papers did Jefferson write?",  # no such author: the usual pipeline says so
    ],
)
def test_nothing_matching_is_left_to_the_usual_decline(federalist, question) -> None:
    assert ask(question, federalist) is None


@pytest.mark.parametrize(
    "question",
    [
        "What did Madison say about factions?",
        "Which papers did Madison write about factions?",
        "What did Hamilton write about the militia in January 1788?",
        "Which ancient Greek confederacies were examined in December 1787 as warnings for the American union?",
        "In January 1788, which level of government did Madison expect the people to feel more attached to?",
        "Who wrote the paper on the judiciary?",
        "Which paper was published first?",
        "What paper did Jay write in 1787?",  # asks what it says
    ],
)
def test_content_questions_are_not_collection_questions(federalist, question) -> None:
    assert not is_collection_question(question, federalist)


@pytest.mark.parametrize(
    "question",
    [
        "What did NATO say about North Korea in 2017?",
        "How did NATO's message on North Korea change between 2013 and 2023?",
        "Which areas of cooperation did the 2013 declaration highlight?",
        "What did Stoltenberg say in January 2023?",
        "What is the latest statement on North Korea?",
        "How many statements mention North Korea?",
    ],
)
def test_seed_content_questions_are_not_collection_questions(seeds, question) -> None:
    assert not is_collection_question(question, seeds)


def test_counts_the_statements_of_a_year(seeds) -> None:
    answer = ask("How many statements were made in 2013?", seeds)
    assert answer is not None and answer.text.startswith("The documents hold 3 statements dated 2013")
    assert len(answer.citations) == 3
    assert_sound(answer, seeds)


def test_lists_a_speakers_statements(seeds) -> None:
    answer = ask("Which statements did Stoltenberg make?", seeds)
    assert answer is not None and [documents_date(seeds, d) for d in cited(answer)] == ["2017-10-31", "2023-01-31"]
    assert all("Stoltenberg" in c.quote.text for c in answer.citations)
    assert_sound(answer, seeds)


def test_an_issuer_the_corpus_knows_only_by_name(seeds) -> None:
    # NATO is no speaker here, but the 2017 statement's opening lines name it.
    answer = ask("What statements did NATO issue in 2017?", seeds)
    assert answer is not None and [documents_date(seeds, d) for d in cited(answer)] == ["2017-10-31"]
    assert "NATO" in answer.citations[0].quote.text
    assert_sound(answer, seeds)


def test_statements_from_a_month_are_those_dated_in_it(seeds) -> None:
    answer = ask("List the statements from April 2013", seeds)
    assert answer is not None and answer.period == "April 2013" and len(answer.citations) == 3


@pytest.mark.slow
def test_the_engine_answers_a_collection_question_from_the_documents(extractive_engine: Engine) -> None:
    answer = extractive_engine.ask("How many statements were made in 2013?")
    assert answer.method == "catalog" and answer.status == "answered" and answer.period == "2013"
    assert len(answer.citations) == 3
    for c in answer.citations:
        assert extractive_engine.index.documents[c.quote.ref.doc_id].text[c.quote.ref.start : c.quote.ref.end] == c.quote.text
    content = extractive_engine.ask("What did NATO say about North Korea in 2017?")
    assert content.method != "catalog"


@pytest.mark.parametrize("question", ["How many statements are there?", "list all statements", "What documents do you have?"])
def test_the_whole_collection_is_listed_when_asked_for(seeds, question) -> None:
    # Nothing narrows it: the answer is the collection, its size and span, each statement cited.
    answer = ask(question, seeds)
    assert answer is not None and answer.text.startswith("The documents hold 5 statements, dated 15 April 2013 to 31 January 2023:")
    assert len(answer.citations) == 5
    assert_sound(answer, seeds)


def test_a_kind_some_statements_are_not_labelled_with_does_not_narrow_the_list(federalist) -> None:
    # Most papers carry no kind ("document"); a few openings read as a "speech" or a "letter".
    # Jay's papers are no fewer for the question calling them speeches.
    answer = ask("Which speeches did Jay write?", federalist)
    assert answer is not None and answer.text.startswith("The documents hold 5 statements by Jay")
    assert cited(answer) == ["federalist_02", "federalist_03", "federalist_04", "federalist_05", "federalist_64"]


def test_the_first_and_the_latest_statement_are_one_end_of_the_collection(seeds) -> None:
    answer = ask("What was the first statement?", seeds)
    assert answer is not None and answer.text.startswith("The earliest statements, all of 15 April 2013, are:")
    assert [documents_date(seeds, d) for d in cited(answer)] == ["2013-04-15"] * 3
    answer = ask("What is the latest statement?", seeds)
    assert answer is not None and answer.text.startswith("The latest statement is:")
    assert [documents_date(seeds, d) for d in cited(answer)] == ["2023-01-31"]
    # Typed in lower case, the speaker is still the one asked about.
    answer = ask("which was the most recent statement by stoltenberg", seeds)
    assert answer is not None and answer.text.startswith("The latest statement by Jens Stoltenberg is:")
    assert_sound(answer, seeds)
