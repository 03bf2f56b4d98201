import json
import logging
from pathlib import Path

from embeddings.documents import Document, ReadProblem, read_corpus
from embeddings.passages import split_passages

from .conftest import SEEDS


def _seeds() -> dict[str, Document]:
    return {d.doc_id[:3]: d for d in read_corpus(SEEDS) if isinstance(d, Document)}


def test_seed_metadata_comes_from_the_text_and_the_sidecar() -> None:
    docs = _seeds()
    assert {k: (d.date.iso if d.date else None) for k, d in docs.items()} == {
        "000": "2013-04-15",
        "001": "2013-04-15",
        "002": "2013-04-15",
        "003": "2017-10-31",
        "004": "2023-01-31",
    }
    # A joint statement speaks for both parties; "by X with Y" and "remarks by the Secretary
    # General" name one speaker; a readout of a meeting names none.
    assert docs["003"].speakers == ("Jens Stoltenberg", "Shinzo Abe")
    assert docs["004"].speakers == ("Jens Stoltenberg",)
    assert docs["000"].speakers == ("Anders Fogh Rasmussen",)
    assert docs["001"].speakers == ("Anders Fogh Rasmussen",)
    assert docs["002"].speakers == ()
    assert docs["000"].doc_type == "press conference"
    assert docs["003"].doc_type == "joint statement"
    assert docs["002"].title.startswith("Courtesy call on Prime Minister Shinzo Abe")
    assert docs["002"].publisher == "Prime Minister's Office of Japan"


def test_stored_text_is_the_file_unchanged() -> None:
    for doc in _seeds().values():
        assert doc.text == (SEEDS / doc.source).read_text(encoding="utf-8")


def test_passages_keep_exact_offsets_and_leave_out_debris() -> None:
    for doc in _seeds().values():
        for p in split_passages(doc):
            assert doc.text[p.start : p.end] == p.text
            assert all(p.start <= a < b <= p.end for a, b in p.sentences)
            for debris in ("• |", "Last updated", "Image:", ".jpg", "Home > News"):
                assert debris not in p.text
        # Headings and first lines are evidence too.
        assert any(p.text == doc.text.split("\n")[0].strip() for p in split_passages(doc)) or doc.doc_id.startswith("002")


def test_bad_files_are_reported_and_the_rest_is_read(tmp_path: Path, caplog) -> None:
    (tmp_path / "good.txt").write_text("Statement\n\n  • 3 Mar. 2020 -\n\nNATO welcomed the agreement.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "page.html").write_text(
        "<html><head><title>Press point</title><script>alert(1)</script></head>"
        "<body><p>Date: 5 May 2021</p><p>The Allies agreed on <b>new</b> steps.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "ignored.jpg").write_bytes(b"\xff\xd8")
    with caplog.at_level(logging.WARNING):
        results = list(read_corpus(tmp_path))
    problems = {r.source: r.reason for r in results if isinstance(r, ReadProblem)}
    docs = {r.source: r for r in results if isinstance(r, Document)}
    assert set(problems) == {"empty.txt", "binary.txt"}
    assert "no text" in problems["empty.txt"] and "binary" in problems["binary.txt"]
    assert set(docs) == {"good.txt", "page.html"}
    assert docs["good.txt"].date.iso == "2020-03-03"
    html = docs["page.html"]
    assert html.title == "Press point" and "alert" not in html.text and "The Allies agreed on new steps." in html.text
    assert html.date.iso == "2021-05-05"


def test_sidecar_can_mark_a_document_undated(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\n  • 3 Mar. 2020 -\n\nText here.", encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps({"documents": {"a.txt": {"date": None, "publisher": "X"}}}))
    (doc,) = list(read_corpus(tmp_path))
    assert doc.date is None and doc.publisher == "X"


def test_a_sidecar_value_of_the_wrong_shape_is_set_aside_not_the_document(tmp_path: Path, caplog) -> None:
    (tmp_path / "a.txt").write_text("Title\n\n  • 3 Mar. 2020 -\n\nMayor Ana Lopez said the pool opens in June.", encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps({"documents": {"a.txt": {"date": "next tuesday", "speakers": "Ana Lopez"}}}))
    with caplog.at_level(logging.WARNING):
        (doc,) = list(read_corpus(tmp_path))
    assert isinstance(doc, Document) and doc.date.iso == "2020-03-03"  # the text's own date
    assert "YYYY-MM-DD" in caplog.text and "list of names" in caplog.text


def test_a_pipe_is_skipped_and_a_link_to_a_file_of_the_folder_is_read_once(tmp_path: Path) -> None:
    import os

    (tmp_path / "harbor.txt").write_text("Harbor statement\n\nThe bridge opens on 4 March 2019.", encoding="utf-8")
    (tmp_path / "link_to_harbor.txt").symlink_to(tmp_path / "harbor.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait for a writer forever
    results = list(read_corpus(tmp_path))
    problems = {r.source: r.reason for r in results if isinstance(r, ReadProblem)}
    assert [r.source for r in results if isinstance(r, Document)] == ["harbor.txt"]
    assert "not a regular file" in problems["pipe.txt"]
    assert "read once" in problems["link_to_harbor.txt"]


def test_accented_text_in_any_common_encoding_reads_as_written(tmp_path: Path) -> None:
    text = "Statement by Selectwoman Zoë Brontë\n\n7 September 2018\n\nMinister François Lefèvre said the café tax will fall to 5%."
    (tmp_path / "western.txt").write_bytes(text.encode("cp1252"))  # bytes that cp1250 reads too ("Lefčvre")
    (tmp_path / "wide.txt").write_bytes(text.encode("utf-16-le"))  # no byte-order mark
    (tmp_path / "snippet.html").write_text("<p>Mayor Zoë Brontë said on 4 May 2019 that the pool in Ørsted will open.</p>", encoding="utf-8")
    docs = {r.source: r for r in read_corpus(tmp_path) if isinstance(r, Document)}
    assert set(docs) == {"western.txt", "wide.txt", "snippet.html"}
    for name in ("western.txt", "wide.txt"):
        assert "François Lefèvre" in docs[name].text and "café" in docs[name].text
        assert any("Zoë Brontë" in s for s in docs[name].speakers)
    assert "Zoë Brontë" in docs["snippet.html"].text and "Ørsted" in docs["snippet.html"].text


def test_a_page_without_a_dateline_is_dated_by_the_date_its_markup_declares(tmp_path: Path) -> None:
    (tmp_path / "port.html").write_text(
        '<html><head><title>Port expansion approved</title><meta property="article:published_time" content="2016-08-30T10:00:00Z"></head>'
        "<body><article><h1>Port expansion approved</h1><p>The port commission voted 5 to 2 to approve the expansion of the container "
        "terminal, Commissioner Victor Lang said.</p></article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "dated.html").write_text(
        '<html><head><meta property="article:published_time" content="2016-08-30"></head><body><article><h1>Budget</h1>'
        "<p>May 2, 2022 (SAINT PAUL) — The council passed the budget today after a long debate over the parks.</p></article></body></html>",
        encoding="utf-8",
    )
    docs = {r.source: r for r in read_corpus(tmp_path) if isinstance(r, Document)}
    assert docs["port.html"].date.iso == "2016-08-30"
    assert docs["dated.html"].date.iso == "2022-05-02"  # the page's own dateline outranks its markup


def test_markdown_is_read_as_the_text_it_shows(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(
        "# Transit Authority Board Update\n\n*Published 3 February 2023*\n\n**Chair Omar Haddad** presented the budget,\nwhich keeps fares flat.\n\n"
        "- The authority will buy [45 electric buses](https://example.com/buses) by 2026.\n",
        encoding="utf-8",
    )
    (doc,) = [r for r in read_corpus(tmp_path) if isinstance(r, Document)]
    assert doc.title == "Transit Authority Board Update" and doc.date.iso == "2023-02-03"
    assert "Chair Omar Haddad presented the budget, which keeps fares flat." in doc.text  # a wrapped line stays one paragraph
    assert "The authority will buy 45 electric buses by 2026." in doc.text
    assert not any(mark in doc.text for mark in ("#", "**", "](", "https://"))


def test_a_date_in_numbers_is_read_only_when_it_can_mean_one_day(tmp_path: Path) -> None:
    (tmp_path / "clear.txt").write_text("PRESS RELEASE\n\n12/22/2019\n\nStatement of Fire Chief Ana Ortiz\n\nResponse times fell.", encoding="utf-8")
    (tmp_path / "unclear.txt").write_text("PRESS RELEASE\n\n03/04/2019\n\nStatement of Fire Chief Ana Ortiz\n\nResponse times fell.", encoding="utf-8")
    docs = {r.source: r for r in read_corpus(tmp_path) if isinstance(r, Document)}
    assert docs["clear.txt"].date.iso == "2019-12-22"
    assert docs["unclear.txt"].date is None  # March or April: nothing is guessed


def test_a_page_s_byline_outside_its_main_text_names_its_speaker(tmp_path: Path) -> None:
    # The byline paragraph is left out of the main text as page furniture; the person it names
    # still speaks in the statement.
    page = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbor expansion | Harbor Authority</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header><main><article>
<h1>Port Director announces harbor expansion</h1>
<p class="byline">By Samuel Okafor, Port Director · June 8, 2021</p>
<p>The Harbor Authority will add three new container cranes and deepen the main channel to 14 metres, the port said on Tuesday.</p>
<p>"This expansion will let us handle ships twice the size of those we see today and will create about 250 permanent jobs."</p>
</article></main><footer><p>All rights reserved.</p></footer></body></html>"""
    (tmp_path / "harbor.html").write_text(page, encoding="utf-8")
    (doc,) = list(read_corpus(tmp_path))
    assert isinstance(doc, Document) and doc.speakers == ("Samuel Okafor",)
