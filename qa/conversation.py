"""Follow-up questions: "And in 2023?" after "What did NATO say about North Korea in 2017?".

A follow-up that names no subject of its own borrows the previous question's subject and
keeps its own period, speaker or wording. "Who said that?" and "When was that?" ask about the
previous answer itself: whose statements it quoted, and of which dates. Pure functions;
history is plain data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from embeddings.bm25 import tokenize
from qa.constraints import TIME_WORDS, names_time, parse_period, period_phrase

_LEADS = re.compile(r"^\s*(?:and|but|so|also|then|ok(?:ay)?|what about|how about|and what about|and how about)\b[\s,]*", re.I)
# Words a follow-up may use besides its period without naming a new subject ("the most recent one").
_NOT_A_SUBJECT = TIME_WORDS | frozenset(tokenize("in then one ones statement statements thing things"))


# "Who said that?", "When was this said?", "who wrote it": a question about the answer just given.
_ABOUT_ANSWER = re.compile(r"^\s*(?:and\s+|so\s+)?(?P<asked>who|when)\b(?=.*\b(?:that|this|it|those|these)\b)", re.I)
# Verbs of saying and writing: no subject of their own.
_SAYING = frozenset(tokenize("said say says saying wrote write written writes stated state states issued made make published"))


def about_previous_answer(question: str) -> str | None:
    """'who' or 'when' when a question asks whose, or of which date, the previous answer's
    quotes are; None for any question with a subject of its own.

    Example:
        >>> about_previous_answer("Who said that?"), about_previous_answer("when was this said"), about_previous_answer("Who said that about Russia?")
        ('who', 'when', None)
    """
    match = _ABOUT_ANSWER.match(question)
    if match is None or any(t not in _SAYING for t in subject_words(question)):
        return None
    return match["asked"].lower()


def subject_words(question: str) -> list[str]:
    """Content words of a question other than its time words."""
    return [t for t in tokenize(question) if t not in _NOT_A_SUBJECT and not t.isdigit()]


# "What did Stoltenberg say about Russia?": who is asked about, before the verb of saying.
_WHO_SAID = re.compile(r"^(?P<head>.*?\b(?:did|does|do|has|have|had|will|would)\s+)(?P<who>.+?)(?P<tail>\s+(?:say|said|state|stated|announce|write|wrote)\b.*)$", re.I)


def resolve_followup(question: str, previous: Sequence[str], speakers: Sequence[str] = ()) -> str:
    """The question to answer, given earlier questions of the conversation (oldest first) and
    the documents' ``speakers``: "And Abe?" after "What did Stoltenberg say about Russia?" asks
    what Abe said about Russia, Abe being a speaker; "And China?" asks about China.

    Example:
        >>> resolve_followup("And in 2023?", ["What did NATO say about North Korea in 2017?"])
        'What did NATO say about North Korea in 2023?'
        >>> resolve_followup("And Abe?", ["What did Stoltenberg say about Russia?"], ["Shinzo Abe"])
        'What did Abe say about Russia?'
    """
    if not previous:
        return question
    stripped = _LEADS.sub("", question).strip()
    is_elliptic = bool(_LEADS.match(question)) or len(question.split()) <= 4
    if not is_elliptic or (subject_words(stripped) and not _LEADS.match(question)):
        return question
    prior = previous[-1].strip()
    new = stripped.rstrip("?.! ")
    surnames = {name.split()[-1].lower() for name in speakers if name.split()}
    who = _WHO_SAID.match(prior)
    if who and new and new.split()[-1].lower() in surnames:
        # Another speaker asked the same: the question's speaker changes, its subject stays.
        return f"{who['head']}{new}{who['tail']}"
    if subject_words(stripped):
        # "What about China?" -> the previous question, about China instead.
        about = re.search(
            r"\b(about|on|regarding|concerning)\s+(.+?)(\s+(?:in|during|since|before|after|between)\s+.*)?[?.!]*$", prior, re.I
        )
        if about:
            tail = about.group(3) or ""
            new_subject = stripped.rstrip("?.! ")
            return f"{prior[: about.start(2)]}{new_subject}{tail}?".replace("??", "?")
        return question
    # No subject of its own: the previous question with this one's period (or wording) added.
    span = period_phrase(prior)
    base = (prior[: span[0]] + prior[span[1] :]) if span and names_time(stripped) else prior
    base = base.strip().rstrip("?.! ")
    addition = re.sub(r"^the\s+", "", stripped.rstrip("?.! "), flags=re.I) if names_time(stripped) else stripped.rstrip("?.! ")
    return f"{base}, {addition}?" if not parse_period(addition) else f"{base} {addition}?"
