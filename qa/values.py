"""Dates and numbers a text states, read exactly. Pure functions.

A generated sentence may only state a date or a number that its quote (or the quote's own
statement date) states, and two sources disagree when they state different ones for the same
fact. Both checks need the same reading of "15 April 2013", "April 15, 2013", "April 2013",
"2013" and "5,000", so it lives here, once.

A date is read as the span of days it may mean: "2013" is 1 January to 31 December 2013,
"15 April 2013" that one day. A day and month without a year ("On April 15") take the year
of the statement they appear in, when it is known. What this does not read: relative dates
("last year", "two years ago"), ranges ("2013-2017" reads as two years, which is what a check needs), or numbers written
as words ("three") - those stay words, and words are checked as words.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from embeddings.dates import DAY_PATTERN, MONTH_PATTERN, YEAR_PATTERN, month_number

# One reading of months, days and years for documents and answers alike (years 1500-2099).
_MONTH, _DAY, _YEAR = MONTH_PATTERN, DAY_PATTERN, YEAR_PATTERN
# Most explicit forms first; a span read by one form is not read again by a later one.
_FORMS = (
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}(?:\s+of)?[ -]{_MONTH}[ ,-]+{_YEAR}\b"),
    re.compile(rf"\b{_MONTH} {_DAY},? {_YEAR}\b"),
    re.compile(rf"\b{_MONTH},? {_YEAR}\b"),
    re.compile(rf"\b{_DAY}(?:\s+of)? {_MONTH}(?![\w-])"),
    re.compile(rf"\b{_MONTH} {_DAY}\b(?!,? (?:1[5-9]|20)\d\d)"),
    re.compile(rf"(?<![\d.,]){_YEAR}(?!\d|\.\d|,\d)"),
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class DateMention:
    """A date written in a text: the days it may mean, and where it stands."""

    first: date
    last: date
    start: int
    end: int

    def within(self, other: DateMention) -> bool:
        """Whether every day this mention may mean lies inside ``other``'s span."""
        return other.first <= self.first and self.last <= other.last

    def overlaps(self, other: DateMention) -> bool:
        """Whether the two mentions may mean the same day."""
        return self.first <= other.last and other.first <= self.last

    def label(self) -> str:
        """'15 April 2013', 'April 2013' or '2013', as precise as the mention was."""
        if self.first == self.last:
            return f"{self.first.day} {self.first.strftime('%B %Y')}"
        if self.first.month == self.last.month and self.first.year == self.last.year:
            return self.first.strftime("%B %Y")
        if self.first.year == self.last.year:
            return str(self.first.year)
        return f"{self.first.year}–{self.last.year}"


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return month_number(key)


def _span(year: int, month: int | None, day: int | None) -> tuple[date, date] | None:
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None  # "31 September": no such day, so no date is stated


def dates_in(text: str, year: int | None = None) -> list[DateMention]:
    """The dates a text states, in order.

    Args:
        text: any text.
        year: the year of the statement the text comes from, for "On April 15"; without it
            a day and month alone are not read as a date.

    Example:
        >>> [m.label() for m in dates_in("Signed on 15 April 2013, in force since May 2014 and reviewed in 2017.")]
        ['15 April 2013', 'May 2014', '2017']
        >>> [m.label() for m in dates_in("On April 15, at 6 p.m.", year=2013)]
        ['15 April 2013']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for form in _FORMS:
        for match in form.finditer(text):
            a, b = match.span()
            if any(a < end and start < b for start, end in taken):
                continue
            groups = match.groupdict()
            if groups.get("mnum"):
                span = _span(int(groups["year"]), int(groups["mnum"]), int(groups["dnum"]))
            elif groups.get("year") or year is not None:
                y = int(groups["year"]) if groups.get("year") else year
                month = _month(groups["month"]) if groups.get("month") else None
                day = int(groups["day"]) if groups.get("day") else None
                if y is None:
                    continue
                span = _span(y, month, day)
            else:
                continue
            taken.append((a, b))
            if span is not None:
                found.append(DateMention(span[0], span[1], a, b))
    return sorted(found, key=lambda m: m.start)


def iso_mention(iso: str | None) -> DateMention | None:
    """A statement's own date (``YYYY-MM-DD`` or ``YYYY-MM``) as a mention with no place in a text."""
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")]
    span = _span(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)
    return DateMention(span[0], span[1], -1, -1) if span else None


def number_spans(text: str, dates: list[DateMention] | None = None) -> list[tuple[int, int]]:
    """Where the numbers a text states outside its dates stand.

    Example:
        >>> number_spans("5,000 troops on 15 April 2013")
        [(0, 5)]
    """
    dates = dates_in(text) if dates is None else dates
    return [match.span() for match in _NUMBER.finditer(text) if not any(m.start <= match.start() < m.end for m in dates)]


def numbers_in(text: str, dates: list[DateMention] | None = None) -> list[str]:
    """The numbers a text states outside its dates, normalised ("5,000" -> "5000").

    Example:
        >>> numbers_in("2% of GDP by 2027, and 5,000 troops on 15 April 2013")
        ['2', '5000']
    """
    return [text[a:b].replace(",", "").rstrip(".") for a, b in number_spans(text, dates)]


def mentions_within(text: str, first: date, last: date) -> bool:
    """Whether a text states a date that lies wholly within [first, last] ("in 2017" for 2017).

    Example:
        >>> mentions_within("In 2017 the Bureau had about 1,000 open investigations.", date(2017, 1, 1), date(2017, 12, 31))
        True
        >>> mentions_within("Reviewed between 2016 and 2018.", date(2017, 1, 1), date(2017, 12, 31))
        False
    """
    return any(first <= m.first and m.last <= last for m in dates_in(text))
