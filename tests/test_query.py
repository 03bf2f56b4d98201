"""A question's names the corpus never uses, and the words that only frame a question."""

from embeddings.bm25 import tokenize
from qa.query import prepare_query, unknown_names

VOCABULARY = frozenset(tokenize("The Federalist papers of Hamilton, Madison and Jay; NATO and North Korea"))


def test_names_the_corpus_never_uses_are_found() -> None:
    assert unknown_names("What did NATO say about Brazil?", VOCABULARY) == ("Brazil",)
    assert unknown_names("What did Madison write about factions?", VOCABULARY) == ()


def test_an_abbreviation_is_no_name() -> None:
    # "Nos. 18, 19 and 20" is how one writes several numbers of a series, not a name.
    assert unknown_names("Who is credited as the author of Federalist Nos. 18, 19 and 20?", VOCABULARY) == ()
    assert unknown_names("What did Sen. Hamilton say?", VOCABULARY) == ()


def test_the_verb_of_change_is_no_subject_word() -> None:
    query = prepare_query("How did NATO's message on North Korea change between 2013 and 2023?")
    assert "chang" not in query.subject and {"north", "korea"} <= set(query.subject)
    assert "chang" in prepare_query("What did NATO say about climate change?").subject


def test_a_document_number_is_told_from_a_day() -> None:
    from qa.query import identifier_numbers

    assert identifier_numbers("In which newspaper did Federalist No. 26 first appear?") == {"26"}
    assert identifier_numbers("What happened on 26 December?") == frozenset()
