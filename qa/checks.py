"""Checks on what a user sends: the question and the conversation before it. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.errors import QAError


class QuestionError(QAError):
    """The question cannot be asked as it is (empty, too long)."""


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""


def _check_text(text: str, what: str) -> None:
    """QuestionError if ``text`` holds a character no text may hold (a lone UTF-16 surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        raise QuestionError(
            f"{what} holds an invalid character at position {error.start + 1} (U+{code:04X}, a lone surrogate); remove it"
        ) from None


# A terminal's colour codes ("\x1b[31m") and other control characters, pasted with a question.
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Markup pasted with a question ("<i>Taiwan</i>", "<img src=x onerror=...>"): its tags are no
# words of the question. A "<" before a space or a digit ("< 5%") is no tag.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")


def check_question(question: str, max_chars: int) -> str:
    """The question stripped (of control characters and markup tags too), or QuestionError
    saying what to change.

    Example:
        >>> check_question("\x1b[31mWhen do libraries open?\x1b[0m\x07", 100)
        'When do libraries open?'
        >>> check_question("<b>What</b> did NATO say about <i>Taiwan</i>?<img src=x onerror=alert(1)>", 100)
        'What did NATO say about Taiwan?'
    """
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    question = _TAG.sub("", _CONTROL.sub("", question))
    if not question.strip():
        raise QuestionError("the question is empty: type a question about the documents")
    if len(question) > max_chars:
        raise QuestionError(f"the question is {len(question):,} characters long; the limit is {max_chars:,}: shorten it and ask again")
    _check_text(question, "the question")
    return question.strip()


def check_history(history: Sequence[Turn], max_turns: int, max_chars: int) -> tuple[Turn, ...]:
    """The latest ``max_turns`` turns of a conversation, each checked like a question.

    Older turns are dropped unread. An earlier question longer than ``max_chars`` (or holding
    an invalid character) is refused with QuestionError, not cut: a cut question would be
    read as a different one.

    Example:
        >>> [t.question for t in check_history([Turn("a"), Turn("b"), Turn("c")], 2, 100)]
        ['b', 'c']
    """
    kept = tuple(history)[-max_turns:] if max_turns > 0 else ()
    for n, turn in enumerate(kept, start=len(history) - len(kept) + 1):
        if not isinstance(turn.question, str):
            raise QuestionError(f"earlier question {n} in the history must be text, not {type(turn.question).__name__}")
        if len(turn.question) > max_chars:
            raise QuestionError(f"earlier question {n} in the history is {len(turn.question)} characters long; keep each under {max_chars}")
        _check_text(turn.question, f"earlier question {n} in the history")
    return kept
