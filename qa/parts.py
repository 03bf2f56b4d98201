"""Questions of several parts: "Who wrote No. 51, and where and when was it first printed?".

Each part asks its own fact, and a quote that answers one part seldom answers the other: the
answer gives each part's fact, cited. Pure functions over the question's text.
"""

from __future__ import annotations

import re

from qa.answer_type import asking_clause, asking_words

# A new part starts where "and" (after a comma or not) is followed by a question word: ", and
# how much relief ...", "... No. 10 and when was it printed?".
_PART = re.compile(r",?\s+and\s+(?=(?:how|what|which|who|whom|whose|when|where|why)\b)", re.I)
#: A part has at least this many words ("where and when was it printed" is one; "where" is none).
MIN_PART_WORDS = 4


def question_parts(question: str) -> tuple[str, ...]:
    """The parts of a question that asks several things, each as a question; one part: ().

    The parts after the first keep what the first part set out at its start ("In June 2019,"),
    so each part is read within the same period.

    Example:
        >>> question_parts("In June 2019, how many overdoses did he cite, and which drug did he urge people to carry?")
        ('In June 2019, how many overdoses did he cite?', 'In June 2019, which drug did he urge people to carry?')
    """
    pieces: list[str] = []
    for piece in (p.strip() for p in _PART.split(question.strip())):
        # "where and when was it printed": a piece too short to ask alone joins the next one.
        if pieces and len(pieces[-1].split()) < MIN_PART_WORDS:
            pieces[-1] = f"{pieces[-1]} and {piece}"
        else:
            pieces.append(piece)
    if len(pieces) > 1 and len(pieces[-1].split()) < MIN_PART_WORDS:
        pieces[-2:] = [f"{pieces[-2]} and {pieces[-1]}"]
    if len(pieces) < 2 or any(len(p.split()) < MIN_PART_WORDS for p in pieces):
        return ()
    first = pieces[0]
    # A leading phrase that sets the scene for the whole question ("In June 2019, ...").
    setting = re.match(r"^((?:in|on|during|between|from|after|before|since)\b[^,?]*,\s*)", first, re.I)
    prefix = setting.group(1) if setting else ""
    parts = [first.rstrip("?.! ") + "?"]
    for piece in pieces[1:]:
        body = piece.rstrip("?.! ") + "?"
        parts.append(prefix + body if prefix else body[0].upper() + body[1:])
    return tuple(parts)


def with_scene(part: str, first: str) -> str:
    """A later part of a question, with what the first part asks about after it: "how much was
    there?" is about what the first part named, and a search for it alone finds any sum.

    Example:
        >>> with_scene("In July 2011, how much was there?", "In July 2011, how many bills did they find?")
        'In July 2011, how much was there (bills did they find)?'
    """
    asked = asking_clause(first)
    opening = asking_words(asked)
    about = (asked[len(opening) :] if asked.lower().startswith(opening.lower()) else asked).strip().rstrip("?.! ")
    return f"{part.rstrip('?.! ')} ({about})?" if about else part
