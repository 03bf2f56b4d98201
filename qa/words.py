"""Words compared as a checker compares them: one spelling, then the Snowball stem. Pure.

The statements write British English ("behaviour", "defence", "programme", "recognise") and a
small model often writes American ("behavior", "defense"); the Snowball stemmer keeps them
apart. ``key`` maps both to one spelling before stemming, so a sentence is not dropped for
its spelling. The rules are regular English spelling variants, not a word list; two words
that differ only by them become one key, which costs nothing in practice. Retrieval keeps
its own tokens (``embeddings.bm25.tokenize``): this is only for checking a sentence against
its quote.
"""

from __future__ import annotations

import re

from embeddings.bm25 import STOPWORDS, stem

_WORD = re.compile(r"[a-z0-9]+")
# British -> American spelling, by ending; each applies to words longer than five letters so
# "four", "hour", "rise" and "wise" stay as they are.
_SPELLINGS = (
    (re.compile(r"our(s|ed|ing|able|ably|ite|ites|ful)?$"), r"or\1"),  # behaviour, honour, favourable
    (re.compile(r"([fc])ence(s)?$"), r"\1ense\2"),  # defence, offence, licence
    (re.compile(r"is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),  # recognise, organisation
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),  # analyse, paralyse
    (re.compile(r"mme(s)?$"), r"m\1"),  # programme
    (re.compile(r"tre(s)?$"), r"ter\1"),  # centre, theatre
    (re.compile(r"ogue(s)?$"), r"og\1"),  # catalogue, dialogue
)


def american(word: str) -> str:
    """One spelling for a lower-case word.

    Example:
        >>> [american(w) for w in ["behaviour", "defence", "programmes", "recognised", "centre", "four", "rise"]]
        ['behavior', 'defense', 'programs', 'recognized', 'center', 'four', 'rise']
    """
    if len(word) <= 5:
        return word
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def key(word: str) -> str:
    """The form a word is compared by: lower case, one spelling, Snowball stem."""
    return stem(american(word.lower().replace("’", "'").removesuffix("'s")))


def keys(text: str) -> list[str]:
    """The keys of a text's content words (stop words left out), in order.

    Example:
        >>> keys("North Korea's provocative behavior")
        ['north', 'korea', 'provoc', 'behavior']
    """
    text = text.lower().replace("’", "'").replace("'s", "")
    return [key(w) for w in _WORD.findall(text) if w not in STOPWORDS]
