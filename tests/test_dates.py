from datetime import date

import pytest

from embeddings.dates import extract_date, month_date, parse_iso


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("Joint press conference\n\n  • 15 Apr. 2013 -\n  • |\n  • Last updated 17-Apr-2013 14:15\n", "", "2013-04-15"),
        ("Courtesy call\nMonday, April 15, 2013\nOn April 15, commencing", "", "2013-04-15"),
        ("KABUL, Afghanistan (Jan. 25, 2013) - An Afghan ...", "", "2013-01-25"),
        ("Released 2017-10-31 by NATO", "", "2017-10-31"),
        ("statement of 31 October 2017.", "", "2017-10-31"),
        ("ISAF Joint Command - Afghanistan 2010-12-S-098 For Immediate Release KABUL, Afghanistan (Dec. 9) - ...", "", "2010-12-09"),
        ("Dec. 6: Operations Conducted in Laghman\nNEWS RELEASE 2009-12-CA-060 For Immediate Release", "", "2009-12-06"),
        # Numbered in November, dated in December of the same year.
        ("NEWS RELEASE 2009-11-CA-056 For Immediate Release KABUL, Afghanistan (Dec. 02) - ...", "", "2009-12-02"),
        # Numbered in December, reporting early January: the next year.
        ("2010-12-S-300 For Immediate Release KABUL, Afghanistan (Jan. 1) - ...", "", "2011-01-01"),
        # A year only in the file name.
        ("KABUL, Afghanistan (Feb. 05)\nIn Karjan district ...", "2011-02-S-010.txt", "2011-02-05"),
        # No day anywhere: the release number's month.
        ("More than 20 Insurgents Captured\nNEWS RELEASE 2010-03-AO-046 For Immediate Release\n In the Jharai district", "", "2010-03"),
    ],
)
def test_statement_dates_in_the_usual_forms(text: str, hint: str, expected: str) -> None:
    found = extract_date(text, hint)
    assert found is not None and found.iso == expected


def test_a_document_without_a_date_is_undated() -> None:
    assert extract_date("NATO and Japan sign Political Declaration\n\nFrom NATO: This is the first joint declaration.") is None


def test_body_dates_do_not_date_the_statement() -> None:
    text = "Title\n\n" + "Words. " * 150 + "Resolution adopted on 11 September 2017."
    assert extract_date(text) is None


def test_month_precision_bounds() -> None:
    feb = month_date(2012, 2)
    assert (feb.first, feb.last) == (date(2012, 2, 1), date(2012, 2, 29))
    assert parse_iso("2012-02") == feb
    with pytest.raises(ValueError):
        parse_iso("15/04/2013")
