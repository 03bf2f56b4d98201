"""Split a document into passages: a few whole sentences of one paragraph, with exact offsets.

A passage is the unit that is embedded and scored; its sentences are the units a quote is cut
from. Every paragraph of the body is evidence, headings and datelines included; only the
furniture the document's ``exclusions`` name stays out. A passage never crosses a paragraph,
so a quote reads as the document wrote it. What is embedded and keyword-indexed is the
passage with its line breaks read as spaces and hyphens at line ends undone ("admin-\nistration"
matches "administration"); the quote itself stays the document's exact characters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from embeddings.documents import Document
from embeddings.layout import sentence_spans
from embeddings.text import Span, words

#: A passage holds at most this many sentences...
MAX_SENTENCES = 3
#: ...and stops growing once it has this many words (a single longer sentence stays whole).
MAX_WORDS = 70


@dataclass(frozen=True)
class Passage:
    """A run of sentences of one document. ``text == document.text[start:end]``."""

    passage_id: str
    doc_id: str
    start: int
    end: int
    sentences: tuple[Span, ...]
    text: str


def _passage_id(doc_id: str, start: int, end: int, text: str) -> str:
    key = f"{doc_id}\x00{start}\x00{end}\x00{text}".encode()
    return hashlib.sha256(key).hexdigest()[:16]


def split_passages(document: Document, max_sentences: int = MAX_SENTENCES, max_words: int = MAX_WORDS) -> list[Passage]:
    """The passages of one document, in reading order.

    Example:
        A paragraph of five short sentences becomes two passages of three and two sentences.
    """
    text = document.text
    passages: list[Passage] = []
    for para_start, para_end in document.paragraphs:
        group: list[Span] = []
        group_words = 0
        for span in sentence_spans(text, para_start, para_end):
            n_words = len(words(text[span[0] : span[1]]))
            if group and (len(group) >= max_sentences or group_words + n_words > max_words):
                passages.append(_make(document, group))
                group, group_words = [], 0
            group.append(span)
            group_words += n_words
        if group:
            passages.append(_make(document, group))
    return passages


_LINE_END_HYPHEN = re.compile(r"(?<=[a-z])-\s*\n\s*(?=[a-z])")


def matching_text(text: str) -> str:
    """A quote's words as search sees them: hyphens at line ends undone, spacing collapsed.

    Example:
        >>> matching_text("the admin-\\nistration  said")
        'the administration said'
    """
    return " ".join(_LINE_END_HYPHEN.sub("", text).split())


def kept_share(document: Document, passages: list[Passage]) -> float:
    """The share of the document's body text (all but its furniture) that passages hold.

    Counted in non-space characters; 1.0 means every word outside the furniture is evidence.
    """
    excluded = sum(len(re.sub(r"\s", "", document.text[e.start : e.end])) for e in document.exclusions)
    body = len(re.sub(r"\s", "", document.text)) - excluded
    held = sum(len(re.sub(r"\s", "", p.text)) for p in passages)
    return 1.0 if body <= 0 else min(1.0, held / body)


def _make(document: Document, sentences: list[Span]) -> Passage:
    start, end = sentences[0][0], sentences[-1][1]
    text = document.text[start:end]
    return Passage(
        passage_id=_passage_id(document.doc_id, start, end, text),
        doc_id=document.doc_id,
        start=start,
        end=end,
        sentences=tuple(sentences),
        text=text,
    )


def index_text(document: Document, passage: Passage) -> str:
    """What is embedded and keyword-indexed for a passage: its title gives it context."""
    text = matching_text(passage.text)
    return f"{document.title}. {text}" if document.title else text


def keyword_texts(document: Document, passages: list[Passage]) -> list[str]:
    """What BM25 indexes for each passage of one document: its title, the passage, and one
    sentence either side.

    A question often joins two facts that the document states in adjacent sentences ("the
    loudspeaker near Sanzar"); the neighbouring sentences let keyword search see both, while
    the quote is still cut from the passage's own sentences.
    """
    texts = []
    for i, passage in enumerate(passages):
        before = passages[i - 1].sentences[-1] if i > 0 else None
        after = passages[i + 1].sentences[0] if i + 1 < len(passages) else None
        parts = [document.title] if document.title else []
        if before:
            parts.append(document.text[before[0] : before[1]])
        parts.append(passage.text)
        if after:
            parts.append(document.text[after[0] : after[1]])
        texts.append(matching_text(" ".join(parts)))
    return texts
