"""Split a document into passages: a few whole sentences of one paragraph, with exact offsets.

A passage is the unit that is embedded and scored; its sentences are the units a quote is cut
from. Page debris and heading lines never enter a passage, and a passage never crosses a
paragraph, so a quote reads as the document wrote it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from embeddings.documents import Document
from embeddings.text import (
    Span,
    complement_spans,
    debris_spans,
    heading_spans,
    merge_spans,
    paragraph_spans,
    sentence_spans,
    words,
)

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


def evidence_spans(text: str) -> list[Span]:
    """The parts of a document that may be quoted: all but debris and headings."""
    removed = merge_spans(sorted(debris_spans(text) + heading_spans(text)))
    return complement_spans(len(text), removed)


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
    for region_start, region_end in evidence_spans(text):
        for para_start, para_end in paragraph_spans(text, region_start, region_end):
            group: list[Span] = []
            group_words = 0
            for span in sentence_spans(text, para_start, para_end):
                n_words = len(words(text[span[0] : span[1]]))
                if n_words == 0:
                    continue
                if group and (len(group) >= max_sentences or group_words + n_words > max_words):
                    passages.append(_make(document, group))
                    group, group_words = [], 0
                group.append(span)
                group_words += n_words
            if group:
                passages.append(_make(document, group))
    return passages


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
    return f"{document.title}. {passage.text}" if document.title else passage.text


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
        texts.append(" ".join(parts))
    return texts
