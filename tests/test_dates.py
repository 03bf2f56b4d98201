from datetime import date

import pytest

from embeddings.dates import full_dates, month_date, parse_iso, statement_date
from embeddings.layout import paragraph_spans


def _date(text: str, filename: str = "", hints: tuple[str, ...] = ()) -> str | None:
    found = statement_date(text, paragraph_spans(text), hints, filename)
    return found.iso if found else None


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        ("Joint press conference\n\n  • 15 Apr. 2013 -\n\nThe Secretary General spoke.", "", "2013-04-15"),
        ("Courtesy call\nMonday, April 15, 2013\nOn April 15, commencing at six, the Prime Minister received the call.", "", "2013-04-15"),
        ("KABUL, Afghanistan (Jan. 25, 2013) - An Afghan and coalition force detained two suspects.", "", "2013-01-25"),
        ("January 21, 2019 (SAINT PAUL) — Attorney General Keith Ellison issued the following statement.", "", "2019-01-21"),
        ("FEDERALIST No. 10\n\nTitle\n\nFrom the Daily Advertiser. Thursday, November 22, 1787.\n\nMADISON", "", "1787-11-22"),
        ("EXECUTIVE OFFICE\nJune 26, 2009\n(House)\nSTATEMENT OF ADMINISTRATION POLICY", "", "2009-06-26"),
        # A day and month, dated by a year-month identifier in the text or the file name.
        ("2010-12-S-098 KABUL, Afghanistan (Dec. 9) - Forces detained a leader.", "", "2010-12-09"),
        ("NEWS RELEASE 2009-11-CA-056 KABUL, Afghanistan (Dec. 02) - Forces struck.", "", "2009-12-02"),
        ("2010-12-S-300 KABUL, Afghanistan (Jan. 1) - Forces struck.", "", "2011-01-01"),
        ("KABUL, Afghanistan (Feb. 05)\nIn Karjan district forces struck.", "2011-02-S-010.txt", "2011-02-05"),
        # Only the file name carries the date; only a release number: known to the month.
        ("A statement without any date at all in its text.", "2019_01_21_Statement.html", "2019-01-21"),
        ("More than 20 Insurgents Captured\nNEWS RELEASE 2010-03-AO-046\nIn the Jharai district forces met.", "", "2010-03"),
    ],
)
def test_statement_dates_in_the_usual_places(text: str, filename: str, expected: str) -> None:
    assert _date(text, filename) == expected


def test_text_beats_the_file_name_and_a_page_title_fills_in() -> None:
    assert _date("Title\n\nJuly 11, 2017\n\nThe Administration supports the bill.", "2017-07-12_hr2810.pdf") == "2017-07-11"
    assert _date("Headline only.\n\nA body without a date of its own.", hints=("January 21, 2019 Press Release",)) == "2019-01-21"


def test_a_dateline_outvoted_by_the_page_title_and_the_file_name() -> None:
    # The published dateline has the wrong year; the page title and the file name agree.
    text = "Restaurants agree to comply\n\nJanuary 22, 2020 (SAINT PAUL) — The State reached agreements."
    title = ("January 22, 2021 Press Release",)
    assert _date(text, "_Office_Communications_2021_01_22_RestaurantSettlements.html", title) == "2021-01-22"
    # One source against the dateline is not enough: the dateline stands.
    assert _date(text, "", title) == "2020-01-22"
    assert _date(text, "2021_01_22_RestaurantSettlements.html") == "2020-01-22"
    assert _date(text, "2019_05_02_Other.html", title) == "2020-01-22"


def test_dates_the_body_mentions_do_not_date_the_statement() -> None:
    text = "Title\n\n" + "The Council met and spoke at length about the matter. " * 8 + "Resolution 2375 was adopted on 11 September 2017."
    assert _date(text) is None
    assert _date("NATO and Japan sign a declaration\n\nFrom NATO: This is the first joint declaration.") is None
    # A year-less date with no year anywhere stays undated, never guessed.
    assert _date("KABUL, Afghanistan (Jan. 14) - Forces struck.", "release_29.txt") is None


def test_full_dates_in_every_written_form() -> None:
    text = "15 Apr. 2013, 17-Apr-2013, April 15, 2013, Friday, December 7, 1787 and 2017-10-31"
    assert [d.isoformat() for _, d in full_dates(text)] == ["2013-04-15", "2013-04-17", "2013-04-15", "1787-12-07", "2017-10-31"]


def test_month_precision_bounds() -> None:
    feb = month_date(2012, 2)
    assert (feb.first, feb.last) == (date(2012, 2, 1), date(2012, 2, 29))
    assert parse_iso("2012-02") == feb
    with pytest.raises(ValueError):
        parse_iso("15/04/2013")
    with pytest.raises(ValueError):
        parse_iso("2013-02-30")
