"""Speakers, titles and publishers from hand-made headers: who speaks, and who is only named."""

from __future__ import annotations

import pytest

from embeddings.layout import paragraph_spans
from embeddings.metadata import extract_publisher, extract_speakers, extract_title


def speakers(text: str) -> tuple[str, ...]:
    return extract_speakers(text, paragraph_spans(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remarks by Governor Jane Q. Smith at the flood briefing\n\nThank you all for coming.", ("Jane Q. Smith",)),
        ("Joint press point\n\nby NATO Secretary General Jens Stoltenberg with Prime Minister Fumio Kishida\n\nThank you.", ("Jens Stoltenberg",)),
        ("Press conference with Secretary General Anders Fogh Rasmussen - Opening remarks by the Secretary General\n\nWelcome.", ("Anders Fogh Rasmussen",)),
        ("Budget hearing\n\nMayor Ana Lopez: We will balance the budget this year.", ("Ana Lopez",)),
        ("Headline here\n\nMay 2, 2022 (SAINT PAUL) — Attorney General Keith Ellison announced a settlement today.", ("Keith Ellison",)),
        ("FEDERALIST No. 10\n\nA Title\n\nMADISON\n\nTo the People of the State of New York:\n\nAMONG the numerous advantages.", ("Madison",)),
        ("FEDERALIST No. 19\n\nA Title\n\nMADISON, with HAMILTON\n\nTo the People:\n\nTHE examples.", ("Madison", "Hamilton")),
        ("Statement from Attorney General Ellison on Death of George Floyd\n\nGeorge Floyd mattered.", ("Ellison",)),
        ("Ministry of Finance\n\nStatement of Minister François Lefèvre on the café tax\n\nThe tax will fall.", ("François Lefèvre",)),
        ("STATEMENT OF ADMINISTRATION POLICY\n\nH.R. 2454 - American Clean Energy and Security Act\n\nThe bill would help.", ()),
        ("County Health Department\n\nDr. Samuel Reyes, the county health officer, urged all residents over six months old to get a flu shot.", ("Samuel Reyes",)),
        ("Acme settlement\n\nSAINT PAUL — Attorney General Dana Okafor today announced a $3.5 million settlement with Acme Widgets.", ("Dana Okafor",)),
        ("Road closures\n\nSheriff Tom Becker said the county road will close for two weeks starting Monday morning.", ("Tom Becker",)),
        ("Reopening schools\n\nDr. Priya Natarajan, Superintendent, Riverton Unified School District\n\nAugust 17, 2020\n\nStudents return.", ("Priya Natarajan",)),
        ("Harbor expansion\n\nSamuel Okafor, Port Director\n\nThe harbor will grow.", ("Samuel Okafor",)),
    ],
)
def test_who_speaks(text: str, expected: tuple[str, ...]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A readout reports what others said; the body quotes an official; a sponsor is not a speaker.
        "Courtesy call on Prime Minister Shinzo Abe by NATO Secretary General Anders Fogh Rasmussen\n\n"
        "On April 15, commencing at six, the Prime Minister received a call.\n\nPrime Minister Abe said Japan and NATO are partners.",
        "KABUL, Afghanistan (Dec. 9) - An Afghan and coalition force detained two suspects, said Brig. Gen. Carsten Jacobson.",
        "June 26, 2009\n\nSTATEMENT OF ADMINISTRATION POLICY\n\n(Rep. Waxman, D-California, and Rep. Markey, D-Massachusetts)\n\n"
        "The Administration strongly supports the bill.\n\nSince taking office, President Trump has made reform a priority.",
        # A label in a list and an office are not persons.
        "Update\n\nAttorney General's Office\n\nEnforcement\n\nIntro text here.\n\nPour House: The office filed a lawsuit against Pour House.",
        "AG Task Force: Lower drug prices by making markets work for people\n\nThe task force met.",
        "Headline\n\nMarch 12, 2025 (SAINT PAUL) — Minnesota Attorney General Attorney General today co-led a coalition of states.",
        "Chief Justice Gildea served our state nobly and honorably for many years\n\nJune 15, 2023 — A statement was released.",
        # A title that names several officials is a headline, not a name line.
        "Attorney General Ellison, Senator Boldon, and Representative Reyer announce an act\n\nThe act passed.",
    ],
)
def test_who_is_only_named_is_no_speaker(text: str) -> None:
    assert speakers(text) == ()


def test_titles_and_publishers() -> None:
    text = "FEDERALIST No. 10\n\nThe Same Subject Continued\n\nFrom the Daily Advertiser. Thursday, November 22, 1787.\n\nMADISON"
    paragraphs = paragraph_spans(text)
    assert extract_title(text, paragraphs) == "FEDERALIST No. 10 — The Same Subject Continued"
    assert extract_publisher(text) == "Daily Advertiser"
    # A subheading in headline case may end in a full stop; a body sentence under it may not join.
    stopped = "FEDERALIST No. 82\n\nThe Judiciary Continued.\n\nFrom MCLEAN'S Edition, New York.\n\nHAMILTON"
    assert extract_title(stopped, paragraph_spans(stopped)) == "FEDERALIST No. 82 — The Judiciary Continued."
    run_in = "FEDERALIST No. 40\n\nOn the Powers of the Convention Examined For the New York Packet. Friday, January 18, 1788.\n\nMADISON"
    assert extract_title(run_in, paragraph_spans(run_in)) == "FEDERALIST No. 40"
    body = "Joint statement\n\nThe ministers met in Tokyo today.\n\nThey agreed on three points."
    assert extract_title(body, paragraph_spans(body)) == "Joint statement"
    # An office's name, the date, then the headline: the headline is what the statement is about.
    office = "County Health Department\n\nOctober 2, 2017\n\nHealth Officer Dr. Samuel Reyes urges flu shots\n\nDr. Samuel Reyes urged residents to get a flu shot."
    assert extract_title(office, paragraph_spans(office)) == "County Health Department — Health Officer Dr. Samuel Reyes urges flu shots"
    # An office's name over the headline; a dateline under a headline is no part of it.
    chief = "Office of the Chief\n\nPolice Chief announces body cameras for all patrol officers\n\nNovember 20, 2019\n\nThe chief said so."
    assert extract_title(chief, paragraph_spans(chief)) == "Office of the Chief — Police Chief announces body cameras for all patrol officers"
    festival = "Arts festival returns\n\nRIVERTON, May 4, 2023\n\nThe festival will return on June 17."
    assert extract_title(festival, paragraph_spans(festival)) == "Arts festival returns"
    release = "Dec. 2: Taliban Compound Struck\n\nNEWS RELEASE ISAF Joint Command - Afghanistan 2009-11-CA-056"
    assert extract_title(release, paragraph_spans(release)) == "Taliban Compound Struck"
    assert extract_publisher(release) == "ISAF Joint Command"
    assert extract_publisher("x", letterhead=["EXECUTIVE OFFICE OF THE PRESIDENT", "OFFICE OF MANAGEMENT AND BUDGET"]) == "Office of Management and Budget"
    assert extract_publisher("x", hints=["Tuesday, October 16, 2018 | Office of Attorney General Lori Swanson"]) == "Office of Attorney General Lori Swanson"


def test_the_type_is_read_from_headings_not_from_prose() -> None:
    from embeddings.metadata import extract_type

    readout = "Courtesy call on Prime Minister Abe\nThe two welcomed the Joint Political Declaration signed today and the address by the Secretary General."
    assert extract_type("Courtesy call on Prime Minister Abe", readout) == "document"
    assert extract_type("Budget news", "Budget news\nFor Immediate Release\nThe council met.") == "press release"
