"""Which sentences of a passage make the quote (pure, hand-made passage)."""

from embeddings.layout import sentence_spans
from embeddings.passages import Passage
from qa.cutting import select_sentences

TEXT = (
    "A combined force conducted an operation in Kabul City to detain a senior Taliban commander. "
    "The insurgent has been linked to attacks against the United Nations in Panjshayr. "
    "No civilians were harmed."
)
PASSAGE = Passage("p", "d", 0, len(TEXT), tuple(sentence_spans(TEXT)), TEXT)


def test_only_the_sentences_with_the_question_words() -> None:
    start, end = select_sentences(PASSAGE, {"kabul": 3.0, "detain": 1.0})
    assert TEXT[start:end] == "A combined force conducted an operation in Kabul City to detain a senior Taliban commander."


def test_a_fragment_brings_the_sentence_before_it() -> None:
    start, end = select_sentences(PASSAGE, {"civilian": 2.0, "harm": 2.0})
    assert TEXT[start:end].startswith("The insurgent has been linked") and TEXT[start:end].endswith("No civilians were harmed.")


def test_a_sentence_that_refers_back_brings_the_one_it_refers_to() -> None:
    start, end = select_sentences(PASSAGE, {"panjshayr": 3.0, "nation": 1.0, "attack": 1.0})
    assert TEXT[start:end].startswith("A combined force") and TEXT[start:end].endswith("in Panjshayr.")


def test_open_questions_take_the_whole_passage() -> None:
    assert select_sentences(PASSAGE, {"kabul": 3.0}, whole=True) == (0, len(TEXT))
