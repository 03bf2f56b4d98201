"""Tell what a question asks from what it asserts. Pure.

"NATO welcomed North Korea's nuclear tests. What did NATO say about North Korea's nuclear
tests in 2017?" asks the second sentence; the first asserts something the documents may
contradict. An assertion is the user's, not the documents': it must not steer retrieval,
reach the model as if it were a fact, or be repeated with a citation. So the sentences that
ask are the question, and the others are premises, kept only for the log.

A sentence asks when it ends with "?" or opens with a question or request word ("What",
"When", "Did", "Tell", "List"...). A text with no such sentence is all question ("NATO and
North Korea in 2017"), so a keyword query is never emptied.

What it does not do: judge whether a premise is true; the verifier does that for anything
the model writes.
"""

from __future__ import annotations

import re

from embeddings.layout import sentence_spans

_ASKING_START = re.compile(
    r"^\W*(?:what|when|where|who|whom|whose|which|why|how|did|does|do|is|are|was|were|can|could|would|will|has|have|had|"
    r"should|shall|may|might|tell|list|show|give|name|summari[sz]e|describe|explain|compare|find|quote|cite)\b",
    re.IGNORECASE,
)


def _sentences(text: str) -> list[str]:
    # The documents' own sentence splitter: a title's full stop ends no sentence ("Mr. Abe",
    # "the U.S. Secretary", "Sgt. Hafiz Rahman").
    return [text[a:b] for a, b in sentence_spans(text)]


def asks(sentence: str) -> bool:
    """Whether a sentence asks or requests something (rather than asserting it)."""
    return sentence.rstrip().endswith("?") or bool(_ASKING_START.match(sentence))


def split_premises(question: str) -> tuple[str, tuple[str, ...]]:
    """The sentences that ask, and the premises the question asserts besides.

    Example:
        >>> split_premises("NATO welcomed the tests. What did NATO say about the tests in 2017?")
        ('What did NATO say about the tests in 2017?', ('NATO welcomed the tests.',))
        >>> split_premises("North Korea in 2017")
        ('North Korea in 2017', ())
        >>> split_premises("What did the U.S. Secretary and Mr. Abe say?")
        ('What did the U.S. Secretary and Mr. Abe say?', ())
        >>> split_premises("According to Afghan commando Sgt. Hafiz Rahman, what did villagers offer?")
        ('According to Afghan commando Sgt. Hafiz Rahman, what did villagers offer?', ())
    """
    sentences = _sentences(question)
    asking = [s for s in sentences if asks(s)]
    if not asking or len(asking) == len(sentences):
        return question.strip(), ()
    return " ".join(asking), tuple(s for s in sentences if not asks(s))
