"""Find the date a statement was made, from the words of its header.

Pure functions. They read dates as official statements and press releases write them
("15 Apr. 2013", "Monday, April 15, 2013", "Jan. 25, 2013", "2013-04-15", "(Dec. 9)" whose
year comes from a release number such as ``2010-12-S-098``). They do not guess a date
from the body of a document: a body mentions many dates, and the statement's own is in its
header.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _number:
        MONTHS[_name.lower()] = _number
        MONTHS[_name[:3].lower()] = _number
MONTHS["sept"] = 9

_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Ordered: the most explicit forms first, so "April 15, 2013" is not read as "April 15".
_FULL_PATTERNS = (
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"),
    re.compile(rf"\b{_DAY}[ -]{_MONTH}[ ,-]+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH} {_DAY},? {_YEAR}\b", re.IGNORECASE),
)
# A day and month without a year: "(Dec. 9)", "Dec. 6:" at the start of a title.
_PARTIAL_PATTERNS = (
    re.compile(rf"\(\s*{_MONTH} ?{_DAY}\s*\)", re.IGNORECASE),
    re.compile(rf"^\s*{_MONTH} ?{_DAY}\s*:", re.IGNORECASE | re.MULTILINE),
)
# Release numbers such as 2010-12-S-098 or 2009-11-CA-056 carry the year and month.
RELEASE_NUMBER = re.compile(r"\b(?P<year>20\d\d)-(?P<month>[01]\d)-(?P<kind>[A-Z]{1,3})-(?P<seq>\d{2,4})\b")

#: How far into a document its own date is looked for (characters).
HEADER_CHARS = 700


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
    if len(parts) == 3:
        return day_date(date(int(parts[0]), int(parts[1]), int(parts[2])))
    if len(parts) == 2:
        return month_date(int(parts[0]), int(parts[1]))
    raise ValueError(f"not an ISO date: {value!r} (write YYYY-MM-DD or YYYY-MM)")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def _infer_year(month: int, release_year: int, release_month: int) -> int:
    """The year of a month-and-day date, given the release it appeared in.

    A release numbered in December may report events of early January, and the reverse.
    """
    if release_month == 12 and month == 1:
        return release_year + 1
    if release_month == 1 and month == 12:
        return release_year - 1
    return release_year


def find_release_number(text: str) -> re.Match[str] | None:
    """The first release number (``2010-12-S-098``) in a text, if any."""
    return RELEASE_NUMBER.search(text)


def extract_date(text: str, hint: str = "") -> StatementDate | None:
    """The statement's date from the header of ``text``.

    Args:
        text: the document text.
        hint: other text that may carry a release number (the file name).

    Returns:
        The first full date in the header; else a day and month dated by a release number;
        else the release number's month; else None.

    Example:
        >>> extract_date("Title\\n  • 31 Oct. 2017 -\\n").iso
        '2017-10-31'
        >>> extract_date("2010-12-S-098 For Immediate Release KABUL (Dec. 9) - ...").iso
        '2010-12-09'
    """
    header = text[:HEADER_CHARS]
    best: tuple[int, StatementDate] | None = None
    for pattern in _FULL_PATTERNS:
        for match in pattern.finditer(header):
            groups = match.groupdict()
            if groups.get("mnum"):
                found = _safe_date(int(groups["year"]), int(groups["mnum"]), int(groups["dnum"]))
            else:
                found = _safe_date(int(groups["year"]), _month_number(groups["month"]), int(groups["day"]))
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), day_date(found))
            break
    if best:
        return best[1]
    release = find_release_number(header) or find_release_number(hint)
    if release is None:
        return None
    release_year, release_month = int(release["year"]), int(release["month"])
    for pattern in _PARTIAL_PATTERNS:
        match = pattern.search(header)
        if match:
            month = _month_number(match["month"])
            found = _safe_date(_infer_year(month, release_year, release_month), month, int(match["day"]))
            if found:
                return day_date(found)
    if 1 <= release_month <= 12:
        return month_date(release_year, release_month)
    return None
