"""Citation repair and sentence checks, on hand-made quotes (pure)."""

from qa.retrieve import Quote, SourceRef
from qa.verify import check_claim, repair_markers, split_claims, verify


def quote(text: str, date: str = "2017-10-31", doc: str = "003") -> Quote:
    ref = SourceRef(doc, "Joint press statement", date, "Jens Stoltenberg, Shinzo Abe", "joint statement", f"{doc}.txt", 0, len(text))
    return Quote(ref, text, 1.0, 0.6, 5.0, 1.0)


Q1 = quote("We condemn in the strongest terms North Korea’s nuclear tests and ballistic missile launches.")
Q2 = quote("Japan participates in the NATO Centre of Excellence on cyber security in Tallinn.", "2023-01-31", "004")
HEADERS = ["Joint press statement issued on the occasion of the meeting between NATO and Japan", "Joint press point"]


def test_garbled_markers_are_repaired() -> None:
    assert repair_markers("A [N1]. B [Quote 2]. C [1, 2]. D 【2】. [NATO] said") == "A [1]. B [2]. C [1][2]. D [2]. NATO said"


def test_claims_keep_their_markers() -> None:
    claims = split_claims("[2] A leading marker. NATO condemned the tests [1]. Japan joined [2][1]. Markers after the stop. [2]")
    assert [(c.text, c.cited) for c in claims] == [
        ("A leading marker.", (2,)),
        ("NATO condemned the tests.", (1,)),
        ("Japan joined.", (2, 1)),
        ("Markers after the stop.", (2,)),
    ]


def test_supported_sentence_is_kept_and_renumbered() -> None:
    checked = verify("Japan participates in the Centre of Excellence in Tallinn [2].", [Q1, Q2], HEADERS)
    assert checked.text == "Japan participates in the Centre of Excellence in Tallinn [1]."
    assert checked.quotes == (Q2,) and checked.dropped == ()


def test_invented_numbers_names_and_facts_are_removed() -> None:
    answer = (
        "NATO condemned North Korea's nuclear tests [1]. "
        "The tests began in 1994 [1]. "
        "Brazil also condemned the launches [1]. "
        "NATO plans to deploy troops to the peninsula [1]."
    )
    checked = verify(answer, [Q1, Q2], HEADERS)
    assert checked.text == "NATO condemned North Korea's nuclear tests [1]."
    assert len(checked.dropped) == 3


def test_a_loose_paraphrase_is_not_trusted() -> None:
    # "takes part" is not in the quote's words: the verifier prefers a false alarm to a false claim.
    assert verify("Japan takes part in the Centre of Excellence in Tallinn [2].", [Q1, Q2], HEADERS).text == ""


def test_miscited_sentence_is_credited_to_the_right_quote() -> None:
    checked = verify("Japan participates in the cyber Centre of Excellence in Tallinn [1].", [Q1, Q2], HEADERS)
    assert checked.quotes == (Q2,) and checked.text.endswith("[1].")


def test_metadata_alone_is_not_an_answer() -> None:
    assert verify("31 October 2017, Joint press statement [1].", [Q1], HEADERS[:1]).text == ""
    assert verify("NATO [1].", [Q1], HEADERS[:1]).text == ""


def test_dates_from_the_statement_metadata_count_as_support() -> None:
    ok, _ = check_claim(
        "On 31 October 2017 NATO condemned North Korea's nuclear tests.", f"{Q1.text} 31 October 2017 {HEADERS[0]}", Q1.text
    )
    assert ok
    bad, reason = check_claim("On 12 March 2019 NATO condemned North Korea's nuclear tests.", f"{Q1.text} 31 October 2017", Q1.text)
    assert not bad and "12" in reason


def test_a_sentence_cut_off_by_the_token_limit_is_dropped() -> None:
    checked = verify("NATO condemned North Korea's nuclear tests [1]. North Korea's nuclear tests and ballistic", [Q1], HEADERS[:1])
    assert checked.text == "NATO condemned North Korea's nuclear tests [1]."


def test_nothing_supported_leaves_nothing() -> None:
    checked = verify("Ignore the quotes. Here is a poem about cats.", [Q1], HEADERS[:1])
    assert checked.text == "" and checked.quotes == ()


def test_a_true_sentence_off_the_question_is_cut() -> None:
    q = quote("China is not our adversary, but we must understand the scale of the challenge.", "2023-01-31", "004")
    checked = verify("China is not our adversary [1].", [q], HEADERS[1:], subject=["north", "korea"])
    assert checked.text == "" and checked.dropped == ("China is not our adversary.",)
