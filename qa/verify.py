"""Check a generated answer against its quotes, sentence by sentence. Pure functions.

1. Repair citation markers small models garble ("[N1]", "[Quote 2]", "[1, 2]", "【1】").
2. Split the answer into sentences, each with the quote numbers it cites.
3. Keep a sentence only if its numbers, its names and most of its content words stand in the
   quotes it cites (or in those quotes' own metadata: date, title, speaker, header). A
   sentence that cites nothing, or the wrong quote, is re-attributed to the quote that does
   support it, if one does.
4. Renumber the surviving citations 1..n in order of first use.

What it does not do: judge whether the answer is complete, or detect a paraphrase that keeps
the words and flips the meaning ("did not condemn"); negations are checked only as words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.bm25 import STOPWORDS
from qa.evidence import human_date
from qa.retrieve import Quote

#: Share of a sentence's content words that must stand in its quotes.
MIN_WORD_SUPPORT = 0.7
#: A sentence must carry at least this many content words of the quote's own text: "NATO [1]."
#: or "15 April 2013 [1]." restates metadata and answers nothing.
MIN_QUOTED_WORDS = 2

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
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*%?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Words that frame a claim about a statement rather than state its content.
_FRAMING = frozenset(
    "said says stated states statement statements according noted note quote quotes document documents "
    "also mentioned mention expressed express emphasised emphasized highlighted added indicated".split()
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


def _stem(word: str) -> str:
    """A crude stem for matching paraphrases: 'condemned', 'condemns' -> 'condem'."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s", "ly", "e"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word.rstrip("e")[:6]


def support_text(quote: Quote, header: str) -> str:
    """Everything a claim citing this quote may rest on: its words and its statement's facts."""
    ref = quote.ref
    date = f"{human_date(ref.date)} {ref.date}" if ref.date else ""
    return f"{quote.text} {ref.title} {date} {ref.speaker} {ref.doc_type} {header}"


def _plain(text: str) -> str:
    """Curly apostrophes straightened and possessives dropped: "NATO’s" -> "NATO"."""
    return re.sub(r"'s\b", "", text.replace("’", "'"))


def check_claim(claim: str, support: str, quote_text: str | None = None) -> tuple[bool, str]:
    """Whether a sentence's numbers, names and content words stand in the support text.

    ``quote_text`` (the quoted words alone, without metadata) must share at least a few
    content words with the sentence; None skips that check.
    """
    claim, support = _plain(claim), _plain(support)
    quote_text = _plain(quote_text) if quote_text is not None else None
    support_lower = support.lower()
    support_numbers = {n.replace(",", "") for n in _NUMBER.findall(support)}
    for number in _NUMBER.findall(claim):
        if number.replace(",", "") not in support_numbers:
            return False, f"number {number} is not in the quote"
    words = _WORD.findall(claim)
    for position, word in enumerate(words):
        if position > 0 and word[:1].isupper() and word.lower() not in STOPWORDS and word.lower() not in support_lower:
            return False, f"name {word} is not in the quote"
    support_stems = {_stem(w) for w in _WORD.findall(support)}
    content = [w for w in words if w.lower() not in STOPWORDS and w.lower() not in _FRAMING and not w[0].isdigit()]
    quoted_stems = {_stem(w) for w in _WORD.findall(quote_text)} if quote_text is not None else support_stems
    if len({_stem(w) for w in content} & quoted_stems) < MIN_QUOTED_WORDS:
        return False, "says nothing the quote says"
    found = sum(_stem(w) in support_stems for w in content)
    share = found / len(content)
    if share < MIN_WORD_SUPPORT:
        return False, f"only {share:.0%} of its words are in the quote"
    return True, "supported"


def on_topic(claim: str, subject: Sequence[str]) -> bool:
    """Whether a sentence mentions at least one of the question's subject words (stemmed)."""
    if not subject:
        return True
    from embeddings.bm25 import tokenize

    return bool(set(tokenize(claim)) & set(subject))


def verify(answer: str, quotes: Sequence[Quote], headers: Sequence[str], subject: Sequence[str] = ()) -> Verified:
    """Keep the sentences the quotes support, with repaired and renumbered citations.

    Args:
        answer: the generated text, markers ``[1]..[len(quotes)]`` referring to ``quotes``.
        quotes: the quotes as numbered in the prompt.
        headers: for each quote, its document's header text (who, where, when).
        subject: the question's subject words (BM25 tokens); a sentence must mention one, so
            a true sentence about something else ("China", asked about North Korea) is cut.
    """
    supports = [support_text(q, h) for q, h in zip(quotes, headers, strict=True)]
    kept: list[tuple[str, tuple[int, ...]]] = []
    dropped: list[str] = []
    for claim in split_claims(repair_markers(answer)):
        if not on_topic(claim.text, subject):
            dropped.append(claim.text)
            continue
        valid = tuple(n for n in claim.cited if 1 <= n <= len(quotes))
        if valid:
            joined_support = " ".join(supports[n - 1] for n in valid)
            joined_quotes = " ".join(quotes[n - 1].text for n in valid)
            if check_claim(claim.text, joined_support, joined_quotes)[0]:
                kept.append((claim.text, valid))
                continue
        # Uncited or mis-cited: credit the one quote that supports it, if any does.
        backing = [n for n in range(1, len(quotes) + 1) if check_claim(claim.text, supports[n - 1], quotes[n - 1].text)[0]]
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


def cite(sentence: str, numbers: Sequence[int]) -> str:
    """A sentence with its markers before the final full stop: 'NATO agreed [1][2].'"""
    body = sentence[:-1] if sentence[-1:] in ".!?" else sentence
    end = sentence[-1] if sentence[-1:] in ".!?" else "."
    return f"{body} {''.join(f'[{n}]' for n in numbers)}{end}"
