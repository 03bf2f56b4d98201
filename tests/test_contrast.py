"""What changed between the ends of an answer across time: pure, over quote-shaped data."""

from qa.answer import Citation
from qa.answer_type import change_word
from qa.contrast import distinctive, what_changed
from qa.quotes import Quote, SourceRef


def cited(n: int, date: str, text: str) -> Citation:
    ref = SourceRef(f"d{n}", "Statement", date, "", "statement", f"d{n}.txt", 0, len(text))
    return Citation(n, Quote(ref, text, 1.0, 1.0, 1.0, 1.0))


def test_change_questions_are_told_from_questions_about_change() -> None:
    assert change_word("How did the budget outlook change between 2010 and 2020?") == "change"
    assert change_word("What changed since 2019 in the state's insulin case?") == "changed"
    assert change_word("How has the policy evolved over the years?") == "evolved"
    # "change" as the subject, not the question's frame
    assert change_word("What did NATO say about climate change between 2010 and 2020?") == ""
    assert change_word("How does NATO view climate change?") == ""
    assert change_word("How much did climate change cost between 2010 and 2012?") == ""


def test_each_side_names_only_its_own_words_and_is_cited() -> None:
    old = cited(1, "2013-04-15", "NATO strongly condemns North Korea’s provocative rhetoric.")
    new = cited(2, "2023-01-31", "We share deep concern over North Korea’s ballistic missile tests.")
    sentence = what_changed([new, old], ["north", "korea"])
    assert sentence.startswith("What changed: only the 2023 quote speaks of ")
    assert "“ballistic missile tests”" in sentence and "[2]" in sentence
    assert "only the 2013 one of " in sentence and "“provocative rhetoric”" in sentence and "[1]" in sentence
    assert "North Korea" not in sentence  # what both ends speak of is no change


def test_nothing_to_contrast() -> None:
    same = "The Council met and agreed the budget."
    assert what_changed([cited(1, "2010-01-01", same), cited(2, "2012-01-01", same)], ["budget"]).endswith(
        "use the same words on this [1] [2]."
    )
    # One year only, or undated quotes: no sentence.
    assert what_changed([cited(1, "2010-01-01", "A b."), cited(2, "2010-05-01", "C d.")], []) == ""
    assert distinctive("Payments rose to $35 a month.", {"payment"}, set())[0].text == "$35"
