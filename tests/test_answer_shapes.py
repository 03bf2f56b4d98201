"""The shapes of extractive answers over the real seeds: points of a statement, each sentence
once; a period that only a statement of another date speaks of; a heading read whole."""

import re
from pathlib import Path

import pytest

from qa.engine import Engine

from .conftest import engine_over

pytestmark = pytest.mark.slow


def sound(engine: Engine, text: str, citations) -> bool:
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    exact = all(engine.index.documents[c.quote.ref.doc_id].text[c.quote.ref.start : c.quote.ref.end] == c.quote.text for c in citations)
    return exact and markers == {c.n for c in citations}


def test_what_a_statement_said_is_its_points_each_said_once(extractive_engine) -> None:
    answer = extractive_engine.ask("What did NATO say about North Korea in 2017?")
    assert answer.status == "answered" and sound(extractive_engine, answer.text, answer.citations)
    assert {c.quote.ref.date for c in answer.citations} == {"2017-10-31"}
    # More than the one paragraph that names North Korea most often: its other points too.
    assert len(answer.citations) >= 3
    # One statement, introduced once.
    assert answer.text.count("On 31 October 2017") == 1
    sentences = [s for c in answer.citations for s in re.split(r"(?<=[.!?])\s+", c.quote.text)]
    assert len(sentences) == len(set(sentences))


def test_a_period_only_another_statement_speaks_of_is_said_to_be_so(extractive_engine) -> None:
    answer = extractive_engine.ask("What commitments did North Korea make in 2005?")
    assert answer.status == "answered" and answer.method == "extractive, period mentioned"
    assert answer.text.startswith("No statement dated 2005 answers this")
    assert any("2005 Joint Statement" in c.quote.text for c in answer.citations)
    assert all(c.quote.ref.date == "2017-10-31" for c in answer.citations)
    assert sound(extractive_engine, answer.text, answer.citations)


def test_a_period_nobody_speaks_of_is_still_declined(extractive_engine) -> None:
    answer = extractive_engine.ask("What did NATO say about North Korea in 2010?")
    assert answer.status == "not_found"
    assert "No statement in the documents is dated 2010" in answer.text


def test_a_change_across_years_ends_with_what_changed(extractive_engine) -> None:
    answer = extractive_engine.ask("How did NATO's message on North Korea change between 2013 and 2023?")
    assert answer.status == "answered" and sound(extractive_engine, answer.text, answer.citations)
    # Every year quoted speaks of North Korea (the question's framing words "message" and
    # "change" do not pick a sentence about something else).
    assert {c.quote.ref.date[:4] for c in answer.citations} == {"2013", "2017", "2023"}
    assert all("North Korea" in c.quote.text for c in answer.citations)
    last = answer.text.splitlines()[-1]
    assert last.startswith("What changed:")
    early, late = sorted(answer.citations, key=lambda c: c.quote.ref.date)[:: len(answer.citations) - 1]
    assert f"[{early.n}]" in last and f"[{late.n}]" in last
    # Every phrase it names is the cited quote's own words.
    for phrase, n in re.findall(r"“([^”]+)”[^\[]*\[(\d+)\]", last):
        assert phrase in next(c.quote.text for c in answer.citations if c.n == int(n))


def test_a_name_asked_about_that_the_statements_of_the_period_never_use_declines(extractive_engine) -> None:
    # Russia stands in the 2023 statement only: the 2017 condemnation is of North Korea, no
    # answer about Russia, and the reader is told what the 2017 statements never mention.
    answer = extractive_engine.ask("Did NATO condemn Russia in 2017?")
    assert answer.status == "not_found" and not answer.citations
    assert answer.text.startswith("The statements dated 2017 never mention “Russia”.")
    named = extractive_engine.ask("What did NATO say about Russia in 2023?")
    assert named.status == "answered" and "never mention" not in named.text
    # So for a speaker: Rasmussen spoke of the Chicago Summit, Stoltenberg's statements never
    # mention it, however much they say of Japan's partnership with NATO.
    speaker = extractive_engine.ask("What did Stoltenberg say about Japan's partnership with NATO at the Chicago Summit?")
    assert speaker.status == "not_found" and speaker.text.startswith("The statements by Jens Stoltenberg never mention “Chicago”")


def test_a_word_the_quoted_statements_never_use_is_said_to_be_missing_first(extractive_engine) -> None:
    # Nothing here says "troops": the answer shows what the statements say of Japan and
    # Afghanistan, after saying so.
    answer = extractive_engine.ask("Did Japan send troops to Afghanistan?")
    assert answer.status == "answered"
    assert answer.text.startswith("The statements quoted never use the word “troops”; they say this on the rest of the question.")
    # The question's own wording ("send") is no word an answer must use.
    assert "“send”" not in answer.text


def test_a_name_that_only_says_who_is_asked_is_no_gap_in_the_answer(tmp_path, embedder) -> None:
    # "the White House" asks; the 2015 statement, which never writes it, still answers, and
    # the reader is not told it "never mentions" the name of whoever the question asks.
    statements = tmp_path / "statements"
    statements.mkdir()
    (statements / "2014-06-02_highways.txt").write_text(
        "Statement on highway funding\n\nJune 2, 2014\n\nThe White House urged Congress to pass a long-term highway bill "
        "before the summer. Short-term extensions leave every State unsure of its funding.\n",
        encoding="utf-8",
    )
    (statements / "2015-05-19_extension.txt").write_text(
        "Statement on the highway extension\n\nMay 19, 2015\n\nThe Administration does not oppose the two-month extension. "
        "Several States have cancelled or deferred road projects during the construction season because of the repeated "
        "short-term extensions.\n",
        encoding="utf-8",
    )
    engine = engine_over(sorted(statements.iterdir()), tmp_path, embedder)
    answer = engine.ask("In 2015, what did the White House say about road projects being cancelled?")
    assert answer.status == "answered" and "never mention" not in answer.text
    assert {c.quote.ref.doc_id for c in answer.citations} == {"2015-05-19_extension"}
    assert sound(engine, answer.text, answer.citations)


def test_asked_who_the_line_naming_a_person_leads(tmp_path, embedder) -> None:
    # The sponsor line under the bill's name, "(Rep. Frelinghuysen, R-NJ)", is who sponsored it;
    # the first sentence of the statement, about the bill, shares more words and names nobody.
    shapes = Path(__file__).parent / "data" / "shapes"
    engine = engine_over([shapes / "2018-02-06_hr1892.pdf", shapes / "2009-06-26_hr2454.pdf"], tmp_path, embedder)
    answer = engine.ask("Who sponsored the House amendment to H.R. 1892, the stopgap funding bill?")
    assert answer.status == "answered" and sound(engine, answer.text, answer.citations)
    assert "Rep. Frelinghuysen" in answer.citations[0].quote.text, answer.text
