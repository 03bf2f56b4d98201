"""An answer shows each sentence once and groups its points by statement (pure, real text)."""

from dataclasses import replace
from pathlib import Path

from qa.extractive import extractive_answer
from qa.quotes import Quote, SourceRef, distinct_points

DOCS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
TEXT = (DOCS / "003_8814d5c9aa00e239.txt").read_text(encoding="utf-8")
SPEAKERS = "Jens Stoltenberg, Shinzo Abe"


def quote_of(words: str, doc: str = "003", text: str = TEXT, date: str = "2017-10-31", speaker: str = SPEAKERS) -> Quote:
    """A quote of exactly ``words`` where they stand in ``text``."""
    start = text.index(words)
    end = start + len(words)
    ref = SourceRef(doc, "Joint press statement", date, speaker, "press statement", f"{doc}.txt", start, end)
    return Quote(ref, text[start:end], 1.0, 0.6, 5.0, 1.0)


CONDEMN = "We condemn in the strongest terms North Korea’s nuclear tests and ballistic missile launches, which are in flagrant violation of multiple United Nations Security Council resolutions."
URGE = "We strongly urge North Korea to immediately and fully comply with all relevant UN Security Council resolutions, including the latest Resolution 2375 adopted unanimously on 11 September 2017."
END = "We also urge North Korea to immediately end its nuclear and ballistic missile programmes and take concrete steps toward the complete, verifiable and irreversible denuclearisation of the Korean Peninsula."
ABDUCTIONS = "We also express serious concern on North Korea’s flagrant violation of human rights and, in particular, strongly urge North Korea to immediately resolve the abductions issue."


def exact(quote: Quote, text: str = TEXT) -> bool:
    return text[quote.ref.start : quote.ref.end] == quote.text


def test_a_quote_overlapping_an_earlier_one_keeps_only_its_new_sentences() -> None:
    first = quote_of(CONDEMN + " " + URGE)
    overlapping = quote_of(URGE + " North Korea must honour its commitments in the 2005 Joint Statement of the Six-Party Talks.")
    kept = distinct_points([first, overlapping])
    assert [q.text for q in kept] == [first.text, "North Korea must honour its commitments in the 2005 Joint Statement of the Six-Party Talks."]
    assert all(exact(q) for q in kept)


def test_a_quote_with_nothing_new_is_dropped_and_its_document_joins_the_sources() -> None:
    first = quote_of(CONDEMN + " " + URGE)
    reprint_text = "Reprinted. " + CONDEMN
    reprint = quote_of(CONDEMN, doc="reprint", text=reprint_text)
    kept = distinct_points([first, reprint])
    assert len(kept) == 1
    assert [a.doc_id for a in kept[0].also] == ["reprint"]


def test_distinct_quotes_are_all_kept_in_order() -> None:
    quotes = [quote_of(END), quote_of(CONDEMN), quote_of(ABDUCTIONS)]
    assert distinct_points(quotes) == tuple(quotes)


def test_points_of_one_statement_are_introduced_once() -> None:
    text, citations = extractive_answer([quote_of(CONDEMN), quote_of(END), quote_of(ABDUCTIONS)])
    lines = text.splitlines()
    assert lines[0].startswith("On 31 October 2017, Jens Stoltenberg and Shinzo Abe said: “We condemn")
    assert lines[1].startswith("In the same statement: “We also urge") and lines[1].endswith("[2]")
    assert lines[2].startswith("In the same statement: “We also express") and lines[2].endswith("[3]")
    assert [c.n for c in citations] == [1, 2, 3]


def test_the_leading_statement_comes_first_then_the_others_oldest_first() -> None:
    other = "NATO and Japan are natural partners."
    older = quote_of(other, doc="2013", text="Intro. " + other, date="2013-04-15", speaker="Anders Fogh Rasmussen")
    older_still = quote_of(other.replace("natural", "long-standing"), doc="2010", text=other.replace("natural", "long-standing"), date="2010-01-01", speaker="X Y")
    text, citations = extractive_answer([quote_of(END), older, older_still])
    assert [c.quote.ref.doc_id for c in citations] == ["003", "2010", "2013"]
    assert text.splitlines()[1].startswith("On 1 January 2010, the statement by X Y says:")
    assert text.splitlines()[2].startswith("On 15 April 2013, the statement by Anders Fogh Rasmussen says:")


def test_no_answer_repeats_a_sentence_when_quotes_overlap() -> None:
    honour = "North Korea must honour its commitments in the 2005 Joint Statement of the Six-Party Talks."
    text, citations = extractive_answer([quote_of(CONDEMN + " " + URGE), quote_of(URGE), quote_of(f"{URGE} {honour} {END}")])
    assert text.count("We strongly urge North Korea") == 1
    assert text.count("We also urge North Korea") == 1
    assert all(exact(c.quote) for c in citations)


def test_a_quote_that_says_one_thing_twice_is_cut_to_its_longest_new_run() -> None:
    # A release's headline and the sentence under it say the same thing.
    text = (
        "Afghan forces capture Taliban leader in Kandahar.\n"
        "KANDAHAR, Afghanistan - Afghan forces captured a Taliban leader in Kandahar province today. "
        "The leader coordinated attacks against Afghan forces and was in charge of a cell of fighters."
    )
    whole = quote_of(text, doc="release", text=text, date="2011-06-16", speaker="")
    (kept,) = distinct_points([whole])
    assert exact(kept, text) and kept.text.startswith("KANDAHAR") and kept.text.endswith("fighters.")


def test_sentences_alike_but_for_their_numbers_are_two_points() -> None:
    from embeddings.bm25 import tokenize
    from qa.quotes import says_again

    def words(text: str) -> set[str]:
        return set(tokenize(text))

    # The 2020 award is not the 2024 award...
    assert not says_again(words("The Conference recognizes the report with its 2020 Notable Document Award"), words("The Conference recognizes the report with its 2024 Notable Document Award"))
    # ...but a fuller sentence with one more number still repeats the shorter one.
    assert says_again(words("The bill provides $1.9 billion for the Department of Defense"), words("The bill provides $1.9 billion for the Department of Defense, as requested in 2018"))
    # A sentence giving only a figure another gives, on mostly its words, restates it (a
    # release's opening and its later sentence)...
    opening = words("Navient will provide relief totaling $1.85 billion, including $14 million to Minnesota students, to resolve allegations.")
    again = words("Minnesota student loan borrowers will receive over $14 million in total financial relief.")
    assert says_again(again, opening)
    # ...as words alone, without the figure, it would not: nearly all must match then.
    assert not says_again(again - {"14"}, opening - {"14"})


def test_another_statement_s_short_sentence_is_not_swallowed_by_a_long_one() -> None:
    # The later statement's words all stand in the long 2017 sentence, but it is another
    # statement saying its own thing: both are points. In one statement it would be a repeat.
    later = "North Korea’s nuclear tests and ballistic missile launches violate Security Council resolutions."
    short = quote_of(later, "005", later, "2023-01-31", "Jens Stoltenberg")
    assert [q.ref.doc_id for q in distinct_points([quote_of(CONDEMN), short])] == ["003", "005"]
    same = quote_of(later, "003", later)
    assert [q.ref.doc_id for q in distinct_points([quote_of(CONDEMN), same])] == ["003"]


def test_the_same_sentence_in_another_statement_is_shown_once() -> None:
    # The remarks (000) and the press release quoting them (001) print one sentence, one behind
    # a byline, one after "And": too few of the longer line's words for a reprint, yet the same words.
    said = "I am convinced that the joint political declaration we have just signed will make our partnership even stronger in the future."
    release = (DOCS / "001_742273bc4420d5be.txt").read_text(encoding="utf-8")
    remarks = (DOCS / "000_7e6f4f4014b25468.txt").read_text(encoding="utf-8")
    byline = release[release.index("From Anders Fogh Rasmussen, NATO:") : release.index(said) + len(said)]
    first = quote_of(byline, "001", release, "2013-04-15", "Anders Fogh Rasmussen")
    second = quote_of(f"And {said}", "000", remarks, "2013-04-15", "Anders Fogh Rasmussen")
    (kept,) = distinct_points([first, second])
    assert kept.ref.doc_id == "001" and [a.doc_id for a in kept.also] == ["000"]


def test_a_statement_saying_one_phrase_twice_is_shown_saying_it_once() -> None:
    # One release lists the same challenges twice in other framings: the second, most of its
    # words one run copied from the first, adds nothing.
    release = (DOCS / "001_742273bc4420d5be.txt").read_text(encoding="utf-8")
    first = "It indicates areas where cooperation can be increased, such as closer coordination in managing crisis situations and intensifying cooperation to jointly handle challenges such as disaster relief, terrorism, piracy and cyber attacks."
    again = "We can do more together to deal with challenges such as disaster relief, terrorism,\u00a0 piracy, and cyber attacks."
    kept = distinct_points([quote_of(first, "001", release, "2013-04-15"), quote_of(again, "001", release, "2013-04-15")])
    assert [q.text for q in kept] == [first]
    # Another statement using the phrase makes its own point.
    other = quote_of(again, "000", again, "2013-04-15")
    assert len(distinct_points([quote_of(first, "001", release, "2013-04-15"), other])) == 2


def test_a_release_reprinting_remarks_with_a_new_opening_is_one_point() -> None:
    import re

    remarks = (DOCS / "000_7e6f4f4014b25468.txt").read_text(encoding="utf-8")
    release = (DOCS / "001_742273bc4420d5be.txt").read_text(encoding="utf-8")
    said = re.search(r"In the joint political declaration, Japan and NATO acknowledge[^.]*\.", remarks).group()
    reprinted = re.search(r"In the document, Japan and NATO spell out[^.]*\.", release).group()
    first = quote_of(said, "000", remarks, "2013-04-15", "Anders Fogh Rasmussen")
    (kept,) = distinct_points([first, quote_of(reprinted, "001", release, "2013-04-15", "Anders Fogh Rasmussen")])
    assert kept.ref.doc_id == "000" and [a.doc_id for a in kept.also] == ["001"]


def test_a_statement_that_speaks_of_its_speaker_is_not_their_words() -> None:
    # The statement's heading names both speakers in the third person: that line is the
    # statement's own narration, never something Stoltenberg or Abe said.
    heading = "issued on the occasion of the meeting between the NATO Secretary General, H.E. Mr Jens Stoltenberg and H.E. Mr Shinzo Abe, Prime Minister of Japan"
    text, _ = extractive_answer([quote_of(heading), quote_of(CONDEMN)])
    assert text.startswith("On 31 October 2017, the statement by Jens Stoltenberg and Shinzo Abe says: “issued on")
    quoted_speech = "Swanson said: “We sued,” said Attorney General Swanson."
    reported = quote_of("“We sued,” said Attorney General Swanson.", doc="mn", text=quoted_speech, speaker="Lori Swanson")
    own = quote_of("We sued.", doc="mn2", text="We sued.", speaker="Lori Swanson", date="2018-01-01")
    lines = extractive_answer([own, reported])[0].splitlines()
    assert lines[0].startswith("On 1 January 2018, Lori Swanson said: “We sued.”")
    assert lines[1].startswith("On 31 October 2017, the statement by Lori Swanson says: ‘“We sued,”")


def test_only_words_in_the_first_person_are_framed_as_said() -> None:
    # A release's narration of others, a headline or a dateline: the statement says it, its
    # speaker is not known to have said it.
    narration = "Council members Greene and Patel voted against the budget."
    text, _ = extractive_answer([quote_of(narration, doc="c", text=narration, speaker="Roberto Alvarez")])
    assert text.startswith("On 31 October 2017, the statement by Roberto Alvarez says: “Council members")
    assert extractive_answer([quote_of(CONDEMN)])[0].startswith("On 31 October 2017, Jens Stoltenberg and Shinzo Abe said: “We condemn")


def test_two_statements_of_one_speaker_and_date_are_told_apart_by_title() -> None:
    first = quote_of("We sued.", doc="a", text="We sued.", speaker="Lori Swanson", date="2018-01-01")
    second = quote_of("We settled.", doc="b", text="We settled.", speaker="Lori Swanson", date="2018-01-01")
    second = Quote(replace(second.ref, title="Swanson settles with Comcast"), second.text, 1.0, 0.6, 5.0, 1.0)
    lines = extractive_answer([first, second])[0].splitlines()
    assert lines[0].startswith("On 1 January 2018, in “Joint press statement”, Lori Swanson said: “We sued.”")
    assert lines[1].startswith("On 1 January 2018, in “Swanson settles with Comcast”, Lori Swanson said: “We settled.”")
    alone = extractive_answer([first])[0]
    assert alone.startswith("On 1 January 2018, Lori Swanson said:")


def test_a_statement_s_further_points_follow_in_its_own_order() -> None:
    _, citations = extractive_answer([quote_of(URGE), quote_of(ABDUCTIONS), quote_of(CONDEMN), quote_of(END)])
    assert [c.quote.text for c in citations] == [URGE, CONDEMN, END, ABDUCTIONS]


def test_an_organisation_speaking_is_named_with_the() -> None:
    said = "We strongly support the bill."
    quote = quote_of(said, doc="omb", text=said, speaker="Office of Management and Budget")
    assert extractive_answer([quote])[0].startswith("On 31 October 2017, the Office of Management and Budget said:")
