"""A question prepared for search: its text, its subject words and how much of them a text holds.

Pure functions over the question, its constraints and the corpus's BM25 statistics.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from wordfreq import word_frequency

from embeddings.bm25 import BM25Index, tokenize
from qa.answer_type import asked_kind, asking_words, change_word, is_request
from qa.constraints import TIME_WORDS, Constraints, saying_verb


@dataclass(frozen=True)
class Query:
    """A question prepared for ranking: its words and (lazily) its vector."""

    text: str
    tokens: tuple[str, ...]
    # The words a quote must contain to answer: ``tokens`` less those a filter already enforces
    # and those that only frame the question ("how did the message change").
    subject: tuple[str, ...] = ()
    # The kind of fact asked for ("number" for "how much ..."), see qa.answer_type.
    kind: str | None = None


def narrows(constraints: Constraints | None) -> bool:
    """Whether constraints pick particular statements (a period, speaker, type or document)."""
    return constraints is not None and bool(constraints.period or constraints.speakers or constraints.doc_types or constraints.doc_ids)


def prepare_query(question: str, constraints: Constraints | None = None) -> Query:
    """The question's text for the embedder and its content words for BM25.

    Words that only state a constraint (the year asked about, a speaker's name, "latest")
    are dropped from the keywords: the filter enforces them, and as keywords they would
    reward passages that merely mention a year or a name. Document-type words stay: "the
    courtesy call" is also what the passage about the call says.

    A question that names statements and nothing else ("What did Stoltenberg say in January
    2023?") has no subject: whatever those statements say answers it. Without a constraint,
    a question with no subject of its own keeps all its words as its subject, to be declined
    unless a quote holds them.
    """
    said = saying_verb(question) if constraints is not None and (constraints.speakers or constraints.person) else None
    # "Did Jay write about the Senate?": the verb only frames the speaker, as "say" does.
    tokens = tokenize(question if said is None else f"{question[: said[0]]} {question[said[1] :]}")
    # "Nos." and "number" only mark a document's number ("Federalist Nos. 18, 19 and 20").
    markers = {t for match in _IDENTIFIER.finditer(question) for t in tokenize(match.group()) if not t.isdigit()}
    asking = set(tokenize(asking_words(question))) | set(tokenize(change_word(question))) | markers
    if constraints is not None:
        drop = set(TIME_WORDS) if (constraints.period or constraints.latest or constraints.earliest) else set()
        if constraints.period:
            drop |= {t for t in tokens if t.isdigit() and len(t) == 4}
        for name in constraints.speakers:
            drop |= set(tokenize(name))
        kept = [t for t in tokens if t not in drop]
        typed = {t for doc_type in constraints.doc_types for t in tokenize(doc_type)}
        # "Summarize the 2023 joint statement" asks for what the statements say, as "What did
        # Stoltenberg say in 2023?" does: only its asking words are left.
        own = [t for t in kept if t not in typed and (t not in asking or not is_request(question))]
        if not own and narrows(constraints):
            return Query(text=question.strip(), tokens=tuple(kept or tokens), subject=(), kind=asked_kind(question))
        tokens = kept or tokens
        tokens_untyped = [t for t in tokens if t not in typed] or tokens
    else:
        tokens_untyped = tokens
    subject = [t for t in tokens_untyped if t not in asking] or tokens_untyped
    text = question.strip()
    if constraints is not None and constraints.speakers:
        # The filter already keeps to the speaker's statements; left in, the name pulls the
        # embedding towards the lines that merely print it (an author line, a byline).
        for name in sorted({w for s in constraints.speakers for w in s.split()}, key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(name)}(?:['’]s)?\b", " ", text)
        text = " ".join(text.split()) or question.strip()
    return Query(text=text, tokens=tuple(tokens), subject=tuple(subject), kind=asked_kind(question))


def expected_idf(word: str, bm25: BM25Index) -> float:
    """The IDF a word would have if these passages used it as often as English at large does.

    A word the corpus never uses still tells how specific a question is: "Sanzar" or "FIFA"
    (rare anywhere) is what the corpus cannot answer and weighs as much as the rarest word,
    while "everyone" or "alongside" (common anywhere) is only the question's wording and
    weighs like a common word. English word frequencies come from ``wordfreq``.
    """
    n = bm25.n_docs
    share = 1.0 - (1.0 - word_frequency(word, "en")) ** float(bm25.doc_lengths.mean() if n else 0.0)
    df = share * n
    return math.log1p((n - df + 0.5) / (df + 0.5))


def _weights(bm25: BM25Index, tokens: Sequence[str], question: str = "") -> dict[str, float]:
    """IDF weight of each subject word of the query; a word the corpus never uses weighs by
    its frequency in English (``expected_idf``), so a rare unknown word ("Brazil") counts as
    much as the rarest and vetoes a quote without it.

    (Measured on the dev halves: weighing unknown words as the question's typical known word
    answered "What did NATO say about climate change?" from any NATO sentence; weighing every
    unknown word as the rarest declined questions worded "everyone", "alongside", "became".)
    """
    written = {t: w for w in re.findall(r"[A-Za-z][A-Za-z'’]*", question.lower()) for t in tokenize(w)}
    return {t: (bm25.idf(t) if t in bm25.vocabulary else expected_idf(written.get(t, t), bm25)) for t in dict.fromkeys(tokens)}


def coverage(weights: dict[str, float], text_tokens: set[str]) -> float:
    """IDF-weighted share of the question's words that a text contains (0..1)."""
    total = sum(weights.values())
    if total == 0:
        return 0.0
    return sum(w for t, w in weights.items() if t in text_tokens) / total


_IDENTIFIER = re.compile(r"(?:\bNos?\.|\bnumbers?\b|#)\s*(\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.I)


def identifier_numbers(question: str) -> frozenset[str]:
    """Numbers the question gives as a document's number ("Federalist No. 26", "Nos. 18, 19
    and 20", "#5"): they stand in its title or text, never as the day of its date.

    Example:
        >>> sorted(identifier_numbers("Who wrote Nos. 18, 19 and 20, and No. 26?"))
        ['18', '19', '20', '26']
    """
    return frozenset(n for match in _IDENTIFIER.finditer(question) for n in re.findall(r"\d+", match.group(1)))


# A number joined to letters by a hyphen is part of a name: "COVID-19", "F-35", "H-1B".
_NAMED_NUMBER = re.compile(r"\b[^\W\d_]+-\d+[^\W_]*\b")


def named_numbers(question: str) -> dict[str, str]:
    """The question's numbers that are part of a name, each with its name as written.

    Example:
        >>> named_numbers("What did Cork agree to after the COVID-19 ban of 2020?")
        {'19': 'COVID-19'}
    """
    return {t: m.group() for m in _NAMED_NUMBER.finditer(question) for t in tokenize(m.group()) if any(c.isdigit() for c in t)}


# A word of letters of any script ("Fernández"); whether it is capitalised is checked apart.
_NAME = re.compile(r"\b[^\W\d_]{2,}(?:[-'’][^\W\d_]+)*")


def unknown_names(question: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Capitalised words of a question (after its first word) that the corpus never uses.

    A question about something the documents never name cannot be answered from them,
    however close its other words come.

    Example:
        >>> unknown_names("¿Qué dijo Ellison sobre la insulina en Zürich?", frozenset({"ellison"}))
        ('Zürich',)
    """
    found = []
    for match in _NAME.finditer(question):
        if not match.group()[0].isupper():
            continue
        before = question[: match.start()]
        if not re.search(r"[^\W_]", before) or before.rstrip().endswith((".", "?", "!")):
            continue  # the question's first word ("¿Qué ...", "“What ...") or a sentence's
        if re.match(r"\.\s*(?:\d|[a-z])", question[match.end() :]) or (len(match.group()) <= 4 and re.match(r"\.\s+\w", question[match.end() :])):
            continue  # an abbreviation ("Nos. 18", "Sen. Smith"), not a name
        tokens = tokenize(match.group())
        if tokens and all(t not in vocabulary for t in tokens):
            found.append(match.group())
    return tuple(dict.fromkeys(found))


# A name as another word of the same stem writes it ("America" for "American", "Japan" for
# "Japanese"): a shared opening of at least this many letters, each word ending at most
# ``NAME_ENDING`` letters after it.
NAME_STEM, NAME_ENDING = 5, 3
# Small words an abbreviation skips ("Islamic Movement of Uzbekistan" for "IMU").
_SKIPPED = r"(?:(?:of|and|the|for|on|in|to|&)\s+)*"


def name_pattern(name: str) -> re.Pattern[str]:
    """Where a text writes a name of a question: as written, in another form of its stem, or,
    for an abbreviation, spelled out.

    Example:
        >>> [bool(name_pattern(n).search(t)) for n, t in [("American", "the people of America"),
        ...  ("IMU", "an Islamic Movement of Uzbekistan leader"), ("Vermont", "Verona"), ("T-Mobile", "T Mobile")]]
        [True, True, False, True]
    """
    words = [w for w in re.findall(r"[^\W_]+", name) if len(w) > 1]
    forms = [r"\b" + r"\W+".join(re.escape(w) for w in words)]
    if len(words) == 1 and len(words[0]) >= NAME_STEM:
        word = words[0]
        shared = max(NAME_STEM, len(word) - NAME_ENDING)
        forms.append(rf"\b{re.escape(word[:shared])}\w{{0,{len(word) - shared + NAME_ENDING}}}\b")
    if len(words) == 1 and 2 <= len(words[0]) <= 6 and words[0].isupper():
        # Spelled out, each capital opening a word, case kept: "IMU" is no "imu...".
        forms.append(r"\b" + rf"\w*\s+{_SKIPPED}".join(f"(?-i:{c})" for c in words[0]) + r"\w*")
    return re.compile("|".join(f"(?:{f})" for f in forms), re.I)


# What stands before the name of whoever a question asks about as its speaker: a subject after
# the auxiliary ("did the White House say", "had the Obama Administration proposed") or the
# relative pronoun ("the program that the Trump Administration wanted to end"), or "according to".
_ATTRIBUTION = re.compile(
    r"(?:^|\b(?:did|does|do|has|have|had|was|were|is|are|will|would|could|can|should|that|which|who|whom|according to)\s+)(?:the\s+)?$",
    re.I,
)


def topical(question: str, name: str) -> bool:
    """Whether a name of the question is what it asks about, not who it asks: any name but the
    subject of its asking verb. Asked "What did the White House say about Vermont?", statements
    that never write "White House" may answer; statements that never write "Vermont" cannot.

    Example:
        >>> q = "In 2010, what did the White House say about Vermont's claims?"
        >>> topical(q, "White"), topical(q, "House"), topical(q, "Vermont")
        (False, False, True)
        >>> topical("According to the Obama Administration, how many jobs?", "Obama")
        False
    """
    # The question's first word asks ("Which Japanese minister ..."); it is no part of a name.
    first = re.match(r"\W*\w+", question)
    masked = question[: first.end()].lower() + question[first.end() :] if first else question
    for run in _NAME_RUN.finditer(masked):
        if re.search(rf"\b{re.escape(name)}\b", run.group()):
            return not _ATTRIBUTION.search(masked[: run.start()])
    return True


# Capitalised words standing together ("Attorney General Keith Ellison", "Col. Rafael Torres").
_NAME_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")


def name_tokens(question: str, apart_from: frozenset[str] = frozenset()) -> set[str]:
    """The tokens of a question's names (its capitalised words after the first), less every
    name standing together with one of the ``apart_from`` tokens: asked what "Attorney General
    Keith Ellison" said, "attorney" and "general" are his title, not a name of the subject.

    Example:
        >>> sorted(name_tokens("What did Attorney General Ellison say about Tarin Kowt?", frozenset({"ellison"})))
        ['kowt', 'tarin']
        >>> name_tokens("How many states joined the January 2025 lawsuit?")
        set()
    """
    # A month says when, and the question's period already holds the statements to it: a quote
    # need not write "January" to be about the January lawsuit.
    names = {t for name in unknown_names(question, frozenset()) for t in tokenize(name)} - TIME_WORDS
    for run in _NAME_RUN.finditer(question):
        tokens = set(tokenize(run.group()))
        if tokens & apart_from:
            names -= tokens
    return names


def absent_words(bm25: BM25Index, allowed: np.ndarray | None, question: str, subject: Sequence[str]) -> tuple[str, ...]:
    """The question's words (as written) whose subject tokens no allowed passage contains."""
    missing = set()
    for token in dict.fromkeys(subject):
        rows = bm25.rows_with(token)
        if rows.size == 0 or (allowed is not None and not np.isin(rows, allowed).any()):
            missing.add(token)
    words = [w for w in re.findall(r"[^\W_][\w'’-]*", question) if set(tokenize(w)) & missing]
    return tuple(dict.fromkeys(words))


def foreign_letters(question: str) -> str:
    """The question's letters of scripts other than Latin, when they are most of its letters
    (else ""): what to look for in the documents before searching them for its words.

    Example:
        >>> foreign_letters("Что сказало НАТО?"), foreign_letters("Was sagte die NATO zu Nordkorea?")
        ('ЧтосказалоНАТО', '')
    """
    letters = [c for c in question if c.isalpha()]
    foreign = "".join(c for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    return foreign if len(foreign) * 2 > len(letters) else ""


def unreadable(foreign: str, alphabet: frozenset[str]) -> bool:
    """Whether the documents (``alphabet``: every character they hold) lack most of a
    question's foreign letters: "2017年に北朝鮮について…" over English statements is not a
    question about a word they never use, but one they cannot be searched for.

    Example:
        >>> unreadable("ЧтосказалоНАТО", frozenset("abcdefghijklmnopqrstuvwxyz")), unreadable("НАТО", frozenset("НАТО"))
        (True, False)
    """
    return bool(foreign) and sum(c in alphabet for c in foreign) * 2 < len(foreign)
