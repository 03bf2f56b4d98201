"""Words of a question that the documents write another way.

A reader writes "DPRK" or "PM" where the statements spell out "Democratic People's Republic of
Korea" and "Prime Minister", and types "Norht" for "North". Such a word is no name the documents
never use: it is read as the documents write it before the search, and the answer says so.

    question -> words the documents never use -> an acronym the documents spell out?
             -> the one word of theirs that differs by a slip of the keyboard? -> question re-read

Everything is learned from the documents themselves: the acronyms are the initials of their
capitalised names, the corrections are words they use. A word with no such reading stays as
written, and a name the documents never use is still declined.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.bm25 import tokenize

#: Connecting words a name may hold without giving a letter to its acronym ("Republic *of*
#: Korea", "Department *of the* Treasury"): English grammar, not any corpus's names.
_CONNECTORS = r"(?:of|the|and|for|on|in|to|de|du|des|la|le|der|und)"
#: An acronym the question may use: two to six capitals, nothing else ("DPRK", "PM", "UNSC").
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_WORD = re.compile(r"[A-Za-z][a-z]+")
#: A slip is corrected only in words this long: in shorter ones, one changed letter is
#: another word, not a typo.
MIN_SLIP_LENGTH = 5
#: ...and only to a word the documents use at least this often (once may itself be a typo).
MIN_USES = 2


@dataclass(frozen=True)
class Respelling:
    """One word of the question, read as the documents write it."""

    written: str
    read_as: str


class Lexicon:
    """The words and names of a collection's documents, counted once on first need."""

    def __init__(self, texts: Sequence[str], vocabulary: frozenset[str]) -> None:
        self._texts = texts
        self.vocabulary = vocabulary
        self._lock = threading.Lock()
        self._text: str | None = None
        self._words: Counter[str] = Counter()

    def _load(self) -> tuple[str, Counter[str]]:
        with self._lock:
            if self._text is None:
                self._text = "\n\n".join(self._texts)
                self._words = Counter(w.lower() for w in re.findall(r"[A-Za-z]+", self._text))
            return self._text, self._words

    def known(self, word: str) -> bool:
        """Whether the documents use the word (as its stemmed content tokens; no token: known)."""
        return all(t in self.vocabulary for t in tokenize(word))

    def respell(self, question: str) -> tuple[str, tuple[Respelling, ...]]:
        """The question with its words the documents never use read as they write them."""
        unknown = [m for m in re.finditer(r"[A-Za-z]+", question) if not self.known(m.group())]
        if not unknown:
            return question, ()
        text, words = self._load()
        readings: list[tuple[re.Match[str], str]] = []
        for match in unknown:
            word = match.group()
            read_as = spelled_out(word, text) if _ACRONYM.fullmatch(word) else None
            if read_as is None and len(word) >= MIN_SLIP_LENGTH:
                read_as = slip(word, words)
            if read_as is not None and self.known(read_as):
                readings.append((match, read_as))
        if not readings:
            return question, ()
        parts, last = [], 0
        for match, read_as in readings:
            parts += [question[last : match.start()], read_as]
            last = match.end()
        parts.append(question[last:])
        return "".join(parts), tuple(Respelling(m.group(), r) for m, r in readings)


def spelled_out(acronym: str, text: str) -> str | None:
    """The name whose initials the acronym gives, as the text writes it most often.

    Example:
        >>> spelled_out("DPRK", "the Democratic People's Republic of Korea (North Korea)")
        "Democratic People's Republic of Korea"
        >>> spelled_out("ROK", "talks with the Republic of Korea")
        'Republic of Korea'
    """
    # Each letter is a capitalised word's, or a connecting word's ("Republic *of* Korea": ROK).
    # A name starts and ends with a capitalised word.
    slots = [rf"(?:{letter}[A-Za-z’'-]*|(?={letter.lower()}){_CONNECTORS})" for letter in acronym]
    slots[0], slots[-1] = (rf"{letter}[A-Za-z’'-]*" for letter in (acronym[0], acronym[-1]))
    words = rf"\s+(?:{_CONNECTORS}\s+)*".join(slots)
    found = (" ".join(m.group().split()) for m in re.finditer(rf"\b{words}\b", text))
    # A run of capitals is a heading's shouting ("PRIME MINISTER"), not the name as written.
    names = Counter(name for name in found if not name.isupper())
    return names.most_common(1)[0][0] if names else None


def slip(word: str, words: Counter[str]) -> str | None:
    """The documents' word that ``word`` is a slip of the keyboard for, if exactly one is.

    A slip is two neighbouring letters swapped, a letter missing or one too many; the
    documents' word must be used at least ``MIN_USES`` times. A word that could be a slip of
    two of theirs is left as written.

    Example:
        >>> slip("Norht", Counter({"north": 9, "korea": 9}))
        'North'
    """
    lower = word.lower()
    candidates = {lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :] for i in range(len(lower) - 1)}
    candidates |= {lower[:i] + lower[i + 1 :] for i in range(len(lower))}
    candidates |= {lower[:i] + c + lower[i:] for i in range(1, len(lower) + 1) for c in "abcdefghijklmnopqrstuvwxyz"}
    found = sorted(c for c in candidates - {lower} if words[c] >= MIN_USES)
    if len(found) != 1:
        return None
    fixed = found[0]
    return fixed.capitalize() if word[0].isupper() else fixed
