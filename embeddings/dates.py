"""The date a statement was made, read from where documents print it. Pure functions.

A statement prints its own date in its header: a dateline ("January 21, 2019 (SAINT PAUL) —",
"KABUL, Afghanistan (Jan. 25, 2013) –", "From the Daily Advertiser. Thursday, November 22,
1787."), a line of its own ("June 26, 2009", "• 31 Oct. 2017 -"), or a page title. A date
the body mentions ("Resolution 2375 adopted on 11 September 2017") is not the statement's
date, so only dates that stand in a dateline's place count: in a short header paragraph, or
at the start of one. In order of trust:

1. a full date in the header paragraphs (furniture such as "Last updated" already left out),
   unless the page title and the file name both give another date, the same one;
2. a full date in a header hint (an HTML ``<title>``);
3. a day and month without a year ("(Dec. 9)") whose year and month come from a year-month
   identifier in the header or the file name ("2010-12-S-098", "2019_01_21_...");
4. a full date in the file name;
5. a year-month identifier alone: the statement is known to the month.
Otherwise the document is undated; nothing is guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _number:
        MONTHS[_name.lower()] = _number
        MONTHS[_name[:3].lower()] = _number
MONTHS["sept"] = 9

#: Regex pieces for a month name, a day and a year (1500-2099), shared by every date reader.
MONTH_PATTERN = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
DAY_PATTERN = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR_PATTERN = r"(?P<year>1[5-9]\d\d|20\d\d)"
_MONTH, _DAY, _YEAR = MONTH_PATTERN, DAY_PATTERN, YEAR_PATTERN

# The most explicit forms first, so "April 15, 2013" is not read as "April 15".
_FULL_PATTERNS = (
    re.compile(rf"(?<!\d){_YEAR}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)(?!\d)"),
    re.compile(rf"\b{_DAY}[ -]{_MONTH}[ ,-]+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    # Numbers only ("12/22/2019", "22.12.2019"): read only when no order of day and month but
    # one makes a date; "03/04/2019" may be March or April, and nothing is guessed.
    re.compile(rf"(?<![\d/.])(?P<na>[0-3]?\d)(?P<sep>[/.])(?P<nb>[0-3]?\d)(?P=sep){_YEAR}(?![\d/])"),
)
# A day and month without a year: "(Dec. 9)", "Dec. 6:" at the start of a title.
_PARTIAL_PATTERNS = (
    re.compile(rf"\(\s*{_MONTH} ?{_DAY}\s*\)", re.IGNORECASE),
    re.compile(rf"^\s*{_MONTH} ?{_DAY}\s*:", re.IGNORECASE | re.MULTILINE),
)
# A year and month, perhaps a day, in an identifier or file name: 2010-12-S-098, 2019_01_21.
_IDENTIFIER = re.compile(r"(?<!\d)(?P<year>1[5-9]\d\d|20\d\d)[-_/.](?P<month>0[1-9]|1[0-2])(?:[-_/.](?P<day>0[1-9]|[12]\d|3[01]))?(?!\d)")

#: How many leading paragraphs form the header, where a statement prints its date...
HEADER_PARAGRAPHS = 8
#: ...within this many characters of the start.
HEADER_CHARS = 1500
#: A date counts when its paragraph is this short (a dateline of its own)...
DATELINE_WORDS = 25
#: ...or when it stands this close to its paragraph's start ("KABUL (Dec. 9) - ...").
DATELINE_OFFSET = 60


@dataclass(frozen=True)
class StatementDate:
    """A statement's date, possibly known only to the month.

    ``iso`` is ``YYYY-MM-DD`` or ``YYYY-MM``; ``first`` and ``last`` bound the days it may be.
    """

    iso: str
    first: date
    last: date

    @property
    def year(self) -> int:
        return self.first.year


def day_date(value: date) -> StatementDate:
    """A date known to the day."""
    return StatementDate(value.isoformat(), value, value)


def month_date(year: int, month: int) -> StatementDate:
    """A date known only to the month."""
    last = calendar.monthrange(year, month)[1]
    return StatementDate(f"{year:04d}-{month:02d}", date(year, month, 1), date(year, month, last))


def parse_iso(value: str) -> StatementDate:
    """Read ``YYYY-MM-DD`` or ``YYYY-MM`` (as written in sidecars and indexes).

    Raises:
        ValueError: if the value is neither form.
    """
    parts = value.strip().split("-")
    try:
        if len(parts) == 3:
            return day_date(date(int(parts[0]), int(parts[1]), int(parts[2])))
        if len(parts) == 2:
            return month_date(int(parts[0]), int(parts[1]))
    except ValueError:
        pass
    raise ValueError(f"not an ISO date: {value!r} (write YYYY-MM-DD or YYYY-MM)")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_number(name: str) -> int:
    """1..12 for a month name or abbreviation ("Sept.", "dec")."""
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def full_dates(text: str) -> list[tuple[int, date]]:
    """Every full date written in a text, with its offset, in reading order.

    Example:
        >>> [d.isoformat() for _, d in full_dates("Friday, December 7, 1787 and 15 Apr. 2013")]
        ['1787-12-07', '2013-04-15']
        >>> [d.isoformat() for _, d in full_dates("12/22/2019, 22.12.2019, but not 03/04/2019")]
        ['2019-12-22', '2019-12-22']
    """
    found: dict[int, date] = {}
    taken: list[tuple[int, int]] = []
    for pattern in _FULL_PATTERNS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            groups = match.groupdict()
            if groups.get("mnum"):
                value = _safe_date(int(groups["year"]), int(groups["mnum"]), int(groups["dnum"]))
            elif groups.get("na"):
                a, b, year = int(groups["na"]), int(groups["nb"]), int(groups["year"])
                readings = {d for d in (_safe_date(year, a, b), _safe_date(year, b, a)) if d}
                value = readings.pop() if len(readings) == 1 else None
            else:
                value = _safe_date(int(groups["year"]), month_number(groups["month"]), int(groups["day"]))
            if value:
                found[match.start()] = value
                taken.append(match.span())
    return sorted(found.items())


def _infer_year(month: int, context_year: int, context_month: int) -> int:
    """The year of a month-and-day date, given a year-month it was issued under.

    A release numbered in December may report events of early January, and the reverse.
    """
    if context_month == 12 and month == 1:
        return context_year + 1
    if context_month == 1 and month == 12:
        return context_year - 1
    return context_year


def identifier(text: str) -> re.Match[str] | None:
    """The first year-month identifier in a text ("2010-12-S-098", "2019_01_21"), if any."""
    return _IDENTIFIER.search(text)


def _corroborated(dateline: date, hinted: date | None, filename: str) -> date:
    """The dateline's date, unless the page title and the file name agree on another: a
    dateline typed "January 22, 2020" on the page "January 22, 2021 Press Release", saved as
    "2021_01_22_...", has the wrong year. Two sources that agree outvote the one that differs."""
    named = identifier(filename)
    if hinted is None or named is None or not named["day"] or hinted == dateline:
        return dateline
    if _safe_date(int(named["year"]), int(named["month"]), int(named["day"])) == hinted:
        return hinted
    return dateline


def statement_date(
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    hints: Sequence[str] = (),
    filename: str = "",
) -> StatementDate | None:
    """The date a statement was made (see the module docstring for the order of trust).

    Args:
        text: the stored text.
        paragraphs: its paragraph spans (furniture already left out), in order.
        hints: header texts from outside the body (an HTML ``<title>``).
        filename: the file's path in the corpus, for year-month identifiers.

    Example:
        >>> t = "Strike in Kandahar\\n\\n2010-12-S-098 KABUL (Dec. 9) - Forces left."
        >>> statement_date(t, [(0, 18), (20, len(t))], filename="2010-12-S-098.txt").iso
        '2010-12-09'
        >>> statement_date("Forces left.", [(0, 12)], filename="2010-12-S-098.txt").iso
        '2010-12'
    """
    header = [(a, b) for a, b in paragraphs[:HEADER_PARAGRAPHS] if a < HEADER_CHARS]
    hinted = next((value for hint in hints for _, value in full_dates(hint)), None)
    for a, b in header:
        paragraph = text[a:b]
        short = len(paragraph.split()) <= DATELINE_WORDS
        for offset, value in full_dates(paragraph):
            if short or offset <= DATELINE_OFFSET:
                return day_date(_corroborated(value, hinted, filename))
    if hinted is not None:
        return day_date(hinted)
    header_text = "\n".join(text[a:b] for a, b in header)
    context = identifier(header_text) or identifier(filename)
    if context is not None:
        year, month = int(context["year"]), int(context["month"])
        for a, b in header:
            for pattern in _PARTIAL_PATTERNS:
                match = pattern.search(text[a:b])
                if match and (match.start() <= DATELINE_OFFSET or len(text[a:b].split()) <= DATELINE_WORDS):
                    found_month = month_number(match["month"])
                    value = _safe_date(_infer_year(found_month, year, month), found_month, int(match["day"]))
                    if value:
                        return day_date(value)
    named = identifier(filename)
    if named is not None and named["day"]:
        value = _safe_date(int(named["year"]), int(named["month"]), int(named["day"]))
        if value:
            return day_date(value)
    if context is not None:
        return month_date(int(context["year"]), int(context["month"]))
    return None
