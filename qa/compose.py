"""Composition of a generated answer: the verified sentences, and the leading quote's own words
where the model left them out. Pure functions.

A model sentence that restates a sentence of the leading quote gives way to the quote's own
words: the paraphrase adds nothing, and may shift who did what ("NATO said they would comply"
for "we urge North Korea to comply"). No sentence appears twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from embeddings.bm25 import tokenize
from embeddings.layout import sentence_spans
from qa.answer import Citation
from qa.extractive import framing
from qa.quotes import Quote, says_again
from qa.verify import Verified, cite

#: Below this share of the leading quote's words, a generated answer is followed by that quote.
MIN_TOLD_SHARE = 0.5


def told_share(answer: str, quote: str) -> float:
    """The share of a quote's content words (BM25 tokens) that an answer repeats."""
    quoted = set(tokenize(quote))
    return len(quoted & set(tokenize(answer))) / len(quoted) if quoted else 1.0


def with_leading_quote(checked: Verified, quotes: Sequence[Quote]) -> tuple[str, tuple[Citation, ...], str] | None:
    """The verified answer as text, citations and method; None when only the quotes should answer.

    When the model wrote about a lesser quote, or left out most of the best one, the best
    evidence is shown in its own words after the model's sentences.
    """
    if not checked.text:
        return None
    citations = tuple(Citation(n, q) for n, q in enumerate(checked.quotes, start=1))
    method = "generated" if not checked.dropped else "generated (trimmed)"
    lead = quotes[0]
    if all(q is not lead for q in checked.quotes) or told_share(checked.text, lead.text) < MIN_TOLD_SHARE:
        sentences = [set(tokenize(lead.text[a:b])) for a, b in sentence_spans(lead.text)]
        own = tuple(c for c in checked.claims if not any(says_again(set(tokenize(c.text)), t) for t in sentences))
        if not own:
            return None
        cited = [c.n for c in citations if c.quote is lead]
        n = cited[0] if cited else len(citations) + 1
        if not cited:
            citations = (*citations, Citation(n, lead))
        text = " ".join(cite(c.text, c.cited) for c in own)
        checked = replace(checked, text=f"{text}\n{framing(lead)}: “{' '.join(lead.text.split())}” [{n}]", claims=own)
        method += " + quote"
    return checked.text, citations, method
