"""Questions about the collection itself, answered from the documents' facts. Pure functions.

"Which of the papers did John Jay write?", "How many statements were made in 2017?", "List the
press releases from June 2011": the answer is a list of statements, read from each document's
date, speakers and type, not a sentence inside one. A question is read as one only when,
once its period, its speakers and its document noun are set aside, nothing is left but the
grammar of asking for statements (which / what / how many / list, an auxiliary, a verb of
issuing such as "write", "publish", "appear"): "What did Madison say about factions?" has a
subject, so it is no such question. Each listed statement is cited by its opening lines (the
title, and the lines that print its date and its author), exact words of the document.

It does not: answer a question about what statements say; guess who an unknown person is (a
question about a speaker the corpus lacks goes to the usual pipeline, which declines); list
anything when nothing matches (the usual pipeline says why).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from embeddings.dates import full_dates
from embeddings.documents import Document
from embeddings.layout import sentence_spans
from qa.answer import Citation
from qa.constraints import Constraints, parse_period, period_phrase
from qa.evidence import human_date
from qa.retrieve import Quote, source_ref

#: A long list shows this many statements (the oldest) and says how many more there are.
MAX_LISTED = 15
#: A citation runs over at most this many characters of a statement's opening lines.
MAX_CITED_CHARS = 400
#: Words this share of the statements' headings carry name the collection ("the Federalist
#: papers"), not a subject; a share, not all, because a few headings are misread.
COLLECTION_SHARE = 0.9
#: The opening lines: this many first paragraphs, where a statement prints its title,
#: date and author.
OPENING_PARAGRAPHS = 5

# Nouns that name any statement: asked with them, the list is not narrowed to one type.
_ANY_STATEMENT = ("statement", "document", "paper", "essay", "text", "file", "publication")
# Verbs of making a statement public; a verb of content ("say", "mention") asks what one says.
_ISSUING = (
    r"(?:write|writes|wrote|written|author|authored|pen|penned|issue|issues|issued|publish|publishes|published|"
    r"release|releases|released|appear|appears|appeared|make|makes|made|give|gives|gave|given|deliver|delivers|delivered|"
    r"send|sends|sent|produce|produced|post|posted|print|printed|date|dated|"
    r"put\s+out|puts\s+out|come\s+out|came\s+out|contribute|contributed)"
)
# What stands for the question's constraints once they are set aside.
_SPEAKER, _SPEAKERS, _PERIOD = "⟨speaker⟩", "⟨speaker's⟩", "⟨period⟩"
_OPEN = (
    r"(?i:(?:which|what)(?:\s+of)?|how\s+many(?:\s+of)?|"
    r"(?:please\s+)?(?:list|show(?:\s+me)?|name|give\s+me|tell\s+me)(?:\s+all)?(?:\s+of)?)"
)
# "the latest", "the first": one end of the collection ("What was the first statement?").
_EXTREME = r"(?P<extreme>(?i:latest|newest|most\s+recent|last|first|earliest|oldest))\s+"
_DETERMINER = rf"(?:(?i:(?:are|were|is|was)\s+)?(?i:all\s+(?:of\s+)?)?(?:(?i:the)|{_SPEAKERS})\s+(?:{_EXTREME})?)?"
# Words every title of the collection carries ("Federalist papers") describe it, not a subject.
_MODIFIER = r"(?P<modifier>(?:[A-Z][\w'’-]*\s+){1,2})?"
# ...and so do words after it ("statements of administration policy"), fewest first.
_QUALIFIER = r"(?:\s+(?i:of)\s+(?P<qualifier>[\w'’-]+(?:\s+[\w'’-]+){0,3}?))?"
# Someone the corpus does not know as a speaker, named by a title or a name ("the Attorney General").
_AGENT = r"(?:the\s+)?[A-Z][\w.'’&-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w.'’&-]*){0,5}"
_WHO = rf"(?:{re.escape(_SPEAKER)}(?:\s+(?i:and|or)\s+{re.escape(_SPEAKER)})*|(?P<agent>{_AGENT}))"
_BE = r"(?i:(?:were|was|are|is|have\s+been|has\s+been|had\s+been))"
_TIME_TAIL = rf"(?:\s+(?i:(?:from|dated|in|during|of|between)\s+)?{re.escape(_PERIOD)})"
_CLAUSES_WITH_WHO = (
    # "did Jay write", "has the Attorney General issued", "that Madison wrote"
    rf"(?:\s+(?i:that|which))?\s+(?i:did|does|do|has|have|had)\s+{_WHO}\s+(?i:also\s+)?(?i:{_ISSUING})",
    rf"(?:\s+(?i:that|which))?\s+{_WHO}\s+(?i:{_ISSUING})",
)
_CLAUSES_WITHOUT_WHO = (
    # "were first published", "appeared", "are", "are there", or nothing ("List the releases from ...")
    rf"(?:\s+(?i:that|which))?(?:\s+{_BE})?(?:\s+(?i:first|originally|initially|ever))?\s+(?i:{_ISSUING})",
    rf"\s+{_BE}(?:\s+(?i:there))?",
    # "What documents do you have?", "Which statements does it hold?"
    r"\s+(?i:do|does)\s+(?i:you|it)\s+(?i:have|hold|contain|know(?:\s+of)?)",
    r"",
)
_BY_TAIL = rf"(?:\s+(?i:by)\s+{_WHO})"
_END = r"\s*[?.!]*\s*"


@dataclass(frozen=True)
class CollectionQuestion:
    """What a question about the collection asks for, besides its period and speakers."""

    noun: str  # the document noun asked, singular ("paper", "press release")
    doc_types: tuple[str, ...] = ()  # the corpus's types that noun names (empty: any type)
    agent: str | None = None  # who issued them, when the corpus knows no such speaker
    modifier: str = ""  # words of the collection's own name around the noun ("Federalist")
    extreme: str = ""  # "latest" or "earliest": only the newest or the oldest statement is asked for


@dataclass(frozen=True)
class Listing:
    """The statements a question about the collection asks for, oldest first."""

    asked: CollectionQuestion
    documents: tuple[Document, ...]


def plural(noun: str) -> str:
    """An English plural for a document noun ("speech" -> "speeches").

    Example:
        >>> [plural(n) for n in ("press release", "speech", "remarks", "testimony")]
        ['press releases', 'speeches', 'remarks', 'testimonies']
    """
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun if noun.endswith("s") and not noun.endswith("ss") else noun + "es"
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + "s"


def _singular(noun: str, known: Iterable[str]) -> str | None:
    """The known singular noun a word of the question stands for, if any."""
    lowered = " ".join(noun.lower().split())
    for candidate in known:
        if lowered in (candidate, plural(candidate)):
            return candidate
    return None


def _nouns(doc_types: Iterable[str]) -> list[str]:
    """Every singular noun that may name statements here: the general ones and the corpus's
    types, longest first. A type's last word alone is not one: "point" of "press point" or
    "call" of "courtesy call" is more often an ordinary word ("Which points did she make?")."""
    nouns = set(_ANY_STATEMENT)
    for doc_type in doc_types:
        doc_type = " ".join(doc_type.lower().split())
        if doc_type and re.fullmatch(r"[a-z][a-z -]*", doc_type):
            nouns.add(doc_type)
    return sorted(nouns, key=lambda n: (-len(n), n))


def _mentions(question: str, name: str) -> list[tuple[int, int, bool]]:
    """Where a question names a speaker: the name or surname, with any title or first names
    before it ("Attorney General Keith Ellison") and a possessive after, as (start, end, possessive)."""
    surname = re.escape(name.split()[-1])
    # The speakers were found already (``match_names``); here only where: in any case, as typed.
    # Typed in lower case, only the name's own first names may stand before it.
    given = "|".join(re.escape(p.lower()) for p in name.split()[:-1]) or "(?!)"
    first = r"(?:[A-Z][a-z]+\.?|[A-Z]\.)" if re.search(r"[A-Z]", question) else rf"(?:{given})"
    pattern = re.compile(rf"(?:\bthe\s+)?(?:{first}\s+){{0,4}}\b(?i:{surname})\b(?P<s>['’]s\b)?")
    found = []
    for match in pattern.finditer(question):
        start = match.start()
        # A question's first word is never part of the name ("Which Madison papers").
        opening = re.match(r"(?i)(?:which|what|how|list|show|name|give|tell|please)\s+", question[start : match.end()])
        if opening and start == 0:
            start += opening.end()
        found.append((start, match.end(), bool(match["s"])))
    return found


def _set_aside(question: str, constraints: Constraints) -> str | None:
    """The question with its period and speakers replaced by placeholders (None: they overlap
    in a way no placeholder can stand for)."""
    spans: list[tuple[int, int, str]] = []
    if constraints.period is not None:
        where = period_phrase(question)
        if where is not None:
            spans.append((*where, _PERIOD))
    for name in constraints.speakers:
        spans += [(a, b, _SPEAKERS if possessive else _SPEAKER) for a, b, possessive in _mentions(question, name)]
    spans.sort(key=lambda s: (s[0], -s[1]))
    out, cursor = [], 0
    for start, end, mark in spans:
        if start < cursor:
            if end > cursor:
                return None
            continue  # one speaker's mention inside another's ("Ellison" in "Keith Ellison")
        out += [question[cursor:start], f" {mark} "]
        cursor = end
    out.append(question[cursor:])
    return " ".join("".join(out).split())


@functools.lru_cache(maxsize=16)
def _patterns(nouns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    forms = sorted({form for n in nouns for form in (n, plural(n))}, key=len, reverse=True)
    noun = r"(?P<noun>(?i:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms) + r"))"
    head = rf"^(?:{re.escape(_PERIOD)}\s*,?\s+)?(?P<open>{_OPEN})\s+{_DETERMINER}{_MODIFIER}{noun}{_QUALIFIER}"
    with_who = [rf"{head}{clause}{_TIME_TAIL}?{_END}$" for clause in _CLAUSES_WITH_WHO]
    without_who = [rf"{head}{clause}(?:{_BY_TAIL}|{_TIME_TAIL})*{_END}$" for clause in _CLAUSES_WITHOUT_WHO]
    return tuple(re.compile(p) for p in (*with_who, *without_who))


def read_question(question: str, constraints: Constraints, documents: Sequence[Document]) -> CollectionQuestion | None:
    """What a question about the collection asks for, or None for any other question.

    Args:
        question: the question as asked (follow-ups already resolved).
        constraints: its period, speakers and types, as ``qa.constraints.understand`` read them.
        documents: the corpus (its types name statements; words nearly all its headings carry
            may qualify the noun).

    Example:
        >>> from qa.constraints import understand
        >>> q = "Which of the papers did John Jay write?"
        >>> read_question(q, understand(q, ["Jay", "Madison"], []), []).noun
        'paper'
        >>> q = "What did Madison say about factions?"
        >>> read_question(q, understand(q, ["Jay", "Madison"], []), []) is None
        True
    """
    if constraints.person and not constraints.speakers:
        return None  # an unknown person is declined as usual
    masked = _set_aside(question, constraints)
    if masked is None:
        return None
    nouns = tuple(_nouns({d.doc_type for d in documents}))
    matches = [m for p in _patterns(nouns) if (m := p.match(masked))]
    if not matches:
        return None
    headings = [heading(d) for d in documents] if any(m["modifier"] or m["qualifier"] for m in matches) else []
    match = next((m for m in matches if _names_collection(f"{m['modifier'] or ''} {m['qualifier'] or ''}", headings)), None)
    if match is None:
        return None
    modifier = " ".join(f"{match['modifier'] or ''} {match['qualifier'] or ''}".split())
    singular = _singular(match["noun"], nouns)
    extreme = match.groupdict().get("extreme") or ""
    if (constraints.latest or constraints.earliest) and not extreme:
        return None  # "the latest statement on North Korea" asks for its words
    if singular is None or (match["open"].lower() == "what" and match["noun"].lower() == singular and not extreme):
        # "What statement did Ellison issue in May 2020?" asks what it says, not which it is.
        return None
    # A kind narrows the list only where every statement's kind is known: where some are not
    # ("document"), the rest are as likely press releases as those labelled so, and "How many
    # press releases are there?" asks for all of them.
    kinds_known = all(d.doc_type and d.doc_type != "document" for d in documents)
    narrowed = () if singular in _ANY_STATEMENT or not kinds_known else (singular,)
    agent = match.groupdict().get("agent")
    end = "" if not extreme else "earliest" if extreme.lower() in ("first", "earliest", "oldest") else "latest"
    asked = CollectionQuestion(singular, narrowed, agent, modifier, end)
    # With nothing to narrow it ("How many statements are there?", "List all documents"), the
    # question asks for the whole collection: its size and span, and its first statements.
    return asked


def heading(doc: Document) -> str:
    """A statement's title and opening lines, lower-cased: where it names itself."""
    return " ".join([doc.title, *(doc.text[a:b] for a, b in _opening(doc))]).lower()


def _names_collection(words: str, headings: Sequence[str]) -> bool:
    """Whether nearly every statement's heading carries each of the words (or there are none)."""
    patterns = [re.compile(rf"\b{re.escape(w.lower())}\b") for w in words.split()]
    if not patterns:
        return True
    carried = sum(all(p.search(h) for p in patterns) for h in headings)
    return bool(headings) and carried >= COLLECTION_SHARE * len(headings)


def _opening(doc: Document) -> list[tuple[int, int]]:
    return list(doc.paragraphs[:OPENING_PARAGRAPHS]) or [(0, min(len(doc.text), MAX_CITED_CHARS))]


def _names(text: str, name: str) -> bool:
    """Whether a text names someone or something, in any case ("HAMILTON", "the Attorney General")."""
    phrase = re.sub(r"(?i)^the\s+", "", name).strip()
    return bool(phrase) and re.search(rf"(?i)(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _surnames(names: Iterable[str]) -> list[str]:
    """How the opening lines may name speakers: by surname alone ("JAY" for "John Jay")."""
    return sorted({n.split()[-1] for n in names if n.split()})


def _by_agent(doc: Document, agent: str) -> bool:
    """Whether a statement names an agent in its title, its publisher or its opening lines."""
    opening = " ".join(doc.text[a:b] for a, b in _opening(doc))
    return any(_names(text, agent) for text in (doc.title, doc.publisher, opening))


def find(documents: Iterable[Document], constraints: Constraints, asked: CollectionQuestion) -> Listing:
    """The statements that satisfy a question about the collection, oldest first (undated last)."""
    kept = []
    for doc in documents:
        if constraints.doc_ids and doc.doc_id not in constraints.doc_ids:
            continue
        if constraints.period and not (doc.date and constraints.period.contains(doc.date.first, doc.date.last)):
            continue
        if constraints.speakers and not set(doc.speakers) & set(constraints.speakers):
            continue
        if constraints.doc_types and doc.doc_type not in constraints.doc_types:
            continue
        if asked.doc_types and " ".join(doc.doc_type.lower().split()) not in asked.doc_types:
            continue
        if asked.agent and not _by_agent(doc, asked.agent):
            continue
        kept.append(doc)
    kept.sort(key=lambda d: (d.date is None, d.date.first if d.date else date.max, d.doc_id))
    dated = [d for d in kept if d.date]
    if asked.extreme and dated:
        # The newest (or oldest) statements: those of its date.
        end = dated[-1].date if asked.extreme == "latest" else dated[0].date
        kept = [d for d in dated if d.date == end]
    return Listing(asked, tuple(kept))


def opening_quote(doc: Document, names: Sequence[str] = ()) -> Quote:
    """A statement's opening lines as exact words: from its first line through the lines that
    print its title, its date and the name asked about (as far as the last of them, within
    MAX_CITED_CHARS), else its first line.

    Where the name stands only further down, the sentence that holds it is quoted instead.
    """
    paragraphs = _opening(doc)
    start = paragraphs[0][0]
    title = " ".join(doc.title.split())
    titling = [p for p in paragraphs if len(doc.text[p[0] : p[1]].split()) and " ".join(doc.text[p[0] : p[1]].split()) in title]
    dating = next((p for p in paragraphs if _prints_date(doc, doc.text[p[0] : p[1]])), None)
    naming = next((p for p in paragraphs if any(_names(doc.text[p[0] : p[1]], n) for n in names)), None)
    found = (titling[-1] if titling else None, dating, naming)
    ends = [p[1] for p in found if p is not None and p[1] - start <= MAX_CITED_CHARS]
    end = max(ends) if ends else None
    if naming is not None and (end is None or end < naming[1]):
        # The author is named, but too far down to quote all lines before: quote that sentence.
        a, b = next(((a, b) for a, b in sentence_spans(doc.text, *naming) if any(_names(doc.text[a:b], n) for n in names)), naming)
        return _quote(doc, a, b)
    if end is None:
        a, b = paragraphs[0]
        line = doc.text.find("\n", a, b)
        end = line if line > a else b
    return _quote(doc, start, end)


def _prints_date(doc: Document, text: str) -> bool:
    """Whether a text prints the statement's own date (known to the day)."""
    return doc.date is not None and doc.date.first == doc.date.last and any(d == doc.date.first for _, d in full_dates(text))


def _quote(doc: Document, start: int, end: int) -> Quote:
    """The exact words ``doc.text[start:end]``, cut at a word break to MAX_CITED_CHARS."""
    if end - start > MAX_CITED_CHARS:
        space = doc.text.rfind(" ", start, start + MAX_CITED_CHARS)
        end = space if space > start else start + MAX_CITED_CHARS
    end = max(start + 1, len(doc.text[:end].rstrip()))
    return Quote(source_ref(doc, start, end), doc.text[start:end], 1.0, 0.0, 0.0, 1.0, own_coverage=1.0)


def _who(names: Iterable[str], joiner: str = "and") -> str:
    """Names for a sentence, each once in its fullest form ("Keith Ellison", not also "Ellison")."""
    names = sorted(set(names), key=len, reverse=True)
    kept = [n for i, n in enumerate(names) if not any(m.endswith(" " + n) for m in names[:i])]
    kept.sort()
    return kept[0] if len(kept) == 1 else f"{', '.join(kept[:-1])} {joiner} {kept[-1]}"


def lead(listing: Listing, constraints: Constraints) -> str:
    """One sentence with the count and what was asked for ("The documents hold 5 statements by Jay")."""
    asked, n = listing.asked, len(listing.documents)
    kind = asked.noun if asked.doc_types else "statement"
    if asked.extreme:
        parts = [f"The {asked.extreme} {kind if n == 1 else plural(kind)}"]
    else:
        parts = [f"The documents hold {n} {kind if n == 1 else plural(kind)}"]
    if constraints.speakers:
        parts.append(f"by {_who(constraints.speakers, 'or')}")
    if constraints.period:
        parts.append(f"dated {constraints.period.label}")
    if asked.agent:
        parts.append(f"whose opening lines or publisher name {asked.agent}")
    text = " ".join(parts)
    if asked.extreme:
        return text
    dates = sorted((d.date for d in listing.documents if d.date), key=lambda d: d.first)
    if not constraints.period and dates and dates[0].first != dates[-1].last:
        # No period asked: the span they cover is part of what the collection is.
        text += f", dated {human_date(dates[0])} to {human_date(dates[-1])}"
    return text


def answer_text(listing: Listing, constraints: Constraints) -> tuple[str, tuple[Citation, ...]]:
    """The count, then each statement (the first MAX_LISTED) with its date and title, cited."""
    shown = listing.documents[:MAX_LISTED]
    more = len(listing.documents) - len(shown)
    names = _surnames(constraints.speakers) + ([listing.asked.agent] if listing.asked.agent else [])
    # What every listed statement shares is said once, in the lead, not on each line.
    one_date = len(listing.documents) > 1 and len({d.date for d in listing.documents}) == 1
    one_voice = len(listing.documents) > 1 and len({d.speakers for d in listing.documents}) == 1
    citations = []
    lines = []
    for n, doc in enumerate(shown, start=1):
        quote = opening_quote(doc, names or _surnames(doc.speakers))
        citations.append(Citation(n, quote))
        facts = [] if one_date else [human_date(doc.date)]
        if doc.speakers and not constraints.speakers and not one_voice:
            facts.append(_who(doc.speakers))
        said = f" ({', '.join(facts)})" if facts else ""
        lines.append(f"• {' '.join(doc.title.split())}{said} [{n}]")
    head = lead(listing, constraints)
    shared = [f"of {human_date(shown[0].date)}"] if one_date else []
    if one_voice and shown[0].speakers and not constraints.speakers:
        shared.append(f"by {_who(shown[0].speakers)}")
    if shared:
        head += ", all " + " and ".join(shared)
    if listing.asked.extreme:
        head += f"{',' if shared else ''} {'is' if len(listing.documents) == 1 else 'are'}"
    if more:
        head += f"; the first {len(shown)} by date:"
        last = listing.documents[-1].date
        lines.append(f"…and {more} more, the last {'undated' if last is None else 'dated ' + human_date(last)}.")
    else:
        head += ":"
    return "\n".join([head, *lines]), tuple(citations)


def within(question: str, constraints: Constraints) -> Constraints:
    """The constraints with "from June 2011" read as the month it names, not as "since".

    ``parse_period`` reads a bare "from" as a start ("What has NATO said from 2017?"), but
    statements "from June 2011" are those dated June 2011.

    Example:
        >>> from qa.constraints import understand
        >>> q = "List the press releases from June 2011"
        >>> within(q, understand(q, [], [])).period.label
        'June 2011'
    """
    where = period_phrase(question)
    own = parse_period(question)
    if where is None or own is None or constraints.period != own or not own.label.lower().startswith("from "):
        return constraints  # no "from" of the question's own (a filter's period stays as it is)
    start = where[0] + question[where[0] : where[1]].lower().find("from")
    period = parse_period(f"{question[:start]}in{question[start + 4 :]}")
    return replace(constraints, period=period) if period is not None else constraints


@dataclass(frozen=True)
class Catalogue:
    """The answer to a question about the collection: text with [n] markers, and its citations."""

    text: str
    citations: tuple[Citation, ...]
    period: str | None  # the period the statements were listed for, as a reader would say it


def list_statements(question: str, constraints: Constraints, documents: Sequence[Document]) -> Catalogue | None:
    """The answer to a question about the collection itself, or None when the question is not
    one or no statement matches (the usual pipeline then answers or declines).

    Args:
        question: the question (follow-ups already resolved).
        constraints: what the question and the user's filters restrict it to.
        documents: every document of the index.

    Returns:
        A lead with the count, then one cited line per statement (the first MAX_LISTED), or None.
    """
    constraints = within(question, constraints)
    asked = read_question(question, constraints, documents)
    if asked is None:
        return None
    listing = find(documents, constraints, asked)
    if not listing.documents:
        return None
    text, citations = answer_text(listing, constraints)
    return Catalogue(text, citations, constraints.period.label if constraints.period else None)
