"""Composition of a generated answer: the model's verified lead sentence, then the points in the
documents' own words, grouped by statement. Pure functions.

The model writes one short sentence that states what the question asks (the fact first, for
who, when, how many). Code has checked it against the quotes it cites (``qa.verify``). The
quotes follow as the extractive answer shows them, so every point a reader sees is the
documents' exact words. A model sentence that restates a quoted sentence gives way to it: the
paraphrase adds nothing, and may shift who did what ("NATO said they would comply" for "we urge
North Korea to comply"). No sentence appears twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from embeddings.bm25 import tokenize
from embeddings.layout import sentence_spans
from qa.answer import Citation
from qa.extractive import extractive_answer
from qa.quotes import Quote, overlaps, says_again
from qa.verify import Verified, cite


def lead_and_points(checked: Verified, quotes: Sequence[Quote]) -> tuple[str, tuple[Citation, ...], str]:
    """The answer's text, citations and method: the verified lead (if any survives), then the quotes.

    Args:
        checked: the model's answer after verification; its claims cite ``checked.quotes``.
        quotes: the quotes the answer rests on, best first (as judged).
    """
    text, citations = extractive_answer(quotes)
    # The points as the reader sees them, with their framing ("On 31 October 2017, NATO said: ..."):
    # a lead that only says that again is not kept.
    bare = re.sub(r"\[\d+\]", "", text)
    shown = [set(tokenize(bare[a:b])) for a, b in sentence_spans(bare)]
    number: dict[int, int] = {}
    for old, quote in enumerate(checked.quotes, start=1):
        # A quote may have been cut to its sentences not shown before: it is the same place.
        same = next((c.n for c in citations if overlaps(c.quote, quote)), None)
        if same is not None:
            number[old] = same
    lead = [
        claim
        for claim in checked.claims
        if claim.cited
        and all(n in number for n in claim.cited)
        and not any(says_again(set(tokenize(claim.text)), sentence) for sentence in shown)
    ]
    if not lead:
        return text, citations, "extractive"
    sentences = " ".join(cite(claim.text, sorted({number[n] for n in claim.cited})) for claim in lead)
    method = "generated lead" + (" (trimmed)" if checked.dropped or len(lead) < len(checked.claims) else "")
    return f"{sentences}\n{text}", citations, method

