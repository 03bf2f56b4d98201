"""The answer that needs no model: the verified quotes themselves, each with a framing line.

It is the fallback whenever a generated answer cannot be verified, and the whole answer when
no generator is configured. Pure functions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from embeddings.bm25 import tokenize
from embeddings.dates import full_dates
from embeddings.layout import sentence_spans
from embeddings.text import normalize
from qa.answer import Citation
from qa.disagreement import Side, describe
from qa.evidence import human_date
from qa.quotes import Quote, distinct_points, says_again
from qa.verify import Verified, cite

#: A title longer than this is a sentence or a dateline read as a title: it is not repeated.
MAX_FRAMING_TITLE_WORDS = 14


def _restates(title: str, text: str) -> bool:
    """Whether a quote says again what a title says (one holds the other, or nearly all its words)."""
    if normalize(title) in normalize(text):
        return True
    words = set(tokenize(title))
    return any(says_again(words, set(tokenize(text[a:b]))) for a, b in sentence_spans(text))


#: Words between quotation marks: someone's own words, which may name whoever they like.
_QUOTED_WORDS = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _narrates(text: str, names: Sequence[str]) -> bool:
    """Whether words outside quotation marks name a speaker in the third person: "Attorney
    General Ellison today announced ..." is the statement's narration, not Ellison speaking.

    Example:
        >>> _narrates("Minnesota Attorney General Keith Ellison today announced a unit.", ["Keith Ellison"])
        True
        >>> _narrates("“I will hold companies accountable.”", ["Keith Ellison"])
        False
    """
    outside = _QUOTED_WORDS.sub(" ", text)
    return any(re.search(rf"\b{re.escape(name.split()[-1])}\b", outside) for name in names)


#: Words a speaker uses of themselves: a quote without any is a statement's narration, a
#: headline or a dateline, not words its speaker is known to have said.
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Mm]y|[Oo]ur|[Oo]urs|us|me|[Mm]yself|[Oo]urselves)\b")


def _who(quote: Quote) -> str:
    names = [s.strip() for s in quote.ref.speaker.split(",") if s.strip()]
    if names and (_narrates(quote.text, names) or not _FIRST_PERSON.search(quote.text)):
        # The statement speaks of its speaker, or of others ("Council members Greene and Patel
        # voted against"): it says this; its speaker is not known to have said these words.
        return f"the statement by {_joined(names)} says"
    if not names:
        title = " ".join(quote.ref.title.split())
        # A title that is the statement's first sentence or its dateline ("KABUL, Afghanistan
        # (Dec. 22, 2012)") would say again what the quote or the date says: the citation
        # list shows it; the framing names the kind of statement.
        if title and len(title.split()) <= MAX_FRAMING_TITLE_WORDS and not full_dates(title) and not _restates(title, quote.text):
            return f"“{title}” says"
        kind = quote.ref.doc_type or "statement"
        return f"a{'n' * (kind[:1].lower() in 'aeiou')} {kind} says"
    return f"{_joined(names)} said"


# An organisation, not a person, speaks: "Office of Management and Budget", "Riverton Harbor Authority".
_ORGANISATION = re.compile(
    r"\bof\b|\b(?:Office|Department|Ministry|Authority|Council|Commission|Agency|Bureau|Embassy|Mission|"
    r"Secretariat|Administration|Government|Court|Committee|Board|Service|Police|Force|Command)$"
)


def _named(name: str) -> str:
    """A speaker as a sentence names them: an organisation with "the" ("the Office of
    Management and Budget"), a person as they are."""
    return f"the {name}" if _ORGANISATION.search(name) and not name.lower().startswith("the ") else name


def _joined(names: Sequence[str]) -> str:
    names = [_named(n) for n in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def quoted(text: str) -> str:
    """A document's words between quotation marks, on one line: double marks, or single ones
    around words that hold double marks themselves (a statement quoting its speaker), so the
    answer never shows ““ or ””.

    Example:
        >>> quoted("NATO  condemns it.")
        '“NATO condemns it.”'
        >>> quoted("“It’s hard to shop,” said Attorney General Swanson.")
        '‘“It’s hard to shop,” said Attorney General Swanson.’'
    """
    words = " ".join(text.split())
    return f"‘{words}’" if any(mark in words for mark in '“”"') else f"“{words}”"


def framing(quote: Quote, titled: bool = False) -> str:
    """'On 31 October 2017, Jens Stoltenberg and Shinzo Abe said' (or the undated variant);
    ``titled``, with the statement's title, which tells apart two statements of one speaker
    and date: 'On 28 May 1788, in “FEDERALIST No. 79 — The Judiciary Continued”, Hamilton said'."""
    who = _who(quote)
    title = " ".join(quote.ref.title.split())
    if titled and title and f"“{title}”" not in who:
        who = f"in “{title}”, {who}"
    if quote.ref.date:
        return f"On {human_date(quote.ref.date)}, {who}"
    kind = re.match(r"an? (.+) says$", who)
    # Not "In an undated document, a document says": the kind of statement is said once.
    return f"An undated {kind.group(1)} says" if kind else f"In an undated document, {who}"


def extractive_answer(quotes: Sequence[Quote]) -> tuple[str, tuple[Citation, ...]]:
    """The quotes themselves, grouped by statement, each ending with its [n] marker.

    The leading quote's statement comes first, then the others oldest first. A statement is
    introduced once, with its date and speaker; its further points follow as "In the same
    statement", in the order the statement makes them. No sentence is shown twice
    (``distinct_points``).
    """
    points = distinct_points(quotes)
    if not points:
        return "", ()
    groups: dict[str, list[Quote]] = {}
    for quote in points:
        groups.setdefault(quote.ref.doc_id, []).append(quote)
    # A statement's further points follow its first in the order it makes them: a sentence
    # that goes on from another ("And that is a lesson ...") comes after it.
    groups = {d: [first, *sorted(more, key=lambda q: q.ref.start)] for d, (first, *more) in groups.items()}
    lead, *rest = groups.values()
    rest.sort(key=lambda group: (group[0].ref.date or "9999", group[0].ref.start))
    ordered = [q for group in (lead, *rest) for q in group]
    citations = tuple(Citation(n, q) for n, q in enumerate(ordered, start=1))
    # Two statements of one speaker and date would read as one: each is named by its title.
    intros = {group[0].ref.doc_id: framing(group[0]) for group in (lead, *rest)}
    shared = Counter(intros.values())
    lines = []
    for citation in citations:
        quote = citation.quote
        first = all(c.quote.ref.doc_id != quote.ref.doc_id for c in citations[: citation.n - 1])
        intro = intros[quote.ref.doc_id]
        if not first:
            intro = "In the same statement"
        elif shared[intro] > 1:
            intro = framing(quote, titled=True)
        lines.append(f"{intro}: {quoted(quote.text)} [{citation.n}]")
    return "\n".join(lines), citations


def dated_answer(quotes: Sequence[Quote], checked: Verified) -> tuple[str, tuple[Citation, ...]]:
    """An answer across time: one dated line per quote, oldest first.

    A line carries the verified sentences that cite its quote; a quote no sentence cites is
    given in its own words, so every period that speaks is heard.
    """
    ordered = sorted(quotes, key=lambda q: (q.ref.date or "9999", q.ref.start))
    citations = tuple(Citation(n, q) for n, q in enumerate(ordered, start=1))
    lines = []
    for citation in citations:
        old = next((i for i, q in enumerate(checked.quotes, start=1) if q is citation.quote), None)
        said = [c.text for c in checked.claims if old is not None and c.cited == (old,)]
        again = citation.n > 1 and citations[citation.n - 2].quote.ref.doc_id == citation.quote.ref.doc_id
        if said:
            lines.append(f"{human_date(citation.quote.ref.date)}: " + " ".join(cite(s, [citation.n]) for s in said))
        else:
            intro = "In the same statement" if again else framing(citation.quote)
            lines.append(f"{intro}: {quoted(citation.quote.text)} [{citation.n}]")
    return "\n".join(lines), citations


def disagreement_answer(sides: Sequence[Side]) -> tuple[str, tuple[Citation, ...]]:
    """Sources that disagree: one sentence naming each side, then each side's quotes.

    Quotes are numbered side by side (the side with most documents first), each listed once.
    """
    ordered: list[Quote] = []
    for side in sides:
        for reading in side.readings:
            if all(q is not reading.quote for q in ordered):
                ordered.append(reading.quote)
    citations = tuple(Citation(n, q) for n, q in enumerate(ordered, start=1))
    numbers = {id(c.quote): c.n for c in citations}
    lines = [describe(sides, numbers)]
    lines += [f"{framing(c.quote)}: {quoted(c.quote.text)} [{c.n}]" for c in citations]
    return "\n".join(lines), citations


def sources_answer(asked: str, citations: Sequence[Citation]) -> tuple[str, tuple[Citation, ...]]:
    """Whose, or of which date, the statements an answer quoted are ("Who said that?", "When
    was that?"): each statement once, cited by its first quote.

    Example: "The previous answer quotes the statement by Jens Stoltenberg and Shinzo Abe, dated
    31 October 2017 (“Joint press statement”) [1]."
    """
    firsts: dict[str, Quote] = {}
    for citation in citations:
        firsts.setdefault(citation.quote.ref.doc_id, citation.quote)
    cited = tuple(Citation(n, q) for n, q in enumerate(firsts.values(), start=1))
    lines = []
    for citation in cited:
        ref = citation.quote.ref
        names = [s.strip() for s in ref.speaker.split(",") if s.strip()]
        who = f"by {_joined(names)}" if names else "which names no speaker"
        when = f"dated {human_date(ref.date)}" if ref.date else "undated"
        title = f" (“{' '.join(ref.title.split())}”)" if ref.title else ""
        parts = (who, when) if asked == "who" else (when, who)
        lines.append(f"the statement {parts[0]}, {parts[1]}{title} [{citation.n}]")
    if len(lines) == 1:
        return f"The previous answer quotes {lines[0]}.", cited
    return f"The previous answer quotes {len(lines)} statements: {'; '.join(lines)}.", cited
