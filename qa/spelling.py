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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wordfreq import zipf_frequency

from embeddings.bm25 import tokenize

#: Connecting words a name may hold without giving a letter to its acronym ("Republic *of*
#: Korea", "Department *of the* Treasury"): English grammar, not any corpus's names. Not "and":
#: "Persia and Macedon" is a list, not a name.
_CONNECTORS = r"(?:of|the|for|on|in|to|de|du|des|la|le|der)"
#: An acronym the question may use: two to six capitals, nothing else ("DPRK", "PM", "UNSC").
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_WORD = re.compile(r"[A-Za-z][a-z]+")
#: A slip is corrected only in words this long: in shorter ones, one changed letter is
#: another word, not a typo.
MIN_SLIP_LENGTH = 5
#: ...and only to a word the documents use at least this often (once may itself be a typo)...
MIN_USES = 2
#: ...and only a word English hardly uses (Zipf frequency, ``wordfreq``): "tacked" is a word the
#: documents lack, not a slip of their "tracked"; "Norht" (0.0) is a slip.
MAX_WORD_ZIPF = 2.0


@dataclass(frozen=True)
class Respelling:
    """One word of the question, read as the documents write it."""

    written: str
    read_as: str


class Lexicon:
    """The words and names of a collection's documents, counted once on first need."""

    def __init__(self, texts: Iterable[str], vocabulary: frozenset[str]) -> None:
        # Joined on first need, not when the index loads: most questions never need it.
        self._texts = texts
        self.vocabulary = vocabulary
        self._lock = threading.Lock()
        self._text: str | None = None
        self._cased: Counter[str] = Counter()
        self._words: Counter[str] = Counter()

    def load(self) -> None:
        """Count the documents' words now, not on the first question that needs them."""
        self._load()

    def _load(self) -> tuple[str, Counter[str], Counter[str]]:
        """The documents' text, their words as written, and their words lower-cased."""
        with self._lock:
            if self._text is None:
                self._text = "\n\n".join(self._texts)
                self._texts = ()
                self._cased = Counter(re.findall(r"[A-Za-z]+", self._text))
                words: Counter[str] = Counter()
                for word, n in self._cased.items():
                    words[word.lower()] += n
                self._words = words
            return self._text, self._cased, self._words

    def known(self, word: str) -> bool:
        """Whether the documents use the word (as its stemmed content tokens; no token: known)."""
        return all(t in self.vocabulary for t in tokenize(word))

    def respell(self, question: str) -> tuple[str, tuple[Respelling, ...]]:
        """The question with its words the documents never use read as they write them."""
        unknown = [m for m in re.finditer(r"[A-Za-z]+", question) if not self.known(m.group())]
        if not unknown:
            return question, ()
        text, cased, words = self._load()

        def proper(word: str) -> bool:
            # A name's word: the documents capitalise it in at least half its uses ("Minister"
            # yes; "Exclude" of a headline, "Government" beside "the Afghan government", no).
            return cased[word] > 0 and cased[word] >= cased[word.lower()]

        def reading(word: str) -> str | None:
            read_as = spelled_out(word, text, proper) if _ACRONYM.fullmatch(word) else None
            if read_as is None and len(word) >= MIN_SLIP_LENGTH and zipf_frequency(word, "en") < MAX_WORD_ZIPF:
                read_as = slip(word, words)
            return read_as if read_as is not None and self.known(read_as) else None

        # Each distinct word is read once: a shouted question repeats its words.
        read = {word: reading(word) for word in dict.fromkeys(m.group() for m in unknown)}
        readings = [(match, read_as) for match in unknown if (read_as := read[match.group()]) is not None]
        if not readings:
            return question, ()
        parts, last = [], 0
        for match, read_as in readings:
            parts += [question[last : match.start()], read_as]
            last = match.end()
        parts.append(question[last:])
        return "".join(parts), tuple(Respelling(m.group(), r) for m, r in readings)


def spelled_out(acronym: str, text: str, proper: Callable[[str], bool] = lambda word: True) -> str | None:
    """The name whose initials the acronym gives, as the text writes it most often.

    A name is a whole run of capitalised words (with connecting words between), not the start
    of a longer one ("Agency for International" of "... Development" is no "AI"); each of its
    words is ``proper``: a word the text capitalises in most of its uses.

    Example:
        >>> spelled_out("DPRK", "the Democratic People's Republic of Korea (North Korea)")
        "Democratic People's Republic of Korea"
        >>> spelled_out("ROK", "talks with the Republic of Korea")
        'Republic of Korea'
        >>> spelled_out("AI", "the Agency for International Development") is None
        True
    """
    word = r"{}[a-z][A-Za-z’']*"
    # Each letter is a capitalised word's, or a connecting word's ("Republic *of* Korea": ROK);
    # a name starts and ends with a capitalised word.
    slots = [rf"(?:{word.format(letter)}|(?={letter.lower()}){_CONNECTORS})" for letter in acronym]
    slots[0], slots[-1] = (word.format(letter) for letter in (acronym[0], acronym[-1]))
    between = rf"\s+(?:{_CONNECTORS}\s+)*"
    pattern = re.compile(rf"(?<![A-Za-z’'-]){between.join(slots)}(?![A-Za-z’'-])(?!\s+[A-Z])")
    names: Counter[str] = Counter()
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if (previous := re.search(r"([A-Z][A-Za-z’']*)\s+$", before)) and tokenize(previous.group(1)):
            continue  # the end of a longer name: "Vice *Prime Minister*" is another office ("The" is no name)
        name = " ".join(match.group().split())
        if all(proper(w) for w in name.split() if not re.fullmatch(_CONNECTORS, w)):
            names[name] += 1
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
