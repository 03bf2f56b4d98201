"""Read a statement's title, speakers, type and publisher from its header. Pure functions.

The header is the first few paragraphs. What counts as a speaker, in order of trust:

1. a byline: "Remarks by X", "Statement by the Secretary General" (resolved to the person the
   header names with that role), a heading that starts "by X";
2. an attribution opening a paragraph, as transcripts print it: "X:", "From X, NATO:";
3. the parties named in a joint statement's heading ("Joint statement ... between X and Y");
4. a named office-holder who is the subject of the first sentence of the body, after any
   dateline ("January 21, 2019 (SAINT PAUL) — Attorney General Keith Ellison announced");
5. an author line: a header line that is only a name in capitals ("MADISON", "MADISON, with
   HAMILTON").

A name the body merely quotes ("said Brig. Gen. X") or a bill's sponsor is not a speaker, and
an institution ("The Administration") is not a person: such documents have no speaker.
Nothing here names a source; the role words are ordinary English titles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from embeddings.bm25 import STOPWORDS
from embeddings.dates import full_dates
from embeddings.text import Span

_ROLE = (
    r"(?:(?:Deputy |Assistant |Under |Vice[- ])?(?:Secretary[- ]General|Attorney General|Solicitor General|Secretary of State|"
    r"Prime Minister|Foreign Minister|Defen[cs]e Minister|Minister|President|Secretary|Chancellor|Governor|Lieutenant Governor|"
    r"Senator|Sen\.|Representative|Rep\.|Congressman|Congresswoman|Mayor|Ambassador|Commissioner|Chairman|Chairwoman|Chair|"
    r"Director|Spokesperson|Spokesman|Spokeswoman|Chief Justice|Justice|Judge|Commander|Admiral|General|Gen\.|Adm\.|"
    r"Col\.|Colonel|Lt\. Gen\.|Maj\. Gen\.|Brig\. Gen\.|AG|Queen|King|Pope|"
    r"Premier|Speaker|Sheriff|(?:Fire |Police )?Chief|Superintendent|Treasurer|Comptroller|Auditor|Administrator|"
    r"Council(?:lor|or|man|woman| Member|member)|Health Officer|Harbou?rmaster))"
)
_HONORIFIC = r"(?:(?:H\.E\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Dame|Rev\.|Hon\.|The Honorable)\s+)"
# Letters of Latin script with their accents ("Zoë Brontë", "Jürgen Åberg", "Łukasz"): the
# Latin-1 capitals and small letters, and all of Latin Extended-A (whose cases alternate).
_UP = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_LOW = "a-zß-öø-ÿ\u0100-\u017f"
# A personal name: capitalised words and initials ("Anders Fogh Rasmussen", "George W. Bush").
_WORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+)*"
_NAME = rf"(?:{_WORD}|[A-Z]\.)(?:[ \t]+(?:{_WORD}|[A-Z]\.)){{0,3}}"
_ROLE_NAME = re.compile(rf"\b{_ROLE},?\s+{_HONORIFIC}*(?P<name>{_NAME})")
_HONORIFIC_NAME = re.compile(rf"\b(?:H\.E\.\s+)?(?:Mr|Mrs|Ms|Dr)\.?\s+(?P<name>{_NAME})")
# Words that name a kind of document or an institution, never a person.
_NOT_NAMES = frozenset(
    """press release news statement statements remarks speech address joint conference point declaration communique communiqué
    interview letter policy administration office department ministry executive agency embassy mission bureau council commission
    government house senate congress court united states nations national federal state city county the of and for to from on in
    with by a an at as we our this that these those it its his her their there here when what which who why how today yesterday
    federalist no number paper chapter section part page contents introduction summary conclusion appendix annex
    task force committee board group team center centre institute association coalition""".split()
)
_STATEMENT_WORDS = r"(?:remarks|statement|speech|address|press point|press conference|interview|op-ed|article|letter|message|testimony|briefing|lecture|keynote)"
_BYLINE = re.compile(rf"(?:\b{_STATEMENT_WORDS}(?:\s+(?:delivered|given|made|issued))?\s+(?:by|of|from)|^\s*by)\s+(?P<who>[^\n]{{3,160}})", re.IGNORECASE | re.MULTILINE)
_THE_ROLE = re.compile(rf"^the\s+(?P<role>{_ROLE})", re.IGNORECASE)
_ATTRIBUTION = re.compile(rf"^\s*(?:From\s+)?(?P<role>{_ROLE}\s+)?(?P<name>{_NAME})(?:,[^:\n]{{0,60}})?:\s")
# A name line: "Dr. Priya Natarajan, Superintendent, Riverton Unified School District".
_NAME_ROLE_LINE = re.compile(rf"^\s*{_HONORIFIC}*(?!{_ROLE}\b)(?P<name>{_NAME}),\s+(?:the\s+)?(?:[A-Z][A-Za-z]+\s+){{0,2}}?{_ROLE}\b[^\n]{{0,80}}$")
_JOINT = re.compile(r"\bjoint\b[^\n]{0,30}\b(?:statement|declaration|communiqu[eé]|press statement|letter)", re.IGNORECASE)
# A dateline before a body's first sentence: "... (SAINT PAUL) —", "KABUL, Afghanistan (Dec. 9) -",
# "SAINT PAUL —".
_DATELINE = re.compile(r"^(?:[^\n]{0,90}?(?:\)|\b\d{4})|[A-Z][A-Z .,'’]{2,40}(?:\([^)\n]{1,30}\))?)\s*[-–—]+\s+")
# A time phrase that may open the first sentence before its subject ("Today, ...", "Yesterday evening, ...").
_LEAD_IN = re.compile(
    r"^(?:Today|Tonight|Yesterday|Earlier|Later|This (?:week|morning|afternoon|evening)|Last (?:week|night)|On [A-Z][a-z]+day)(?:\s+[a-z]+)?,\s+"
)
# The subject of a body's first sentence: a role and a name ("Attorney General Keith Ellison
# announced"), or an honorific and a name with perhaps a title set off by commas ("Dr. Samuel
# Reyes, the county health officer, urged").
_SUBJECT = re.compile(
    rf"^(?:(?:[A-Z][A-Za-z]+\s+){{0,2}}{_ROLE}\s+{_HONORIFIC}*|{_HONORIFIC})(?P<name>{_NAME})(?:,\s+the\s+[a-z][^,]{{2,60}},)?\s+(?=[a-z(]|and\b)"
)
_AUTHOR_LINE = re.compile(r"^\s*(?P<names>[A-Z][A-Z'’-]+(?:\s*(?:,\s*with|,|and|&|with)\s*[A-Z][A-Z'’-]+)*)\s*\.?\s*$")

#: Paragraphs read as the header.
HEADER_PARAGRAPHS = 10
#: A header paragraph at least this long is body prose (a first sentence to read the subject of).
PROSE_WORDS = 12
#: An attribution ("Name:") opens one of this many first paragraphs.
ATTRIBUTION_PARAGRAPHS = 3
#: An author line stands above the first paragraph this long.
BODY_WORDS = 40
#: A name line ("Jane Doe, Mayor of Riverton") is this short; a longer paragraph is prose.
MAX_NAME_LINE_WORDS = 16


def _clean_name(name: str) -> str:
    name = re.sub(r"['’]s\b", "", name)
    words = [w for w in name.split() if w.lower().strip(".") not in _NOT_NAMES]
    return " ".join(words)


def _is_name(name: str) -> bool:
    tokens = name.split()
    if re.fullmatch(rf"{_ROLE}(?:\s+{_ROLE})*", name):  # "Attorney General" is an office, not a person
        return False
    return bool(tokens) and not any(t.lower().strip(".,") in _NOT_NAMES for t in tokens) and any(len(t.strip(".")) > 1 for t in tokens)


def _add(found: list[str], name: str) -> None:
    name = _clean_name(name).strip(" ,.")
    if _is_name(name) and not any(name == f or f.endswith(" " + name) for f in found):
        # A fuller form replaces a surname already found ("Ellison" -> "Keith Ellison").
        found[:] = [f for f in found if not name.endswith(" " + f)]
        found.append(name)


def _names_in(text: str) -> list[str]:
    """Role-and-name and honorific-and-name mentions of a text, in order."""
    hits = sorted([(m.start(), m["name"]) for m in _ROLE_NAME.finditer(text)] + [(m.start(), m["name"]) for m in _HONORIFIC_NAME.finditer(text)])
    found: list[str] = []
    for _, name in hits:
        _add(found, name)
    return found


def _role_holder(role: str, header: str) -> str | None:
    """The person the header names with this role ("Secretary General" -> "Anders Fogh Rasmussen")."""
    pattern = re.compile(rf"\b{re.escape(role)},?\s+{_HONORIFIC}*(?P<name>{_NAME})", re.IGNORECASE)
    for match in pattern.finditer(header):
        if _is_name(_clean_name(match["name"])):
            return match["name"]
    return None


def _byline(header: str) -> list[str]:
    """A byline in a heading ("Remarks by X", "by X with Y"); prose never counts as one.

    ``header`` holds the header paragraphs, one to a "\n\n"-separated block. A heading is a
    short paragraph, not a short line: a hard-wrapped line of prose may begin "by Tullius
    Hostilius, and to which ...".
    """
    paragraphs = [" ".join(p.split()) for p in header.split("\n\n")]
    headings = "\n".join(p for p in paragraphs if len(p.split()) <= 30)
    for match in _BYLINE.finditer(headings):
        who = match["who"].strip()
        the_role = _THE_ROLE.match(who)
        if the_role:
            holder = _role_holder(the_role["role"], header)
            if holder:
                return [holder]
            continue
        # "by NATO Secretary General Jens Stoltenberg with Prime Minister ...": the first person.
        who = re.sub(r"^(?:[A-Z][A-Za-z]+\s+){0,2}?(?=" + _ROLE + r")", "", who)
        names = _names_in(who)
        if names:
            return names[:1]
        plain = re.match(rf"{_HONORIFIC}*(?P<name>{_NAME})", who)
        if plain and _is_name(plain["name"]) and len(plain["name"].split()) >= 2:
            return [plain["name"]]
    return []


def _first_sentence_subject(paragraph: str) -> str | None:
    body = _DATELINE.sub("", paragraph, count=1)
    body = _LEAD_IN.sub("", body, count=1)
    match = _SUBJECT.match(body)
    return match["name"] if match else None


def extract_speakers(text: str, paragraphs: Sequence[Span]) -> tuple[str, ...]:
    """The persons a statement presents as speaking (see the module docstring), or ()."""
    header_spans = list(paragraphs[:HEADER_PARAGRAPHS])
    header = "\n".join(text[a:b] for a, b in header_spans)
    found = _byline("\n\n".join(text[a:b] for a, b in header_spans))
    if not found:
        # Transcripts open with the attribution; a "Name:" label deep in a page is a list item.
        for n, (a, b) in enumerate(header_spans[:ATTRIBUTION_PARAGRAPHS]):
            match = _ATTRIBUTION.match(text[a:b])
            # One capitalised word is a name only after a role ("AG Ellison:"); "Note:" is not.
            if match and (len(match["name"].split()) >= 2 or match["role"]) and _is_name(_clean_name(match["name"])):
                found = [match["name"]]
                break
            # A line of its own under the title, naming a person and their office.
            line = _NAME_ROLE_LINE.match(text[a:b]) if n > 0 else None  # not the title
            if line and len(text[a:b].split()) <= MAX_NAME_LINE_WORDS and len(line["name"].split()) >= 2 and _is_name(_clean_name(line["name"])):
                found = [line["name"]]
                break
    if not found and header_spans and _JOINT.search(text[header_spans[0][0] : header_spans[0][1]]):
        # A joint statement speaks for the parties its heading names.
        found = _names_in("\n".join(text[a:b] for a, b in header_spans[:3]))
    if not found:
        # Body prose: long and ending like a sentence (a headline, however long, does not).
        prose = [(a, b) for a, b in header_spans if len(text[a:b].split()) >= PROSE_WORDS and re.search(r"[.!?:][\"'”’)]*$", text[a:b])][:1]
        for a, b in prose:
            subject = _first_sentence_subject(text[a:b])
            if subject:
                found = [subject]
                break
    if not found:
        for a, b in header_spans:
            if len(text[a:b].split()) >= BODY_WORDS:
                break  # author lines stand above the body
            match = _AUTHOR_LINE.match(text[a:b])
            if match:
                names = [n.title() for n in re.split(r"\s*(?:,\s*with|,|and|&|with)\s*", match["names"]) if n]
                if all(_is_name(n) for n in names):
                    found = names
                    break
    result: list[str] = []
    mentioned = _names_in(header)
    for name in found:
        # A surname alone ("AG Ellison:") takes the fuller form the header gives ("Keith Ellison").
        fuller = [m for m in mentioned if m.endswith(" " + name)] if len(name.split()) == 1 else []
        _add(result, fuller[0] if fuller else name)
    return tuple(result)


def byline_name(author: str) -> str:
    """The person a page's byline names ("Samuel Okafor; Port Director · June 8" -> "Samuel
    Okafor"), or "" when it names no person (a desk, an office, one word).

    Example:
        >>> byline_name("Samuel Okafor; Port Director · June 8"), byline_name("By Staff"), byline_name("Office of Communications")
        ('Samuel Okafor', '', '')
    """
    first = re.split(r"[;,|·•]| - | – ", author, maxsplit=1)[0].strip()
    first = re.sub(r"^by\s+", "", first, flags=re.IGNORECASE)
    match = re.fullmatch(rf"{_HONORIFIC}*(?P<name>{_NAME})", first)
    name = _clean_name(match["name"]) if match else ""
    return name if len(name.split()) >= 2 and _is_name(name) and not _ORG_LINE.search(name.upper()) else ""


# ---------------------------------------------------------------- title, type, publisher

_LEADING_DATE = re.compile(
    r"^\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?|\d{4}-\d{2}-\d{2})\s*[:–—-]\s+"
)
_DATE_ONLY = re.compile(r"^[\W\d_]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}[\W_]*$|^[\W_]*\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}[\W_]*$", re.I)
#: A first heading of at most this many words, with a date line under it, may be an office's name.
ORGANISATION_WORDS = 6
#: A title longer than this is cut (with an ellipsis).
MAX_TITLE_CHARS = 200
#: A subheading ending in a full stop has at most this many words (as any heading).
HEADLINE_WORDS = 30


def _date_line(line: str) -> bool:
    """Whether a line is a date, or a dateline ("RIVERTON, May 4, 2023"), and nothing more."""
    return bool(_DATE_ONLY.match(line) or _DATE_ONLY.match(re.sub(r"^[A-Z][A-Za-z .'’-]{1,40},\s*", "", line)))


def _title_case(title: str) -> bool:
    """Whether every longer word is capitalised as in a headline ("Taliban Compound Struck")."""
    long_words = [w for w in re.findall(r"[A-Za-z]+", title) if len(w) >= 4]
    return bool(long_words) and all(w[0].isupper() and not w.isupper() for w in long_words)


def _headline_sentence(line: str) -> bool:
    """A short line ending in a full stop with every longer word capitalised, small words apart.

    Example:
        >>> _headline_sentence("Concerning the Difficulties of the Convention in Devising a Proper Form of Government.")
        True
        >>> _headline_sentence("The Constitution was framed by the convention.")
        False
    """
    long_words = [w for w in re.findall(r"[A-Za-z]+", line) if len(w) >= 4 and w.lower() not in STOPWORDS]
    return len(line.split()) <= HEADLINE_WORDS and bool(long_words) and all(w[0].isupper() for w in long_words)


def _heading(paragraph: str) -> bool:
    return len(paragraph.split()) <= 30 and not re.search(r"[.!?;][\"'”’)]*$", paragraph.strip())


def extract_title(text: str, paragraphs: Sequence[Span], hint: str = "") -> str:
    """A display title: the format's own title, else the first heading of the text.

    A short first heading written in capitals or in sentence case ("FEDERALIST No. 10",
    "Joint press statement") is followed by the heading under it, which says what it is about.
    A date leading a title ("Dec. 6: ...") is metadata and is left out.
    """
    if hint and not _DATE_ONLY.match(hint) and len(hint.split()) >= 2:
        return _cut(" ".join(hint.split()))
    lines = [" ".join(text[a:b].split()) for a, b in paragraphs[:HEADER_PARAGRAPHS]]
    candidates = [(i, line) for i, line in enumerate(lines) if len(line.split()) >= 2 and not _DATE_ONLY.match(line) and not line.startswith("(")]
    if not candidates:
        first = lines[0] if lines else " ".join(text.split())
        return _cut(first)
    index, title = candidates[0]
    title = _LEADING_DATE.sub("", title) or title
    words = title.split()
    generic = len(words) <= 4 and not _title_case(title)
    if generic and _heading(title):
        following = [line for line in lines[index + 1 : index + 3] if not _date_line(line) and not line.startswith("(")]
        # A subheading may end with a full stop ("Concerning the Difficulties of the Convention
        # ... of Government."): in headline case, it is still no sentence of the body.
        # One that holds a full date is a dateline run into it ("... Sustained For the New York
        # Packet. Friday, January 18, 1788."): it would put the date in the title.
        if (
            following
            and (_heading(following[0]) or (_headline_sentence(following[0]) and not full_dates(following[0])))
            and not _AUTHOR_LINE.match(following[0])
        ):
            title = f"{title} — {following[0]}"
    elif len(words) <= ORGANISATION_WORDS and _heading(title) and index + 2 < len(lines) and _DATE_ONLY.match(lines[index + 1]):
        # An office's name, the date, then the headline ("County Health Department / October 2,
        # 2017 / Health Officer urges flu shots"): the headline says what the statement is.
        headline = lines[index + 2]
        if len(headline.split()) >= 3 and _heading(headline) and not _AUTHOR_LINE.match(headline):
            title = f"{title} — {headline}"
    elif len(words) <= ORGANISATION_WORDS and _heading(title) and _ORG_LINE.search(title.upper()) and index + 1 < len(lines):
        # An office's name over the headline ("Office of the Chief / Police Chief announces
        # body cameras ..."): the office alone says nothing of what the statement is about.
        headline = lines[index + 1]
        if len(headline.split()) >= 3 and _heading(headline) and not _date_line(headline) and not _AUTHOR_LINE.match(headline) and not _ORG_LINE.search(headline.upper()):
            title = f"{title} — {headline}"
    return _cut(title)


def _cut(title: str) -> str:
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


# Document kinds recognised in a title or header, most specific first.
_TYPES = (
    ("statement of administration policy", "statement"),
    ("joint press conference", "press conference"),
    ("press conference", "press conference"),
    ("joint press statement", "joint statement"),
    ("joint statement", "joint statement"),
    ("joint declaration", "declaration"),
    ("press point", "press point"),
    ("news release", "press release"),
    ("press release", "press release"),
    ("media release", "press release"),
    ("immediate release", "press release"),
    ("operational update", "operational update"),
    ("communiqué", "communiqué"),
    ("communique", "communiqué"),
    ("declaration", "declaration"),
    ("testimony", "testimony"),
    ("interview", "interview"),
    ("transcript", "transcript"),
    ("speech", "speech"),
    ("remarks", "speech"),
    ("address", "speech"),
    ("readout", "readout"),
    ("op-ed", "op-ed"),
    ("letter", "letter"),
    ("statement", "statement"),
)


def extract_type(title: str, header: str) -> str:
    """The statement's kind from its title, else from its header's heading lines; "document"
    when neither says. A sentence of the text naming a "Joint Political Declaration" does not
    make a readout of a courtesy call a declaration."""
    headings = "\n".join(line for line in header.splitlines() if _heading(line))
    for haystack in (title.lower(), headings.lower()):
        for needle, kind in _TYPES:
            if re.search(rf"\b{re.escape(needle)}\b", haystack):
                return kind
    return "document"


_PUBLISHERS = (
    # "NEWS RELEASE ISAF Joint Command - Afghanistan"
    re.compile(r"(?:NEWS|PRESS|MEDIA) RELEASE\s+(?P<org>[A-Z][\w&'’ ]{2,60}?)\s*[-–—]", re.IGNORECASE),
    # A newspaper's dateline: "From the Daily Advertiser.", "For the Independent Journal."
    re.compile(r"(?:^|\s)(?:From|For)\s+(?:the|The)\s+(?P<org>(?:[A-Z][\w'’]*\s+){0,4}[A-Z][\w'’]+)\.\s", re.MULTILINE),
)
_SITE_SUFFIX = re.compile(r"\s[|–—-]\s(?P<org>[^|–—]{4,80})$")
_ORG_LINE = re.compile(r"\b(?:OFFICE|DEPARTMENT|MINISTRY|AGENCY|EMBASSY|MISSION|BUREAU|COUNCIL|COMMISSION|SECRETARIAT)\b")


def extract_publisher(header: str, letterhead: Sequence[str] = (), hints: Sequence[str] = ()) -> str:
    """The issuing organisation: a letterhead's office, a release heading, a newspaper, a page title's site name."""
    offices = [" ".join(line.split()) for line in letterhead if _ORG_LINE.search(line)]
    if offices:
        return offices[-1].title().replace(" Of ", " of ").replace(" And ", " and ").replace(" The ", " the ")
    for pattern in _PUBLISHERS:
        match = pattern.search(header)
        if match:
            return match["org"].strip()
    for hint in hints:
        match = _SITE_SUFFIX.search(hint)
        if match and not re.search(r"\d", match["org"]):
            return match["org"].strip()
    return ""
