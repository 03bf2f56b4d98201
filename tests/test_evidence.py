from datetime import date

from embeddings.dates import parse_iso
from qa.constraints import Constraints, Period
from qa.evidence import CorpusFacts, Verdict, judge, not_found_text
from qa.retrieve import Quote, SearchResult, SourceRef


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


def test_not_found_says_what_the_corpus_holds() -> None:
    facts = CorpusFacts.of([parse_iso("2013-04-15"), parse_iso("2017-10-31"), parse_iso("2023-01-31")])
    period = Period(date(2015, 1, 1), date(2015, 12, 31), "2015")
    text = not_found_text(result(period=period), facts, [date(2013, 4, 15), date(2017, 10, 31)], Verdict(False, (), "x"))
    assert "No statement in the documents is dated 2015" in text
    assert "nearest are from 2013 and 2017" in text
    assert "3 statements" in text
