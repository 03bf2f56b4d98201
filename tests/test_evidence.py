from dataclasses import replace
from datetime import date

from embeddings.dates import parse_iso
from qa.constraints import Constraints, Period
from qa.evidence import CorpusFacts, Verdict, judge, not_found_text
from qa.quotes import Quote, SearchResult, SourceRef


def q(coverage: float, dense: float, own: float | None = None) -> Quote:
    ref = SourceRef("d", "t", "2017-10-31", "s", "joint statement", "d.txt", 0, 4)
    return Quote(ref, "text", 1.0, dense, 1.0, coverage, own_coverage=coverage if own is None else own)


def result(*quotes: Quote, period: Period | None = None, unknown: tuple[str, ...] = ()) -> SearchResult:
    return SearchResult("question", Constraints(period=period), quotes, 10, "hybrid", unknown_names=unknown)


def test_answerable_needs_words_and_meaning_or_most_words() -> None:
    assert judge(result(q(0.9, 0.6)), 3).answerable
    assert judge(result(q(0.35, 0.5)), 3).answerable
    assert judge(result(q(1.0, 0.15)), 3).answerable  # a short keyword question
    assert not judge(result(q(0.1, 0.7)), 3).answerable  # close in meaning, none of the words
    assert not judge(result(q(0.4, 0.2)), 3).answerable
    # Words found only in the document's title, none in the quoted words: a heading answers nothing.
    assert not judge(result(q(0.9, 0.6, own=0.0)), 3).answerable


def test_a_name_the_corpus_never_uses_is_declined() -> None:
    verdict = judge(result(q(0.9, 0.6), unknown=("Iran",)), 3)
    assert not verdict.answerable and "Iran" in verdict.reason
    # Re-scored, a quote of the rest of the question's words as close as an unanswerable
    # question's best ("Governor Tim Pawlenty ... price gouging": 0.50) still answers nothing.
    assert not judge(result(replace(q(0.61, 0.5), relevance=0.50), unknown=("Pawlenty",)), 3).answerable
    assert not judge(result(replace(q(0.3, 0.5), relevance=0.70), unknown=("Iraq",)), 3).answerable


def test_a_quote_answering_all_the_rest_answers_despite_a_name_never_used() -> None:
    verdict = judge(result(replace(q(0.8, 0.6), relevance=0.62), unknown=("Pyongyang",)), 3)
    assert verdict.answerable and verdict.unmentioned == ("Pyongyang",)
    assert not judge(result(replace(q(0.8, 0.6), relevance=0.62)), 3).unmentioned


def test_not_found_says_what_the_corpus_holds() -> None:
    facts = CorpusFacts.of([parse_iso("2013-04-15"), parse_iso("2017-10-31"), parse_iso("2023-01-31")])
    period = Period(date(2015, 1, 1), date(2015, 12, 31), "2015")
    text = not_found_text(result(period=period), facts, [date(2013, 4, 15), date(2017, 10, 31)], Verdict(False, (), "x"))
    assert "No statement in the documents is dated 2015" in text
    assert "nearest are from 2013 and 2017" in text
    assert "3 statements" in text


FACTS = CorpusFacts.of([parse_iso("2013-04-15"), parse_iso("2017-10-31"), parse_iso("2023-01-31")])
YEAR_2017 = Period(date(2017, 1, 1), date(2017, 12, 31), "2017")


def declined(**fields) -> SearchResult:
    base = SearchResult("question", Constraints(period=fields.pop("period", YEAR_2017)), (q(0.2, 0.2),), 10, "hybrid")
    return replace(base, **fields)


def test_a_decline_never_claims_the_statements_do_not_address_a_subject() -> None:
    # Words no 2017 statement uses are named; nothing is said about what they "address".
    text = not_found_text(declined(absent=("brief", "friendly")), FACTS, [], Verdict(False, (), "x"))
    assert "The statements dated 2017 never use the words “brief” or “friendly”." in text
    assert "do not address" not in text
    text = not_found_text(declined(), FACTS, [], Verdict(False, (), "x"))
    assert "No passage of the statements dated 2017 holds enough of the question's words and meaning" in text


def test_a_decline_does_not_send_the_reader_to_the_period_it_declined() -> None:
    text = not_found_text(declined(), FACTS, [date(2017, 10, 31), date(2013, 4, 15)], Verdict(False, (), "x"))
    assert "statements from 2013;" in text and "2017;" not in text and "2013 and 2017" not in text


def test_a_speaker_with_no_statement_in_the_period_is_said_so() -> None:
    result = SearchResult("q", Constraints(period=YEAR_2017, speakers=("Fumio Kishida",)), (), 0, "hybrid")
    text = not_found_text(result, FACTS, [], Verdict(False, (), "x"))
    assert text.startswith("No statement by Fumio Kishida is dated 2017.")


def test_without_a_period_a_decline_names_the_words_the_documents_never_use() -> None:
    result = SearchResult("q", Constraints(), (q(0.2, 0.2),), 10, "hybrid", absent=("poem", "cats"))
    assert not_found_text(result, FACTS, [], Verdict(False, (), "x")).startswith("The documents never use the words “poem” or “cats”")


def test_a_quote_the_re_scorer_finds_close_needs_only_a_few_of_the_words() -> None:
    paraphrase = replace(q(0.15, 0.45), relevance=0.45)  # "the authority everyone consults" / "the oracle ... consulted"
    assert judge(result(paraphrase), 3).answerable
    assert not judge(result(replace(q(0.15, 0.45), relevance=0.30)), 3).answerable  # not close enough
    assert not judge(result(replace(q(0.05, 0.45), relevance=0.60)), 3).answerable  # close, but hardly a word of it
    assert not judge(result(replace(q(0.9, 0.6, own=0.0), relevance=0.5)), 3).answerable  # a heading shares only its title's words
    # ...unless it is very close in meaning: the dateline for "in which newspaper and when"
    assert judge(result(replace(q(0.4, 0.2, own=0.0), relevance=0.65)), 3).answerable


def test_an_open_question_gets_the_leading_statements_points_a_fact_question_the_fact() -> None:
    def at(doc: str, own: float, relevance: float) -> Quote:
        ref = SourceRef(doc, "t", "2017-10-31", "s", "joint statement", f"{doc}.txt", 0, 4)
        return Quote(ref, "text", 1.0, 0.5, 1.0, own, own_coverage=own, relevance=relevance)

    lead, point, weak, other = at("a", 0.8, 0.60), at("a", 0.6, 0.45), at("a", 0.35, 0.44), at("b", 0.8, 0.58)
    quotes = (lead, other, point, weak)
    open_question = SearchResult("What did NATO say about North Korea?", Constraints(), quotes, 10, "hybrid")
    # The same statement's points that carry half the lead's subject follow, whatever their relevance.
    assert judge(open_question, 3).quotes == (lead, other, point)
    fact_question = SearchResult("How many troops did NATO send?", Constraints(), quotes, 10, "hybrid")
    assert judge(fact_question, 3).quotes == (lead, other)
    # An opening paragraph that repeats the question's every word leads; the speaker's own
    # words on the subject share fewer of them but are nearly as relevant: they are a point.
    opening, words, aside = at("a", 0.87, 0.80), at("a", 0.37, 0.67), at("a", 0.37, 0.60)
    said = SearchResult("What did Ellison say about non-compete agreements?", Constraints(), (opening, words, aside), 10, "hybrid")
    assert judge(said, 3).quotes == (opening, words)


def test_a_quote_without_a_number_the_question_names_answers_nothing() -> None:
    # Asked about the act "for Fiscal Year 2020", a quote about the one for 2022 is another act.
    assert not judge(result(replace(q(0.9, 0.6), numbers_held=False)), 3).answerable
    assert not judge(result(replace(q(0.9, 0.6), numbers_held=False, relevance=0.8)), 3).answerable


def said(doc: str, text: str, relevance: float) -> Quote:
    """A re-scored quote of a press release, with the question's words."""
    ref = SourceRef(doc, "Press release", "2010-09-11", "", "press release", f"{doc}.txt", 0, len(text))
    return Quote(ref, text, 1.0, 0.5, 1.0, 0.6, own_coverage=0.6, relevance=relevance)


def test_another_statement_follows_only_if_it_holds_the_names_the_lead_holds() -> None:
    lead = said("a", "Forces used a loudspeaker near the village of Sanzar to call the occupants out.", 0.60)
    elsewhere = said("b", "Afghan forces used a loudspeaker to call for all occupants to exit.", 0.55)
    nearby = said("c", "Near Sanzar, forces again used a loudspeaker.", 0.52)
    question = SearchResult("Why did forces use a loudspeaker near the village of Sanzar?", Constraints(), (lead, elsewhere, nearby), 10, "hybrid")
    # Another village's loudspeaker is no answer about Sanzar's; another release about Sanzar is.
    assert judge(question, 3).quotes == (lead, nearby)


def test_of_two_quotes_about_as_relevant_the_one_naming_what_is_asked_about_leads() -> None:
    other = said("a", "Inmediata agreed to settle its data breach for $1.4 million.", 0.636)
    named = said("b", "The coalition investigates the T-Mobile data breach.", 0.633)
    question = "What did the attorneys general do about T-Mobile's data breach?"
    assert judge(SearchResult(question, Constraints(), (other, named), 10, "hybrid"), 3).quotes[0] is named
    # Clearly less relevant, the quote naming it does not lead.
    far = replace(named, relevance=0.50)
    assert judge(SearchResult(question, Constraints(), (other, far), 10, "hybrid"), 3).quotes[0] is other
    # Asked how much was paid, the named statement gives no sum, and another's sum is no answer.
    paid = SearchResult("How much did T-Mobile pay to settle its data breach?", Constraints(), (other, replace(named, typed=False)), 10, "hybrid")
    assert not judge(paid, 3).answerable


def test_a_decline_names_what_the_documents_never_mention_before_the_speaker_asked_about() -> None:
    question = "Summarize the Administration's view of the Keystone pipeline."
    asked = Constraints(person="Administration")
    # The documents never mention Keystone: that, not the speaker, is why nothing answers.
    result = SearchResult(question, asked, (q(0.2, 0.2),), 10, "hybrid", unknown_names=("Keystone",))
    assert not_found_text(result, FACTS, [], Verdict(False, (), "x")).startswith("The documents never mention Keystone")
    # With every name known, the speaker is named as the question names it, with its article.
    result = SearchResult(question.replace("Keystone", "FAA"), asked, (q(0.2, 0.2),), 10, "hybrid")
    assert not_found_text(result, FACTS, [], Verdict(False, (), "x")).startswith("No statement in the documents is by the Administration,")


def test_a_span_of_one_day_is_said_once() -> None:
    assert CorpusFacts.of([parse_iso("2019-05-04"), parse_iso("2019-05-04")]).span() == "dated 4 May 2019"
    assert FACTS.span() == "dated 15 April 2013 to 31 January 2023"


def _line(text: str, own: float, relevance: float, title: str = "Statement by Mayor Vasquez on the Flood Barrier") -> Quote:
    ref = SourceRef("d", title, "2019-03-12", "Elena Vasquez", "statement", "d.txt", 0, len(text))
    return Quote(ref, text, 1.0, 0.5, 1.0, 0.6, own_coverage=own, relevance=relevance)


def test_asked_what_was_said_a_line_without_the_question_s_words_is_no_point() -> None:
    dateline = _line("RIVERTON, March 12, 2019", own=0.0, relevance=0.70)
    said = _line("The city has secured $4.2 million to build a flood barrier.", own=0.5, relevance=0.66)
    title = _line("Statement by Mayor Vasquez on the Flood Barrier", own=0.5, relevance=0.62)
    asked = SearchResult("What did the mayor say about the flood barrier?", Constraints(), (dateline, said, title), 10, "hybrid")
    # The dateline leads no more, and the title line is said by the sources list, not as a point.
    assert judge(asked, 3).quotes == (said,)
    # Asked for a date, a dateline may well be the answer.
    when = replace(asked, question="In which newspaper and on what date did it appear?")
    assert judge(when, 3).quotes[0] is dateline
