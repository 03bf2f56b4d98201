"""Questions that ask for a person by name, and quotes that name one (spaCy's tagger, as installed)."""

import shutil

import pytest

from embeddings.dates import parse_iso
from qa.answer_type import asks_person_name, person_name_words
from qa.entities import SPACY_MODEL_SHA256, folder_sha256, make_person_finder, names_asked_person, pipeline_folder
from qa.quotes import Quote, SourceRef

from .conftest import ISAF, engine_over


def test_a_question_asks_for_a_person_when_what_it_asks_for_is_one() -> None:
    assert asks_person_name("Which Japanese defence minister took part in the meeting?")
    assert asks_person_name("Who was the gentleman Hamilton said objected to it?")
    assert asks_person_name("What was the name of the Islamic Movement of Uzbekistan deputy shadow governor for Takhar?")
    assert asks_person_name("What are the names of the wives of the owners?")
    # A body may answer a bare "who"; words, a share, a group or unnamed leaders answer these.
    assert not asks_person_name("Who sponsored H.R. 3935?")
    assert not asks_person_name("What did the senator say about the bill?")
    assert not asks_person_name("What share of senators must agree before a treaty can be made?")
    assert not asks_person_name("Which group's leader was tied to the abduction?")
    assert not asks_person_name("Which Taliban leaders were arrested in December 2012?")
    assert not asks_person_name("What signs suggested local people felt safer?")
    assert not asks_person_name("What was the name of the operation the commander led?")


def test_titles_and_initials_are_no_name() -> None:
    assert person_name_words("H.E. Mr") == []
    assert person_name_words("Sgt. R.J. Peek") == ["Peek"]
    assert person_name_words("Attorney General Keith Ellison") == ["Keith", "Ellison"]


def _quote(text: str, speaker: str = "") -> Quote:
    ref = SourceRef("d", "A statement", "2010-09-02", speaker, "statement", "d.txt", 0, len(text))
    return Quote(ref, text, 1.0, 1.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def finder():
    found = make_person_finder()
    if found is None:
        pytest.skip("spaCy's pipeline is not installed")
    return found


@pytest.mark.slow
def test_the_tagger_tells_a_person_from_a_place_or_a_body(finder) -> None:
    question = "What was the name of the deputy shadow governor targeted in Takhar?"
    unnamed = _quote("Coalition forces conducted a precision air strike in Kabul, Afghanistan, targeting the deputy shadow governor for Takhar province.")
    assert not names_asked_person(finder, [unnamed], question)
    named = _quote("The strike targeted Qari Ehsanullah, the deputy shadow governor for Takhar province.")
    assert names_asked_person(finder, [named], question)
    # The question's own names answer nothing; a statement's byline names its writer.
    asked = "Which Japanese minister did Jens Stoltenberg meet?"
    assert not names_asked_person(finder, [_quote("H.E. Mr Jens Stoltenberg met the minister.")], asked)
    byline = _quote("FEDERALIST No. 19\nMADISON, with HAMILTON", speaker="Madison")
    assert names_asked_person(finder, [byline], "Who was the author of Federalist No. 19?")
    assert not names_asked_person(finder, [_quote("The liaison officer joined MARCOM.", speaker="Jens Stoltenberg")], "Who was the liaison officer?")
    # Asked which official announced it, the statement's speaker answers; a body does not.
    announced = "Which official announced the settlement?"
    assert names_asked_person(finder, [_quote("The settlement was announced today.", speaker="Keith Ellison")], announced)
    assert not names_asked_person(finder, [_quote("The bill was opposed.", speaker="Office of Management and Budget")], "Which director signed it?")


@pytest.mark.slow
def test_only_the_pinned_pipeline_is_loaded(tmp_path) -> None:
    folder = pipeline_folder()
    if folder is None:
        pytest.skip("spaCy's pipeline is not installed")
    assert folder_sha256(folder) == SPACY_MODEL_SHA256
    copy = tmp_path / "pipeline"
    shutil.copytree(folder, copy)
    (copy / "meta.json").write_text("{}", encoding="utf-8")
    assert folder_sha256(copy) != SPACY_MODEL_SHA256


@pytest.mark.slow
def test_a_release_that_does_not_name_the_person_asked_about_declines(tmp_path, embedder) -> None:
    if not ISAF.is_dir():
        pytest.skip(f"{ISAF} is not here")
    engine = engine_over([ISAF / "2010-09-CA-027.txt", ISAF / "release_36.txt"], tmp_path, embedder)
    unnamed = engine.ask("What was the name of the deputy shadow governor for Takhar province targeted in the September 2010 air strike?")
    assert unnamed.status == "not_found" and not unnamed.citations, unnamed.text
    assert "do not name the person" in unnamed.text and "2 September 2010" in unnamed.text
    named = engine.ask("Which district police chief approved the Afghan ambush on insurgents in the Bogachar Valley?")
    assert named.status == "answered" and "Sardar Wali" in named.text, named.text
    assert parse_iso(named.citations[0].quote.ref.date or "2000") is not None
