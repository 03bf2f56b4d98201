"""Retrieval over the real seeds index: time filters, exact quotes, merged repeats."""

from datetime import date

import pytest

from qa.constraints import Constraints, Period

pytestmark = pytest.mark.slow


def _exact(engine, quote) -> bool:
    doc = engine.index.documents[quote.ref.doc_id]
    return doc.text[quote.ref.start : quote.ref.end] == quote.text


def test_a_year_in_the_question_filters_on_the_statement_date(extractive_engine) -> None:
    result = extractive_engine.search("What did NATO say about North Korea in 2017?")
    assert result.quotes
    assert all(q.ref.date.startswith("2017") for q in result.quotes)
    assert "North Korea" in result.quotes[0].text
    assert all(_exact(extractive_engine, q) for q in result.quotes)


def test_without_a_year_north_korea_is_found_in_every_year(extractive_engine) -> None:
    result = extractive_engine.search("What did NATO say about North Korea?", k=10)
    years = {q.ref.date[:4] for q in result.quotes}
    assert {"2013", "2017", "2023"} <= years


def test_quotes_are_sentences_not_whole_passages(extractive_engine) -> None:
    result = extractive_engine.search("What did Japan do at Iruma Air Base?")
    top = result.quotes[0]
    assert "Iruma Air Base" in top.text
    assert len(top.text) < 400
    assert "sanctions" not in top.text  # the neighbouring sentence of the same passage stays out


def test_repeated_paragraphs_are_one_quote_citing_both_documents(extractive_engine) -> None:
    result = extractive_engine.search("Japan's enormous contributions to security and development in Afghanistan", k=5)
    matching = [q for q in result.quotes if "enormous contributions" in q.text]
    assert len(matching) == 1
    cited = {matching[0].ref.doc_id[:3]} | {a.doc_id[:3] for a in matching[0].also}
    assert cited == {"000", "001"}
    for ref in (matching[0].ref, *matching[0].also):
        doc = extractive_engine.index.documents[ref.doc_id]
        assert "enormous contributions" in doc.text[ref.start : ref.end]


def test_speaker_in_the_question_filters_documents(extractive_engine) -> None:
    result = extractive_engine.search("What did Stoltenberg say about Afghanistan?")
    assert result.constraints.speakers == ("Jens Stoltenberg",)
    assert all(q.ref.date >= "2017" for q in result.quotes)


def test_what_one_speaker_told_another_is_their_words_or_a_report_of_them(extractive_engine) -> None:
    # Asked what Abe told Rasmussen, Rasmussen's own statement is not the answer: Abe has no
    # statement of April 2013, and the readout of the call (no speaker line) reports his words.
    answer = extractive_engine.ask("In April 2013, what did Abe tell Rasmussen Japan would do to keep supporting Afghanistan?")
    assert answer.status == "answered"
    assert answer.citations[0].quote.ref.doc_id.startswith("002_")
    assert "Chicago Summit" in answer.citations[0].quote.text


def test_latest_picks_the_newest_relevant_statement(extractive_engine) -> None:
    result = extractive_engine.search("What is the latest statement on North Korea?")
    assert result.quotes and all(q.ref.date == "2023-01-31" for q in result.quotes)


def test_ranges_and_user_filters(extractive_engine) -> None:
    result = extractive_engine.search("What did NATO say about cyber security between 2013 and 2017?", k=8)
    assert result.quotes and all("2013" <= q.ref.date[:4] <= "2017" for q in result.quotes)
    only_2023 = Constraints(period=Period(date(2023, 1, 1), date(2023, 12, 31), "2023"))
    filtered = extractive_engine.search("What did NATO say about cyber security?", filters=only_2023)
    assert filtered.quotes and all(q.ref.date.startswith("2023") for q in filtered.quotes)
    none = extractive_engine.search("What did NATO say about North Korea in 2015?")
    assert none.quotes == ()


def test_a_decline_within_filters_says_what_they_allow(extractive_engine) -> None:
    only_2017 = Constraints(period=Period(date(2017, 1, 1), date(2017, 12, 31), "2017"))
    answer = extractive_engine.ask("What did NATO say about climate change?", filters=only_2017)
    assert answer.status == "not_found"
    assert answer.text == "Your filters allow 1 of the 5 statements (dated 2017); clear them to search all. None of them answers this."
    assert not extractive_engine.ask("What did NATO say about climate change?").text.startswith("Your filters")


@pytest.mark.parametrize("ranker", ["dense", "bm25", "hybrid"])
def test_every_ranker_returns_exact_quotes(extractive_engine, ranker: str) -> None:
    result = extractive_engine.search("maritime security cooperation", ranker=ranker)
    assert result.quotes and all(_exact(extractive_engine, q) for q in result.quotes)


def test_a_quote_never_opens_on_a_pronoun_whose_sentence_stands_before_it(extractive_engine) -> None:
    # "It indicates areas ..." opens a passage; "It" is the declaration the sentence before names.
    from dataclasses import replace

    retriever = extractive_engine.retriever("hybrid")
    question = "In which areas can cooperation be increased, such as crisis situations and joint exercises?"
    constraints = replace(retriever.understand(question), doc_ids=("001_742273bc4420d5be",))
    top = retriever.search_with(question, constraints, 2).quotes[0]
    assert "It indicates areas where cooperation can be increased" in top.text
    assert top.text.startswith("In the document, Japan and NATO spell out") and _exact(extractive_engine, top)


def test_quotes_one_sentence_apart_are_joined_into_the_exact_words_between(extractive_engine) -> None:
    # A list often runs over three sentences; its first and last quoted apart leave out the middle.
    from qa.quotes import Quote, source_ref

    doc = next(d for d in extractive_engine.index.documents.values() if d.doc_id.startswith("003"))

    def quote(words: str) -> Quote:
        start = doc.text.index(words)
        return Quote(source_ref(doc, start, start + len(words)), words, 1.0, 0.5, 1.0, 0.5)

    condemn = quote("We condemn in the strongest terms North Korea’s nuclear tests and ballistic missile launches, which are in flagrant violation of multiple United Nations Security Council resolutions.")
    honour = quote("North Korea must honour its commitments in the 2005 Joint Statement of the Six-Party Talks.")
    pressure = quote("We urge them to make further efforts to apply decisive pressure")
    search = extractive_engine.search_for(extractive_engine.retriever())
    joined = search.joined((honour, pressure, condemn))
    assert len(joined) == 2 and joined[1] is pressure  # three sentences apart: two points
    assert joined[0].text.startswith("We condemn") and joined[0].text.endswith("Six-Party Talks.")
    assert "We strongly urge North Korea" in joined[0].text  # the sentence between, in its place
    assert _exact(extractive_engine, joined[0])
