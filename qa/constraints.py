"""Read what a question asks about time, speaker and kind of document. Pure functions.

The period a question names ("in 2017", "in June 2011", "between 2013 and 2017", "since
2020", "before 2015") filters on the date a statement was made, never on dates mentioned
inside it. "latest" / "most recent" asks for the newest matching statement. Speakers and
document types are matched against what the corpus actually holds, so nothing here knows
any particular name.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from wordfreq import zipf_frequency

from embeddings.bm25 import tokenize
from embeddings.dates import MONTHS
from embeddings.layout import sentence_spans

_YEAR_WORD = r"(?:1[5-9]|20)\d\d"
_YEAR = rf"({_YEAR_WORD})"
_MONTH_WORDS = r"january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
_MONTH_NAMES = rf"({_MONTH_WORDS})\.?"
_RANGE = re.compile(rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|until|through)\s+{_YEAR}\b|\b{_YEAR}\s*[-–]\s*{_YEAR}\b", re.I)
# "2017-18": a span whose second year is written short.
_SHORT_RANGE = re.compile(rf"\b{_YEAR}\s*[-–/]\s*(\d\d)\b(?![-–/.]\d)")
# A day: "15 April 2013", "April 15, 2013".
_DAY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAMES}\s*,?\s+{_YEAR}\b|\b{_MONTH_NAMES}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+{_YEAR}\b", re.I)
# Years named one by one: "in 2013 and 2023", "in 2020 and in 2024", "in 2013, 2017 or 2023";
# the last may come with a few words that ask again ("in 2013, and which in 2017").
_YEAR_LIST = re.compile(
    rf"\b(?:in|during|of)\s+{_YEAR}((?:\s*,\s*(?:in\s+)?{_YEAR_WORD})*\s*,?\s+(?:and|or)\s+(?:(?:[A-Za-z]+\s+){{0,3}}?in\s+)?{_YEAR_WORD})\b",
    re.I,
)
# Months, not the years alone: "between June and August 2011", "from June 2011 to May 2012".
_MONTH_RANGE = re.compile(
    rf"\b(?:between|from)\s+{_MONTH_NAMES}(?:\s+{_YEAR})?\s+(?:and|to|until|through)\s+{_MONTH_NAMES}\s*,?\s+{_YEAR}\b", re.I
)
# Months named one by one: "in June and July 2019", "in May 2019 or June 2020"; the last may
# come with a few words of its own ("in August 2010 and in the Pech River Valley in November 2010").
_MONTH_LIST = re.compile(
    rf"\b(?:in|during)\s+{_MONTH_NAMES}(?:\s+{_YEAR_WORD})?((?:\s*,\s*(?:in\s+)?(?:{_MONTH_WORDS})(?:\s+{_YEAR_WORD})?)*"
    rf"\s*,?\s+(?:and|or)\s+(?:(?:in\s+)?(?:[\w'’.-]+\s+){{0,5}}?in\s+)?(?:{_MONTH_WORDS})\.?\s*,?\s+{_YEAR_WORD})\b",
    re.I,
)
_SINCE = re.compile(rf"\b(since|after|from)\s+(?:{_MONTH_NAMES}\s+)?{_YEAR}\b", re.I)
_BEFORE = re.compile(rf"\b(before|until|up to|through|prior to)\s+(?:{_MONTH_NAMES}\s+)?{_YEAR}\b", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH_NAMES}\s*,?\s+{_YEAR}\b", re.I)
_IN_YEAR = re.compile(
    rf"\b(?:in|during|of|for the year)\s+(?:the\s+year\s+|early\s+|late\s+|mid-?\s*)?{_YEAR}\b|\bthe\s+{_YEAR}\s+(?:statement|declaration|meeting|press|visit|joint|remarks|speech)",
    re.I,
)
# Titles that may stand before a name in a question ("did Attorney General Ellison say").
ROLE_WORDS = r"(?:(?:Attorney|Secretary|Solicitor)\s+General|Secretary[- ]General|Prime\s+Minister|President|Minister|Governor|Senator|Mayor|Ambassador|Judge|Justice|General|AG|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)"
# Capitalised words a question may put where a person would stand, that are never one.
_NOT_PEOPLE = frozenset("the it they he she we you this that these those what which who there".split())
_LATEST = re.compile(r"\b(latest|most recent|newest|last statement|recently|most recently)\b", re.I)
_EARLIEST = re.compile(r"\b(earliest|first statement|oldest)\b", re.I)


#: Words that only say when (as BM25 tokens): months, "latest", "since", "year"...
TIME_WORDS = frozenset(
    tokenize(
        "latest recent newest recently earliest oldest first last since before after between until during from "
        "year years month " + " ".join(MONTHS)
    )
)


@dataclass(frozen=True)
class Period:
    """An inclusive span of days, with the words a reader would use for it."""

    first: date
    last: date
    label: str
    # Only these spans of days within [first, last], when the question names its years or
    # months one by one ("in 2013 and 2023" is not the years between).
    spans: tuple[tuple[date, date], ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        """The years named one by one, if the question named whole years so."""
        whole = all(a == date(a.year, 1, 1) and b == date(a.year, 12, 31) for a, b in self.spans)
        return tuple(sorted({a.year for a, _ in self.spans})) if self.spans and whole else ()

    def within_year(self, year: int) -> Period:
        """The part of this period that falls in one year, labelled by the year."""
        first, last = max(self.first, date(year, 1, 1)), min(self.last, date(year, 12, 31))
        spans = tuple((max(a, first), min(b, last)) for a, b in self.spans if a <= last and b >= first)
        return Period(first, last, str(year), spans)

    def contains(self, first: date, last: date) -> bool:
        """Whether a statement dated somewhere in [first, last] surely lies in this period."""
        within = self.first <= first and last <= self.last
        return within and (not self.spans or any(a <= first and last <= b for a, b in self.spans))


@dataclass(frozen=True)
class Constraints:
    """What the question (and the user's filters) restrict the search to."""

    period: Period | None = None
    latest: bool = False
    earliest: bool = False
    speakers: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    # The person the question asks about as a speaker ("What did Madison say ..."), known or not.
    person: str | None = None

    @property
    def any(self) -> bool:
        return bool(self.period or self.latest or self.earliest or self.speakers or self.doc_types or self.doc_ids)


def year_period(first_year: int, last_year: int, label: str) -> Period:
    return Period(date(first_year, 1, 1), date(last_year, 12, 31), label)


def month_period(year: int, month: int) -> Period:
    """One calendar month, labelled "June 2011"."""
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), f"{calendar.month_name[month]} {year}")


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def parse_period(question: str) -> Period | None:
    """The period of statements a question asks about, if it names one.

    Example:
        >>> parse_period("What was said between 2013 and 2017?").label
        '2013–2017'
        >>> parse_period("What happened in Ghazni in June 2011?").label
        'June 2011'
        >>> parse_period("What did NATO say in 2013 and in 2023?").years
        (2013, 2023)
        >>> parse_period("Which values did they name in 2013, and which in 2017?").label
        '2013 and 2017'
        >>> parse_period("What did Ellison say between June and August 2019?").label
        'June 2019 to August 2019'
        >>> parse_period("What did Ellison say in June and July 2019?").label
        'June 2019 and July 2019'
        >>> parse_period("What was done in Nuristan in August 2010 and in the Pech River Valley in November 2010?").label
        'August 2010 and November 2010'
    """
    if m := _RANGE.search(question):
        a, b = (int(g) for g in m.groups() if g)
        a, b = min(a, b), max(a, b)
        return year_period(a, b, f"{a}–{b}")
    if (m := _SHORT_RANGE.search(question)) and int(m.group(2)) > int(m.group(1)) % 100:
        a = int(m.group(1))
        b = a - a % 100 + int(m.group(2))
        return year_period(a, b, f"{a}–{b}")
    if m := _MONTH_RANGE.search(question):
        first_month, first_year, last_month, last_year = m.groups()
        start = date(int(first_year or last_year), _month(first_month), 1)
        end_month, end_year = _month(last_month), int(last_year)
        end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        if start <= end:
            return Period(start, end, f"{calendar.month_name[start.month]} {start.year} to {calendar.month_name[end_month]} {end_year}")
    if m := _YEAR_LIST.search(question):
        years = sorted({int(m.group(1)), *(int(y) for y in re.findall(r"\d{4}", m.group(2)))})
        label = f"{', '.join(map(str, years[:-1]))} {_conjunction(m.group(2))} {years[-1]}"
        return replace(year_period(years[0], years[-1], label), spans=tuple((date(y, 1, 1), date(y, 12, 31)) for y in years))
    if m := _MONTH_LIST.search(question):
        return _month_list(m.group())
    if m := _SINCE.search(question):
        word, month, year = m.group(1).lower(), m.group(2), int(m.group(3))
        if month:
            start = date(year, _month(month), 1)
            if word == "after":
                start = date(year + (start.month == 12), start.month % 12 + 1, 1)
            return Period(start, date(9999, 12, 31), f"{word} {calendar.month_name[_month(month)]} {year}")
        start_year = year + 1 if word == "after" else year
        return Period(date(start_year, 1, 1), date(9999, 12, 31), f"{word} {year}")
    if m := _BEFORE.search(question):
        word, month, year = m.group(1).lower(), m.group(2), int(m.group(3))
        inclusive = word in ("until", "up to", "through")
        if month:
            number = _month(month)
            if inclusive:
                end = date(year, number, calendar.monthrange(year, number)[1])
            else:
                end = date.fromordinal(date(year, number, 1).toordinal() - 1)
            return Period(date(1, 1, 1), end, f"{word} {calendar.month_name[number]} {year}")
        end_year = year if inclusive else year - 1
        return Period(date(1, 1, 1), date(end_year, 12, 31), f"{word} {year}")
    if m := _DAY.search(question):
        # A day is searched within its month: a release dated the 16th tells of the 15th as
        # "yesterday", and each quote shows its statement's own date.
        _, month_a, year_a, month_b, _, year_b = m.groups()
        return month_period(int(year_a or year_b), _month(month_a or month_b))
    if m := _MONTH_YEAR.search(question):
        return month_period(int(m.group(2)), _month(m.group(1)))
    if m := _IN_YEAR.search(question):
        year = int(next(g for g in m.groups() if g))
        return year_period(year, year, str(year))
    return None


def _conjunction(text: str) -> str:
    return "or" if re.search(r"\bor\b", text, re.I) else "and"


def _month_list(text: str) -> Period | None:
    """The months of "in June and July 2019" (a month without its year takes the next one's)."""
    named = re.findall(rf"{_MONTH_NAMES}(?:\s*,?\s+{_YEAR})?", text, re.I)
    months: list[tuple[int, int]] = []
    year = None
    for name, written in reversed(named):
        year = int(written) if written else year
        if year is None:
            return None
        months.append((year, _month(name)))
    each = [month_period(y, n) for y, n in sorted(set(months))]
    label = f"{', '.join(p.label for p in each[:-1])} {_conjunction(text)} {each[-1].label}"
    return Period(each[0].first, each[-1].last, label, tuple((p.first, p.last) for p in each))


def names_time(question: str) -> bool:
    """Whether a question states when: a period, or "latest" / "earliest"."""
    return bool(parse_period(question) or _LATEST.search(question) or _EARLIEST.search(question))


def period_phrase(question: str) -> tuple[int, int] | None:
    """Where in the question its period is stated (the span parse_period read), if anywhere."""
    for pattern in (_RANGE, _SHORT_RANGE, _MONTH_RANGE, _YEAR_LIST, _MONTH_LIST, _SINCE, _BEFORE, _DAY, _MONTH_YEAR, _IN_YEAR):
        if m := pattern.search(question):
            start = m.start()
            # Take the preposition with a bare "June 2011" too ("in June 2011").
            before = re.search(r"\b(?:in|during|of)\s+$", question[:start], re.I)
            return (before.start() if before else start), m.end()
    return None


_PERSON_NAME = r"(?P<name>[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*){0,2})"
_SPEECH_VERBS = r"(?:say|said|write|wrote|state|stated|announce|announced|argue|argued|propose|proposed|claim|claimed|think|thought|mention|mentioned|tell|told|declare|declared|promise|promised|warn|warned|urge|urged)"
# What may stand before a name: "former", a role, an abbreviated rank or title ("Col.",
# "Brig. Gen.", "Sen.", "U.S. Attorney"), in any order, a few at most.
_TITLES = rf"(?:(?:former|then-?)\s+|{ROLE_WORDS}\s+|[A-Z][a-z]{{1,4}}\.\s+|(?:[A-Z]\.){{2,3}}\s+|(?:District |County )?Attorney\s+){{0,4}}"
_ACCORDING_TO = re.compile(rf"\b[Aa]ccording to\s+{_TITLES}{_PERSON_NAME}\b")
_PERSON_FRAMES = (
    re.compile(rf"\b(?:did|does|do|has|have|had|would|will)\s+{_TITLES}{_PERSON_NAME}\s+(?:ever\s+|also\s+)?{_SPEECH_VERBS}\b"),
    _ACCORDING_TO,
    re.compile(rf"\b{_PERSON_NAME}['’]s\s+(?:statement|statements|remarks|speech|speeches|letter|letters|view|views|position|words|paper|papers|essay|essays)\b"),
)


# Verbs that only say someone communicated ("What did Jay write about ...?"): in a speaker's
# frame they ask, as "say" does, and are no word the answer must hold.
_SAYING = r"(?:say|says|said|write|writes|wrote|written|state|states|stated|mention|mentions|mentioned|tell|told|think|thinks|thought)"
_SAYING_FRAME = re.compile(rf"\b(?:did|does|do|has|have|had|would|will)\s+(?:[\w.'’-]+\s+){{1,5}}?(?:ever\s+|also\s+)?(?P<verb>{_SAYING})\b", re.I)


def saying_verb(question: str) -> tuple[int, int] | None:
    """Where the verb of saying stands in a question's speaker frame ("did Jay write"), if any.

    Example:
        >>> q = "Did Jay write about the Senate?"
        >>> a, b = saying_verb(q); q[a:b]
        'write'
        >>> saying_verb("What does the bill do?") is None
        True
    """
    match = _SAYING_FRAME.search(question)
    return match.span("verb") if match else None


def asked_person(question: str) -> str | None:
    """The person a question asks about as a speaker: "What did Madison say about factions?"

    Only the question's grammar is read ("did X say", "according to X", "X's remarks"); whether
    X is a speaker of the corpus is decided against the corpus, elsewhere.

    Example:
        >>> asked_person("What did Attorney General Ellison say about insulin in 2019?")
        'Ellison'
        >>> asked_person("According to Afghan commando Sgt. Hafiz Rahman, what did villagers offer?")
        'Hafiz Rahman'
    """
    for pattern in _PERSON_FRAMES:
        match = pattern.search(question)
        if match and match["name"].lower() not in _NOT_PEOPLE:
            if match.re is _ACCORDING_TO:
                # Words that describe the person may come first ("According to Afghan commando
                # Sgt. Hafiz Rahman,"): the person is the last name of the phrase.
                phrase = re.match(r"[^,?;]*", question[match.start("name") :])
                names = [m["name"] for m in re.finditer(rf"{_TITLES}{_PERSON_NAME}", phrase.group() if phrase else "")]
                return names[-1] if names else match["name"]
            return match["name"]
    return None


# Verbs that give words or a stance to the person beside them, in a report ("said Torres", "Abe
# proposed", "the Administration strongly opposes").
_REPORTING = (
    rf"(?:{_SPEECH_VERBS}|says|states|urges|added|noted|stressed|explained|commented|remarked|emphasi[sz]ed|expressed|welcomed|condemned|"
    r"calls|called|supports?|opposes?|believes?|objects?|recommends?|applauds?|commends?|agrees?|rejects?|seeks?|requests?)"
)
# The verbs of saying that may stand before the name they give words to, as a report inverts
# them ("said Torres", "added Col. Rafael Torres"). Any other reporting verb before a name has it
# for its object: "I commend U.S. Attorney Andy Luger" gives no words to Luger.
_QUOTATIVE = r"(?:say|says|said|state|states|stated|write|writes|wrote|added|noted|stressed|explained|commented|remarked|emphasi[sz]ed|observed|continued|asked|replied)"
#: A reporting verb stands at most this many words from the name it gives words to (a rank and
#: service count as words: "said U.S. Marine Corps Maj. Gen. David Garza" is eight).
REPORT_REACH = 8


def speaks(surname: str, text: str) -> bool:
    """Whether a text gives words to the person of this surname: a reporting verb within a few
    words of the name, either side ("said U.S. Army Col. Rafael Torres", "Abe proposed").

    Example:
        >>> speaks("Torres", '"They care little," said U.S. Army Col. Rafael Torres.')
        True
        >>> speaks("Garza", '"We are aware of it," said U.S. Marine Corps Maj. Gen. David Garza.')
        True
        >>> speaks("Humphrey", "This duty led Attorney General Skip Humphrey to take on Big Tobacco.")
        False
        >>> speaks("Luger", '"I commend United States Attorney Andy Luger and his team," said Ellison.')
        False
    """
    name = rf"\b{re.escape(surname)}\b"
    gap = rf"(?:\W+\w+){{0,{REPORT_REACH - 1}}}?\W+"
    verb = rf"(?i:\b{_REPORTING}\b)"
    quotative = rf"\b{_QUOTATIVE}\b"  # in lower case: "United States Attorney" states nothing
    # After the name, a closing quotation mark ends what is theirs: '... Andy Luger," said Ellison'.
    unquoted = rf'(?:[^\w"”]+\w+){{0,{REPORT_REACH - 1}}}?[^\w"”]+'
    return bool(re.search(rf"{quotative}{gap}{name}|{name}{unquoted}{verb}", text))


#: An attribution runs at most this many characters from a quotation's end to its verb.
ATTRIBUTION_CHARS = 120
# A quotation in curly or straight marks.
_QUOTATION = re.compile(r"“[^“”]+”|\"[^\"]+\"")


def their_words(surname: str, text: str) -> list[tuple[int, int]]:
    """Where a text quotes the person of this surname: each quotation a verb of saying gives to
    them ("“The people are respecting us,” Rahman said."), with the attribution and the
    quotation that goes on right after it ("“They ask us if we want tea ...”").

    Example:
        >>> text = 'Leading a squad was Sgt. Hafiz Rahman. “They respect us,” Rahman said. “They offer us tea.” Children came.'
        >>> [text[a:b] for a, b in their_words("Rahman", text)]
        ['“They respect us,” Rahman said. “They offer us tea.”']
        >>> their_words("Luger", '“I commend U.S. Attorney Andy Luger,” said Ellison.')
        []
        >>> text = '"They hid it," said U.S. Army Col. Rafael Torres, a director. "We won," said Torres.'
        >>> [text[a:b] for a, b in their_words("Torres", text)]
        ['"They hid it," said U.S. Army Col. Rafael Torres, a director.', '"We won," said Torres.']
        >>> text = 'The colonel spoke. Col. Torres said: “They hid.” Then he left.'
        >>> [text[a:b] for a, b in their_words("Torres", text)]
        ['Col. Torres said: “They hid.”']
    """
    spans: list[tuple[int, int]] = []
    quotations = list(_QUOTATION.finditer(text))
    # The splitter reads "said U.S. Army Col. Rafael Torres, ..." as one sentence.
    ends = [b for _, b in sentence_spans(text)]
    for n, quotation in enumerate(quotations):
        # The attribution is the rest of the sentence the quotation ends in, before the next one.
        after = quotations[n + 1].start() if n + 1 < len(quotations) else len(text)
        sentence_end = next((b for b in ends if b > quotation.end()), len(text))
        tail = text[quotation.end() : min(after, sentence_end)]
        if not tail.strip() or not speaks(surname, tail) or surname not in tail:
            # Or it stands before it: 'Rahman said, “They respect us.”'.
            segment = text[quotations[n - 1].end() if n else 0 : quotation.start()]
            sentences = sentence_spans(segment)  # "Col." ends no sentence
            lead_in = segment[sentences[-1][0] :] if sentences else ""
            if lead_in.rstrip().endswith((",", ":")) and surname in lead_in and speaks(surname, lead_in):
                spans.append((quotation.start() - len(lead_in), quotation.end()))
            continue
        # The quotation may go on after the attribution: '... Rahman said. “They ask us ...”'.
        spans.append((quotation.start(), quotation_goes_on(text, quotation.end() + len(tail.rstrip()), len(text))))
    return spans


def quotation_goes_on(text: str, end: int, limit: int) -> int:
    """Where a quote that ends with a quotation's attribution ends once the quotation that goes
    on right after it is taken in ('"We're aware of it," said Maj. Gen. David Garza. "What I
    can say is ..."'); ``end`` when none does (up to ``limit``, its paragraph's end).

    Example:
        >>> text = '"We know," said Col. Lee. "It was far from any village." The rest.'
        >>> text[: quotation_goes_on(text, 25, len(text))]
        '"We know," said Col. Lee. "It was far from any village."'
        >>> quotation_goes_on('"We won," said Lee. "More," said Kim.', 19, 38)
        19
    """
    if not re.search(rf'[”"][^“”"]{{0,{ATTRIBUTION_CHARS}}}\b{_QUOTATIVE}\b[^“”"]*$', text[max(0, end - 2 * ATTRIBUTION_CHARS) : end]):
        return end
    following = re.match(rf"\s*({_QUOTATION.pattern})", text[end:limit])
    # One that ends in a comma has an attribution of its own ('"More," said Kim.').
    if following is None or not re.search(r"[.!?]\W?$", following.group(1)[:-1]):
        return end
    return end + following.end()


def match_names(question: str, names: Iterable[str]) -> tuple[str, ...]:
    """Known speaker names the question mentions, by full name or by surname.

    A surname counts only as a capitalised word ("Abe", not "able"), and not where it is a
    month in a date ("in May 2019"), so ordinary words do not turn into speaker filters.
    """
    found = []
    lowered = question.lower()
    for name in names:
        surname = name.split()[-1]
        if name.lower() in lowered:
            found.append(name)
            continue
        for match in re.finditer(rf"\b{re.escape(surname)}\b", question):
            as_date = surname.lower() in MONTHS and (
                re.match(r"\s*(?:\d{1,2}\b|,?\s*(?:1[5-9]|20)\d\d\b)", question[match.end() :])
                or re.search(r"\b(?:in|since|before|after|until|during|of|early|late|mid)\s+$", question[: match.start()], re.I)
            )
            if not as_date:
                found.append(name)
                break
    return tuple(sorted(found))


_REPORTING_VERBS = r"(?:say|said|says|state|states|stated|mention|mentions|mentioned|highlight|highlights|highlighted|note|notes|noted|announce|announces|announced)"


def match_types(question: str, doc_types: Iterable[str]) -> tuple[str, ...]:
    """Known document types the question names as the source asked about.

    A type word narrows the search only where the question points at a document: "during the
    courtesy call", "in the 2017 joint statement", "did the declaration mention", "the press
    point said". A type word that is the subject asked about ("When was the joint political
    declaration signed?") does not: other kinds of statements speak of it too, and narrowing
    to documents typed "declaration" would hide them.

    Example:
        >>> match_types("What did Abe propose during the courtesy call?", ["courtesy call", "declaration"])
        ('courtesy call',)
        >>> match_types("When was the Joint Political Declaration signed?", ["courtesy call", "declaration"])
        ()
    """
    found = []
    for doc_type in doc_types:
        if not doc_type or doc_type == "document":
            continue
        kind = rf"(?:\d{{4}}\s+)?{re.escape(doc_type)}s?"
        pointing = (
            rf"\b(?:in|during|at|from)\s+(?:the|a|this|that|its|their|his|her)\s+{kind}\b",
            rf"\b(?:did|does|do|has|had|will)\s+the\s+{kind}\b",
            rf"\bthe\s+{kind}\s+{_REPORTING_VERBS}\b",
        )
        if any(re.search(p, question, re.IGNORECASE) for p in pointing):
            found.append(doc_type)
    return tuple(sorted(found))


#: In a question typed all in lower case, a speaker's name part rarer in English than this
#: (Zipf scale: "ellison" 3.4, "madison" 4.2, "jay" 4.4) is read as the name wherever it
#: stands; a commoner one ("rice" 4.6, "may" 6.0) only where the grammar asks about a speaker.
RARE_NAME_ZIPF = 4.5


def recased(question: str, speakers: Iterable[str]) -> str:
    """A question typed all in lower case, with the corpus's speaker names capitalised as if
    the user had typed them so ("what did swanson say" → "what did Swanson say").

    A name is only read from capitals (so "in may" is no speaker); a question without any has
    lost that signal. A speaker's name part that is rare as an English word is restored
    anywhere; a common one only where a speaker stands ("did rice say", "according to rice").

    Example:
        >>> recased("which statements did swanson issue", ["Lori Swanson"])
        'which statements did Swanson issue'
        >>> recased("what did nato say about rice prices", ["Susan Rice"])
        'what did nato say about rice prices'
        >>> recased("what did rice say about prices", ["Susan Rice"])
        'what did Rice say about prices'
    """
    if re.search(r"[A-Z]", question):
        return question
    parts = {part.lower(): part for name in speakers for part in name.split() if len(part) > 1 and part[0].isupper()}
    if not parts:
        return question
    rare = {word for word in parts if zipf_frequency(word, "en") < RARE_NAME_ZIPF}
    word = r"\b[a-z][a-z'’-]*\b"
    candidate = re.sub(word, lambda m: parts.get(m.group(), m.group()), question)
    person = asked_person(candidate)
    if person is not None and all(w.lower() in parts for w in person.split()):
        return candidate
    return re.sub(word, lambda m: parts[m.group()] if m.group() in rare else m.group(), question)


def understand(question: str, speakers: Iterable[str], doc_types: Iterable[str]) -> Constraints:
    """All constraints a question states, given the corpus's speakers and document types."""
    speakers = tuple(speakers)
    cased = recased(question, speakers)
    person = asked_person(cased)
    named = match_names(cased, speakers)
    # Of the speakers a question names, the one it asks about as speaker is the filter ("What
    # did Abe tell Rasmussen ...?" asks Abe's words; Rasmussen is whom he told).
    own = tuple(name for name in named if person and name.split()[-1] == person.split()[-1])
    return Constraints(
        period=parse_period(question),
        latest=bool(_LATEST.search(question)),
        earliest=bool(_EARLIEST.search(question)) and not _LATEST.search(question),
        speakers=own or named,
        doc_types=match_types(question, doc_types),
        person=person,
    )
