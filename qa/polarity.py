"""Whether a sentence keeps the polarity of the quote it restates. Pure functions.

Two ways a sentence can reuse a quote's words and say the opposite:

1. **Negation.** "China is our adversary" from "China is not our adversary". A negation word
   ("not", "no", "never", "n't", "without", ...) negates the words it governs: the first
   content word after it in the same clause (adverbs in "-ly" and function words skipped, so
   "did not strongly condemn" negates "condemn") and the content words that run on from it
   without a break, at most ``NEGATION_REACH`` ("not in flagrant violation" negates both
   words, "no ambition in Asia" only "ambition"). "not only", "not just" do not negate ("not
   just a European crisis" says it is one). Each content word a sentence shares with its quote
   must be negated in the sentence as it is in at least one place of the quote.
2. **Stance.** "NATO welcomed North Korea's nuclear tests" from "We condemn ... North Korea's
   nuclear tests". A small lexicon of general English stance words, positive (welcome, support,
   praise, agree...) and negative (condemn, oppose, criticise, reject...), gives the attitude a
   sentence takes; a negated stance word counts as the opposite. The stance a sentence takes
   toward its object must be taken toward the same words somewhere in the quote, with the
   same sign: the quote's stance words nearest to the sentence's object decide.

What this does not do: parse. It does not know who did what to whom ("Japan condemned NATO"
from "NATO condemned Japan" keeps every word and every stance), nor irony, nor stance carried
by adjectives ("unacceptable"). Those sentences still need every content word in the quote
(``qa.verify``); the product prefers dropping a true sentence to keeping a false one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from embeddings.bm25 import STOPWORDS
from qa.words import key

#: How many content words in a row one negation governs: a short noun phrase ("flagrant
#: violation", "nuclear tests"), never the rest of a long clause.
NEGATION_REACH = 3
#: How many content words after a stance word (and before it, in its clause) are its object
#: ("condemn ... North Korea's nuclear tests"); the stance of a quote is read from the stance
#: words whose objects share most words with the sentence's.
STANCE_REACH = 5

NEGATIONS = frozenset("not no never neither nor without cannot none nobody nothing nowhere hardly".split())
# "not only X but also Y" affirms X.
_NOT_NEGATING_NEXT = frozenset("only just merely simply least".split())

# Stance words, as whole-word patterns (so "disagree" is not "agree", "critical" is not
# "criticise", "opposite" is not "oppose"). General English; keep it small and documented.
_POSITIVE = re.compile(
    r"welcom\w*|support\w*|prais\w*|commend\w*|applaud\w*|applause|endors\w*|approv(?:e|es|ed|ing|al)|"
    r"agree(?:s|d|ing|ment|ments)?|accept(?:s|ed|ing|ance)?|favou?r(?:s|ed|ing)?|appreciat\w*|celebrat\w*|"
    r"embrac\w*|hail(?:s|ed|ing)?|encourag\w*|congratulat\w*|thank\w*|back(?:s|ed|ing)"
)
_NEGATIVE = re.compile(
    r"condemn\w*|oppos(?:e|es|ed|ing)|criticis\w*|criticiz\w*|criticism|denounc\w*|reject\w*|deplor\w*|"
    r"disapprov\w*|refus(?:e|es|ed|ing|al)|disagree\w*|blam(?:e|es|ed|ing)|regret\w*|dismiss(?:es|ed|ing)?|"
    r"protest\w*|decr(?:y|ies|ied)|den(?:y|ies|ied)"
)
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|[,;:.!?()—–]")
_CLAUSE_BREAK = frozenset(",;:.!?()—–")


@dataclass(frozen=True)
class Word:
    """A word of a text: its lower-case form, its stem, whether it is negated, its stance."""

    text: str
    stem: str
    negated: bool
    stance: int  # +1 positive, -1 negative, 0 none; already flipped when negated
    sentence: int
    clause: int


def stance_of(word: str) -> int:
    """+1 for a positive stance word, -1 for a negative one, 0 otherwise."""
    if _POSITIVE.fullmatch(word):
        return 1
    if _NEGATIVE.fullmatch(word):
        return -1
    return 0


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't") or word.endswith("n’t")


def read_words(text: str) -> list[Word]:
    """The words of a text with their negation and stance, clause by clause.

    Example:
        >>> [(w.text, w.negated) for w in read_words("China is not our adversary, but a rival.")]
        [('china', False), ('is', False), ('not', False), ('our', False), ('adversary', True), ('but', False), ('a', False), ('rival', False)]
    """
    words: list[Word] = []
    tokens = [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]
    pending = False  # a negation waits for the first content word it governs
    reach = 0  # content words still governed by the current negation
    sentence = clause = 0
    for i, token in enumerate(tokens):
        if token in _CLAUSE_BREAK:
            pending, reach = False, 0
            sentence += token in ".!?"
            clause += 1
            continue
        if _is_negation(token):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            pending, reach = following not in _NOT_NEGATING_NEXT, 0
            words.append(Word(token, key(token), False, 0, sentence, clause))
            continue
        base = token.removesuffix("'s")
        content = base not in STOPWORDS
        if pending and content and not base.endswith("ly"):
            pending, reach = False, NEGATION_REACH
        negated = reach > 0 and content
        # Content words use up the reach; a function word after them ends the governed run.
        reach = reach - 1 if negated else (reach if pending else 0)
        stance = stance_of(base)
        words.append(Word(token, key(base), negated, -stance if negated else stance, sentence, clause))
    return words


def _content(word: Word) -> bool:
    return word.text.removesuffix("'s") not in STOPWORDS and not _is_negation(word.text)


def negation_conflict(claim: str, quote: str) -> str | None:
    """A content word negated in the claim but never in the quote (or the reverse), if any.

    Example:
        >>> negation_conflict("China is our adversary.", "China is not our adversary.")
        'adversary is negated in the quote, not in the sentence'
        >>> negation_conflict("NATO did not condemn the tests.", "We condemn the tests.")
        'condemn is negated in the sentence, not in the quote'
    """
    in_quote: dict[str, set[bool]] = {}
    for word in read_words(quote):
        if _content(word):
            in_quote.setdefault(word.stem, set()).add(word.negated)
    for word in read_words(claim):
        if not _content(word) or word.stem not in in_quote:
            continue
        if word.negated not in in_quote[word.stem]:
            where = ("the sentence", "the quote") if word.negated else ("the quote", "the sentence")
            return f"{word.text} is negated in {where[0]}, not in {where[1]}"
    return None


def _objects(words: list[Word], i: int) -> set[str]:
    """What a stance word is about: the content stems after it, up to the next stance word or
    the end of the sentence, and those before it in its own clause ("the tests were condemned"),
    at most STANCE_REACH each way."""
    found: set[str] = set()
    for step, same in ((1, lambda w: w.sentence == words[i].sentence), (-1, lambda w: w.clause == words[i].clause)):
        j, taken = i + step, 0
        while 0 <= j < len(words) and taken < STANCE_REACH and same(words[j]) and not words[j].stance:
            if _content(words[j]):
                found.add(words[j].stem)
                taken += 1
            j += step
    return found


def stance_conflict(claim: str, quote: str) -> str | None:
    """A stance the claim takes that the quote does not take toward the same words, if any.

    Example:
        >>> stance_conflict("NATO welcomed North Korea's nuclear tests.", "We condemn in the strongest terms North Korea's nuclear tests.")
        'welcomed: the quote says condemn'
        >>> stance_conflict("NATO condemned North Korea's tests.", "We condemn North Korea's nuclear tests.") is None
        True
    """
    claim_words, quote_words = read_words(claim), read_words(quote)
    quote_stances = [(w, _objects(quote_words, i)) for i, w in enumerate(quote_words) if w.stance]
    for i, word in enumerate(claim_words):
        if not word.stance:
            continue
        objects = _objects(claim_words, i)
        overlaps = [(len(objects & theirs), w) for w, theirs in quote_stances]
        best = max((n for n, _ in overlaps), default=0)
        nearest = [w for n, w in overlaps if n == best] if best else []
        if not nearest:
            return f"{word.text}: the quote takes no stance toward it"
        if all(w.stance != word.stance for w in nearest):
            return f"{word.text}: the quote says {nearest[0].text}"
    return None


def polarity_conflict(claim: str, quote: str) -> str | None:
    """Why a claim says the opposite of its quote (negation or stance), or None."""
    return negation_conflict(claim, quote) or stance_conflict(claim, quote)
