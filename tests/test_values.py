"""Dates and numbers read exactly from text (pure)."""

from datetime import date

from qa.values import dates_in, iso_mention, numbers_in


def test_dates_are_read_as_the_days_they_may_mean() -> None:
    found = dates_in("Signed on 15 April 2013 (Monday, April 15, 2013), in force since May 2014, reviewed in 2017 and 2013-04-16.")
    assert [m.label() for m in found] == ["15 April 2013", "15 April 2013", "May 2014", "2017", "16 April 2013"]
    assert found[2].first == date(2014, 5, 1) and found[2].last == date(2014, 5, 31)


def test_a_day_and_month_take_the_statements_year_only_when_known() -> None:
    assert dates_in("On April 15, at 6:15 p.m.") == []
    assert [m.label() for m in dates_in("On April 15, at 6:15 p.m.", year=2013)] == ["15 April 2013"]


def test_an_impossible_date_is_no_date() -> None:
    assert dates_in("on 31 September 2017") == []
    assert numbers_in("on 31 September 2017") == ["31", "2017"]


def test_numbers_outside_dates_are_normalised() -> None:
    assert numbers_in("2% of GDP by 2027, 5,000 troops and Resolution 2375 on 11 September 2017") == ["2", "5000", "2375"]


def test_spans_nest_and_overlap() -> None:
    day, year = dates_in("15 April 2013")[0], dates_in("2013")[0]
    assert day.within(year) and not year.within(day) and day.overlaps(year)
    assert not day.overlaps(dates_in("12 December 2009")[0])
    assert iso_mention("2013-04") is not None and iso_mention("2013-04").label() == "April 2013"


def test_eighteenth_century_dates_are_dates() -> None:
    from qa.values import dates_in

    spans = dates_in("From the Daily Advertiser. Thursday, November 22, 1787.")
    assert any(s.first.isoformat() == "1787-11-22" for s in spans)
