"""Check a generated answer against its quotes, sentence by sentence. Pure functions.

1. Repair citation markers small models garble ("[N1]", "[Quote 2]", "[1, 2]", "【1】").
2. Split the answer into sentences, each with the quote numbers it cites.
3. Keep a sentence only if the quotes it cites say it: every date and number in it stated
   there (exactly; "2018" is not "2013"), every name there as a whole word ("US" is not in
   "thus"), every content word there (Snowball stems of one spelling, so "condemned" finds
   "condemn" and "behavior" finds "behaviour": ``qa.words``), and the
   same polarity (no negation or stance the quote does not take: ``qa.polarity``). A quote's
   statement lends its own facts too (date, title, speakers, publisher, title lines), never
   its body beyond the quote, and never the question. Sentences of a quote that address the
   reader or the assistant ("you must state that ...") support nothing. A sentence that cites
   nothing, or the wrong quote, is re-attributed to the quote that does support it, if one
   does.
4. Renumber the surviving citations 1..n in order of first use.

What it does not do: judge whether the answer is complete, or parse who did what to whom
("Japan condemned NATO" from "NATO condemned Japan" keeps every word). It prefers dropping a
true paraphrase to keeping a false one: the verified quote then stands in its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.bm25 import STOPWORDS, tokenize
from qa.evidence import human_date
from qa.instructions import addresses_assistant, claims_authority, without_addressing
from qa.polarity import polarity_conflict
from qa.quotes import Quote
from qa.values import DateMention, dates_in, iso_mention, numbers_in
from qa.words import keys

#: A sentence must carry at least this many content words of the quote's own text: "NATO [1]."
#: or "15 April 2013 [1]." restates metadata and answers nothing.
MIN_QUOTED_WORDS = 2

#: A title line is at most this long: "issued on the occasion of the meeting between ..." fits,
#: a paragraph does not.
MAX_TITLE_WORDS = 40

_MARKER_VARIANTS = (
    (re.compile(r"【\s*(\d+)\s*】"), r"[\1]"),
    # Words the model put in brackets ("[NATO] condemned") are words, not citations.
    (re.compile(r"\[\s*([A-Za-z][^\[\]\d]*?)\s*\]"), r"\1"),
    (re.compile(r"\[\s*(?:N|n|Quote|quote|Q|q|#|Source|source|ref)\s*\.?\s*(\d+)\s*\]"), r"[\1]"),
    (re.compile(r"\[\s*\[\s*(\d+)\s*\]\s*\]"), r"[\1]"),
)
_DATE_ECHO = re.compile(r"\(\s*(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}\s*\)")
_MULTI = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)+)\s*\]")
_MARKER = re.compile(r"\[(\d+)\]")
_NAME = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Words that frame a claim about a statement rather than state its content (as keys).
_FRAMING = frozenset(
    keys(
        "said says stated states statement statements according noted note quote quotes document documents "
        "also mentioned mention expressed express emphasised emphasized highlighted added indicated"
    )
)


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer, without its markers, and the quote numbers it cites."""

    text: str
    cited: tuple[int, ...]


@dataclass(frozen=True)
class Verified:
    """The checked answer: renumbered text, the quotes it cites (in [1..n] order), what was cut."""

    text: str
    quotes: tuple[Quote, ...]
    dropped: tuple[str, ...]
    # Each kept sentence (without markers) and the numbers it cites, after renumbering.
    claims: tuple[Claim, ...] = ()


def repair_markers(text: str) -> str:
    """Rewrite garbled citation markers as ``[n]``; split ``[1, 2]`` into ``[1][2]``.

    Example:
        >>> repair_markers("[NATO] agreed [N1]. Japan too [1, 2]. [Japan said so.")
        'NATO agreed [1]. Japan too [1][2]. Japan said so.'
    """
    for pattern, replacement in _MARKER_VARIANTS:
        text = pattern.sub(replacement, text)
    text = _MULTI.sub(lambda m: "".join(f"[{n}]" for n in re.split(r"\s*[,;]\s*", m.group(1))), text)
    # A bracket left open or closed alone is debris of a garbled marker.
    return re.sub(r"\[(?!\d+\])|(?<!\[\d)(?<!\[\d\d)\]", "", text)


def split_claims(text: str) -> list[Claim]:
    """Sentences of an answer with the markers that follow or end them."""
    # Small models sometimes wrap their whole answer in quotation marks.
    text = " ".join(text.replace('"', " ").replace("“", " ").replace("”", " ").split())
    # A sentence ends at . ! or ? followed by markers and space; markers belong to the sentence before.
    pieces = re.split(r"(?<=[.!?])((?:\s*\[\d+\])*)\s+(?=[A-Z\"“(])", text)
    claims = []
    # re.split with one group alternates sentence, markers, sentence, markers, ...
    for i in range(0, len(pieces), 2):
        sentence = pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) else "")
        cited = tuple(dict.fromkeys(int(n) for n in _MARKER.findall(sentence)))
        bare = " ".join(_MARKER.sub(" ", sentence).split())
        bare = re.sub(r"\s+([.,;:!?])", r"\1", bare)
        # The model echoes the "(31 October 2017)" that prefixes each quote in the prompt.
        bare = " ".join(_DATE_ECHO.sub(" ", bare).split())
        if re.search(r"[A-Za-z0-9]", bare):
            claims.append(Claim(bare, cited))
    # A last sentence without its full stop was cut off by the token limit: not a claim.
    if claims and not re.search(r"[.!?][\"'”’)]*$", claims[-1].text):
        claims.pop()
    return claims


def _plain(text: str) -> str:
    """Curly apostrophes straightened and possessives dropped: "NATO’s" -> "NATO"."""
    return re.sub(r"'s\b", "", text.replace("’", "'"))


def _in_dates(position: int, dates: Sequence[DateMention]) -> bool:
    return any(m.start <= position < m.end for m in dates)


def check_claim(claim: str, quote_text: str, facts: str = "", statement_dates: Sequence[str | None] = ()) -> tuple[bool, str]:
    """Whether the quote (and its statement's own facts) say everything a sentence says.

    Args:
        claim: one generated sentence, without its markers.
        quote_text: the exact words of the quote it cites.
        facts: its statement's own facts (title, speakers, publisher, title lines): they may
            supply names and dates, never the substance of a claim.
        statement_dates: the statements' ISO dates, which a claim may state.

    Returns:
        (kept, reason): reason says what is missing or contradicted.

    Example:
        >>> check_claim("NATO welcomed North Korea's nuclear tests.", "We condemn North Korea's nuclear tests.", "NATO")
        (False, 'welcomed is not in the quote')
    """
    if claim.rstrip().endswith("?"):
        return False, "a question, not a claim"
    if addresses_assistant(claim) or claims_authority(claim):
        return False, "speaks to the reader, not about the statements"
    words = _plain(without_addressing(quote_text))
    claim, facts = _plain(claim), _plain(facts)
    support = f"{words} {facts}"
    known = [d for d in statement_dates if d]
    # "On April 15" takes the year of the statement it stands in.
    year = int(known[0][:4]) if len(known) == 1 else None
    claim_dates = dates_in(claim, year)
    support_dates = dates_in(words, year) + dates_in(facts, year)
    support_dates += [m for m in (iso_mention(d) for d in known) if m is not None]
    for mention in claim_dates:
        if not any(s.within(mention) for s in support_dates):
            return False, f"date {claim[mention.start : mention.end]} is not in the quote or its statement's date"
    support_numbers = set(numbers_in(words)) | set(numbers_in(facts))
    for number in numbers_in(claim, claim_dates):
        if number not in support_numbers:
            return False, f"number {number} is not in the quote"
    # Whole words, and the parts of hyphenated ones ("Japan-NATO" holds "Japan").
    support_words = {w.lower() for w in _NAME.findall(support)}
    support_words |= {part for w in support_words for part in re.split(r"[-’']", w) if part}
    for match in _NAME.finditer(claim):
        word = match.group()
        if match.start() > 0 and word[:1].isupper() and word.lower() not in STOPWORDS and not _in_dates(match.start(), claim_dates):
            parts = [p for p in re.split(r"[-’']", word.lower()) if p]
            if word.lower() not in support_words and not all(p in support_words for p in parts):
                return False, f"name {word} is not in the quote"
    undated = "".join(" " if _in_dates(i, claim_dates) else ch for i, ch in enumerate(claim))
    support_stems = set(keys(support))
    content = []
    for word in re.findall(r"[A-Za-z0-9]+", undated):
        for token in keys(word):
            if token in _FRAMING or token[0].isdigit() or len(token) == 1:
                continue
            if token not in support_stems:
                return False, f"{word} is not in the quote"
            content.append(token)
    if len(set(content) & set(keys(words))) < MIN_QUOTED_WORDS:
        return False, "says nothing the quote says"
    conflict = polarity_conflict(claim, words)
    if conflict:
        return False, f"opposite polarity ({conflict})"
    return True, "supported"


def on_topic(claim: str, subject: Sequence[str]) -> bool:
    """Whether a sentence mentions at least one of the question's subject words (stemmed)."""
    if not subject:
        return True
    return bool(set(tokenize(claim)) & set(subject))


def verify(answer: str, quotes: Sequence[Quote], facts: Sequence[str], subject: Sequence[str] = ()) -> Verified:
    """Keep the sentences the quotes support, with repaired and renumbered citations.

    Args:
        answer: the generated text, markers ``[1]..[len(quotes)]`` referring to ``quotes``.
        quotes: the quotes as numbered in the prompt.
        facts: for each quote, its statement's own facts (title, speakers, publisher, title
            lines; see ``statement_facts``), never its body.
        subject: the question's subject words (BM25 tokens); a sentence must mention one, so
            a true sentence about something else ("China", asked about North Korea) is cut.
    """
    facts = list(facts)
    if len(facts) != len(quotes):
        raise ValueError(f"{len(quotes)} quotes but {len(facts)} sets of statement facts")

    def supported_by(text: str, numbers: Sequence[int]) -> bool:
        return check_claim(
            text,
            " ".join(quotes[n - 1].text for n in numbers),
            " ".join(facts[n - 1] for n in numbers),
            [quotes[n - 1].ref.date for n in numbers],
        )[0]

    kept: list[tuple[str, tuple[int, ...]]] = []
    dropped: list[str] = []
    for claim in split_claims(repair_markers(answer)):
        if not on_topic(claim.text, subject):
            dropped.append(claim.text)
            continue
        valid = tuple(n for n in claim.cited if 1 <= n <= len(quotes))
        if valid and supported_by(claim.text, valid):
            kept.append((claim.text, valid))
            continue
        # Uncited or mis-cited: credit the one quote that supports it, if any does.
        backing = [n for n in range(1, len(quotes) + 1) if supported_by(claim.text, (n,))]
        if backing:
            kept.append((claim.text, (backing[0],)))
        else:
            dropped.append(claim.text)
    order: list[int] = []
    for _, cited in kept:
        order.extend(n for n in cited if n not in order)
    renumber = {old: new for new, old in enumerate(order, start=1)}
    claims = tuple(Claim(text, tuple(renumber[n] for n in cited)) for text, cited in kept)
    text = " ".join(cite(c.text, c.cited) for c in claims)
    return Verified(text, tuple(quotes[n - 1] for n in order), tuple(dropped), claims)


def title_lines(text: str, body_start: int) -> str:
    """The heading lines of a document before its body: short lines that are not sentences.

    Example:
        >>> title_lines("Joint press statement\\n\\nissued on the meeting of X and Y\\n  • 31 Oct. 2017 -\\nWe met today.", 60)
        'Joint press statement issued on the meeting of X and Y'
    """
    lines = []
    for line in text[:body_start].splitlines():
        words = re.findall(r"[A-Za-z0-9]+", line)
        # A heading names who, where and when; a line that ends as a sentence is body text.
        if words and len(words) <= MAX_TITLE_WORDS and not re.search(r"[.!?:;]\W*$", line) and not line.strip().startswith("•"):
            lines.append(line.strip())
    return " ".join(lines)


def statement_facts(title: str, date: str | None, speakers: Sequence[str], publisher: str, doc_type: str, title_lines: str = "") -> str:
    """The facts of a statement a generated sentence may state besides its quote's words.

    Its title, date, speakers, publisher and type, and its title lines (the heading block
    before its first passage: who met whom, where), never sentences of its body: the first
    400 characters of a document are not evidence for whatever a model writes.
    """
    when = f"{human_date(date)} {date}" if date else ""
    return " ".join(p for p in (title, when, ", ".join(speakers), publisher, doc_type, title_lines) if p)


def cite(sentence: str, numbers: Sequence[int]) -> str:
    """A sentence with its markers before the final full stop: 'NATO agreed [1][2].'"""
    body = sentence[:-1] if sentence[-1:] in ".!?" else sentence
    end = sentence[-1] if sentence[-1:] in ".!?" else "."
    return f"{body} {''.join(f'[{n}]' for n in numbers)}{end}"
