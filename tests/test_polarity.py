"""Negation and stance: a sentence must not say the opposite of its quote (pure)."""

from qa.polarity import negation_conflict, read_words, stance_conflict, stance_of

CONDEMN = "We condemn in the strongest terms North Korea’s nuclear tests and ballistic missile launches."


def test_stance_words_are_whole_words() -> None:
    assert stance_of("welcomed") == 1 and stance_of("supports") == 1 and stance_of("agree") == 1
    assert stance_of("condemns") == -1 and stance_of("opposed") == -1 and stance_of("criticised") == -1
    # Look-alikes carry no stance.
    assert stance_of("critical") == 0 and stance_of("opposite") == 0 and stance_of("disagree") == -1


def test_negation_governs_the_words_it_stands_before() -> None:
    negated = {w.text for w in read_words("NATO did not strongly condemn the tests, and has no ambition in Asia.") if w.negated}
    assert negated == {"condemn", "ambition"}
    assert not any(w.negated for w in read_words("This war is not just a European crisis."))


def test_opposite_stances_conflict_and_the_same_stance_does_not() -> None:
    assert stance_conflict("NATO welcomed North Korea's nuclear tests.", CONDEMN)
    assert stance_conflict("NATO supports North Korea's missile launches.", CONDEMN)
    assert stance_conflict("NATO praised North Korea's nuclear tests.", CONDEMN)
    assert stance_conflict("NATO did not condemn North Korea's nuclear tests.", CONDEMN)
    assert stance_conflict("NATO condemned North Korea's nuclear tests.", CONDEMN) is None
    assert stance_conflict("NATO opposes North Korea's nuclear tests.", CONDEMN) is None


def test_a_stance_the_quote_does_not_take_at_all_conflicts() -> None:
    assert stance_conflict("NATO welcomed the new partnership.", "NATO and Japan signed a new partnership.")


def test_the_stance_nearest_the_object_decides() -> None:
    mixed = "I strongly welcome Japan’s strict sanctions against Russia, and condemn Russia’s brutal war against Ukraine."
    assert stance_conflict("NATO welcomed Japan's sanctions against Russia.", mixed) is None
    assert stance_conflict("NATO condemned Japan's sanctions against Russia.", mixed)
    assert stance_conflict("NATO condemned Russia's war against Ukraine.", mixed) is None
    assert stance_conflict("NATO welcomed Russia's war against Ukraine.", mixed)


def test_negation_must_match_the_quote() -> None:
    quote = "China is not our adversary, but we must understand the scale of the challenge."
    assert negation_conflict("China is our adversary.", quote)
    assert negation_conflict("China is not our adversary.", quote) is None
    assert negation_conflict("We must understand the challenge.", quote) is None
    assert negation_conflict("We must not understand the challenge.", quote)
