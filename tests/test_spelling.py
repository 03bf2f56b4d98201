"""A question's words that the documents write another way: acronyms they spell out, typing slips."""

from collections import Counter

import pytest

from embeddings.bm25 import tokenize
from qa.spelling import Lexicon, slip, spelled_out

TEXT = (
    "Prime Minister Abe met the Secretary General, and the Prime Minister spoke. The Democratic People's Republic of Korea, "
    "North Korea, launched missiles; the Republic of Korea and the United Nations Security Council "
    "responded. PRIME MINISTER'S OFFICE. North Korea must comply. The Council met again."
)


def lexicon() -> Lexicon:
    return Lexicon((TEXT,), frozenset(tokenize(TEXT)))


def test_an_acronym_is_read_as_the_name_the_documents_spell_out() -> None:
    assert spelled_out("DPRK", TEXT) == "Democratic People's Republic of Korea"
    assert spelled_out("PM", TEXT) == "Prime Minister"  # not the heading's "PRIME MINISTER"
    assert spelled_out("ROK", TEXT) == "Republic of Korea"  # "of" gives its letter
    assert spelled_out("UNSC", TEXT) == "United Nations Security Council"
    assert spelled_out("EU", TEXT) is None  # never spelled out: no reading
    # Only a whole name of words the documents capitalise: not the start of a longer name, not
    # a list, not a headline's capitalised verb.
    assert spelled_out("AI", "the Agency for International Development") is None
    assert spelled_out("PM", "the wars of Persia and Macedon") is None
    cased = {"Exclude": 1, "exclude": 9, "Undocumented": 1, "undocumented": 5}
    assert spelled_out("EU", "Exclude Undocumented", lambda w: cased.get(w, 0) >= cased.get(w.lower(), 0)) is None


def test_a_typing_slip_is_read_as_the_one_word_the_documents_use() -> None:
    words = Counter(w.lower() for w in TEXT.split())
    words.update({"north": 2, "council": 2})
    assert slip("Norht", words) == "North"  # two letters swapped
    assert slip("Councl", words) == "Council"  # a letter missing
    assert slip("Counncil", words) == "Council"  # one too many
    assert slip("Brexit", words) is None


def test_an_english_word_the_documents_lack_is_no_slip() -> None:
    text = "The landlord tracked the fees. He tracked them again."
    question = "Which landlord tacked a fee onto the rent?"
    # "tacked" is one letter from "tracked", but English uses it: it is left as written.
    assert Lexicon((text,), frozenset(tokenize(text))).respell(question)[1] == ()


def test_the_question_is_re_read_and_names_nobody_wrote_stay() -> None:
    question, readings = lexicon().respell("What did the Japanese PM say about Norht Korea and Brexit?")
    assert question == "What did the Japanese Prime Minister say about North Korea and Brexit?"
    assert [(r.written, r.read_as) for r in readings] == [("PM", "Prime Minister"), ("Norht", "North")]
    assert lexicon().respell("What did NATO say about Korea?") == ("What did NATO say about Korea?", ())


@pytest.mark.slow
def test_the_answer_says_how_it_read_the_question(extractive_engine) -> None:
    answer = extractive_engine.ask("What did NATO say about Norht Korea in 2017?")
    assert answer.status == "answered" and answer.text.startswith("Read “Norht” as “North”.")
    assert all(c.quote.ref.date.startswith("2017") for c in answer.citations)
    # Still declined: a name the documents never use, in any spelling.
    assert extractive_engine.ask("What did NATO say about Brexit?").status == "not_found"
