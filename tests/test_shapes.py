"""One test per shape of document a user's folder holds, on real files from the shared corpora.

Each checks what ingestion must hold on any folder: the body text is kept (only furniture is
left out), passages never cross a paragraph, every offset is exact, and the date and the
speaker are read from the text.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from embeddings.documents import Document, ReadProblem, read_corpus, read_document
from embeddings.passages import kept_share, matching_text, split_passages

SHAPES = Path(__file__).parent / "data" / "shapes"


def _read(name: str) -> Document:
    return read_document(SHAPES, SHAPES / name, {})


def _check_passages(doc: Document) -> list:
    passages = split_passages(doc)
    assert passages
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert all(p.start <= a < b <= p.end and doc.text[a:b].strip() == doc.text[a:b] for a, b in p.sentences)
        # A passage lies inside one paragraph.
        assert any(a <= p.start and p.end <= b for a, b in doc.paragraphs)
    assert kept_share(doc, passages) >= 0.97
    return passages


def test_hard_wrapped_crlf_text_is_rejoined_into_paragraphs() -> None:
    doc = _read("federalist_10.txt")
    assert "\r" not in doc.text and doc.kind == "text"
    passages = _check_passages(doc)
    # A sentence wrapped over three lines is one sentence of one passage.
    sentence = "The friend of popular governments never finds himself so much alarmed for their character and fate"
    assert any(sentence in matching_text(p.text) for p in passages)
    # Short lines that are not headings (a paragraph's last line) stay with their paragraph.
    assert not any(p.text.strip() == "provides a proper cure for it." for p in passages)
    assert doc.date.iso == "1787-11-22"
    assert doc.speakers == ("Madison",)
    assert doc.publisher == "Daily Advertiser"
    assert doc.title.startswith("FEDERALIST No. 10 — The Same Subject Continued")


def test_a_dateline_run_into_the_title_and_a_joint_author_line() -> None:
    doc = _read("federalist_18.txt")
    _check_passages(doc)
    assert doc.date.iso == "1787-12-07"
    assert doc.speakers == ("Madison", "Hamilton")


def test_saved_web_page_keeps_the_release_and_repairs_its_encoding() -> None:
    doc = _read("_Office_Communications_2019_01_21_MLKStatement.html")
    assert doc.kind == "html"
    for menu in ("How Can We Help", "Biography of Attorney General", "Skip to", "445 Minnesota Street"):
        assert menu not in doc.text
    assert "â€" not in doc.text and "\x80" not in doc.text
    assert "let’s remember Dr. King as more than just a figure in history — because his fight is alive today." in doc.text
    assert doc.dropped > 2000  # the menus and footer, left out when the page was read
    passages = _check_passages(doc)
    assert not any(p.text == "Press Release" for p in passages)
    assert doc.date.iso == "2019-01-21"
    assert doc.speakers == ("Keith Ellison",)
    assert doc.title.startswith("Attorney General Ellison: ‘The fight against discrimination")


def test_born_digital_pdf_leaves_out_letterhead_and_keeps_the_statement() -> None:
    doc = _read("2009-06-26_hr2454.pdf")
    assert doc.kind == "pdf"
    passages = _check_passages(doc)
    excluded = {doc.text[e.start : e.end].strip(): e.reason for e in doc.exclusions}
    assert excluded.get("OFFICE OF MANAGEMENT AND BUDGET") == "letterhead"
    assert not any("OFFICE OF MANAGEMENT AND BUDGET" in p.text for p in passages)
    joined = " ".join(matching_text(p.text) for p in passages)
    assert "The President has called on Congress to enact forward-looking energy legislation" in joined
    assert doc.date.iso == "2009-06-26"
    # The bill's sponsors are named, but the Administration speaks: no person is the speaker.
    assert doc.speakers == ()
    assert doc.publisher == "Office of Management and Budget"
    assert doc.doc_type == "statement"
    assert "H.R. 2454" in doc.title


def test_a_letterhead_the_text_layer_puts_below_the_first_page_is_left_out_too() -> None:
    # The letterhead of this PDF comes out of its text layer after the first page's body, and
    # a rule ("* * *") stands above the heading: neither is the statement, nor its title.
    doc = _read("2018-02-06_hr1892.pdf")
    passages = _check_passages(doc)
    assert not any("WASHINGTON, D.C. 20503" in p.text or "EXECUTIVE OFFICE OF THE PRESIDENT" in p.text for p in passages)
    assert doc.title.startswith("STATEMENT OF ADMINISTRATION POLICY — House Amendment to H.R. 1892")
    assert doc.publisher == "Office of Management and Budget"
    joined = " ".join(matching_text(p.text) for p in passages)
    assert "The Administration supports the House Amendment to the Senate Amendment to H.R. 1892" in joined


def test_one_line_release_keeps_its_body_and_its_year_from_the_release_number() -> None:
    doc = _read("2009-11-CA-056.txt")
    passages = _check_passages(doc)
    assert any(p.text.startswith("KABUL, Afghanistan (Dec. 02) - International forces conducted an air strike") for p in passages)
    assert not any("For Immediate Release" in p.text for p in passages)
    assert doc.date.iso == "2009-12-02"
    assert doc.speakers == ()
    assert doc.title == "Taliban Compound Struck"


def test_word_documents_are_read(tmp_path: Path) -> None:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading("Statement by Governor Jane Q. Smith on the flood response", level=1)
    word.add_paragraph("March 3, 2024")
    word.add_paragraph("Governor Jane Q. Smith said the state will open three new shelters. The U.S. Army Corps of Engineers will help.")
    word.add_paragraph("Residents can call 555-0100 for help.")
    word.save(str(tmp_path / "flood.docx"))
    (doc,) = [d for d in read_corpus(tmp_path) if isinstance(d, Document)]
    assert doc.kind == "docx"
    passages = _check_passages(doc)
    assert any("three new shelters" in p.text for p in passages)
    assert doc.date.iso == "2024-03-03"
    assert doc.speakers == ("Jane Q. Smith",)
    assert doc.doc_type == "statement"


def test_mojibake_and_legacy_encodings_in_text_files(tmp_path: Path) -> None:
    body = "Statement\n\nMay 2, 2022 — The Minister said “we welcome the agreement” and the committee’s report.\n"
    (tmp_path / "double.txt").write_bytes(body.encode("utf-8").decode("latin-1").encode("utf-8"))
    (tmp_path / "legacy.txt").write_bytes(body.replace("—", "-").encode("cp1252"))
    docs = {d.source: d for d in read_corpus(tmp_path) if isinstance(d, Document)}
    assert "“we welcome the agreement”" in docs["double.txt"].text and "committee’s" in docs["double.txt"].text
    assert "committee’s report" in docs["legacy.txt"].text
    assert docs["double.txt"].date.iso == "2022-05-02"


def test_scanned_pdfs_and_broken_files_are_named_and_skipped(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument.new()
    scan.new_page(612, 792)
    scan.save(str(tmp_path / "scan.pdf"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "broken.docx").write_bytes(b"PK not a zip")
    shutil.copy(SHAPES / "federalist_10.txt", tmp_path / "ok.txt")
    results = list(read_corpus(tmp_path))
    problems = {r.source: r.reason for r in results if isinstance(r, ReadProblem)}
    assert set(problems) == {"scan.pdf", "broken.pdf", "broken.docx"}
    assert "scanned PDF without a text layer" in problems["scan.pdf"]
    assert [r.source for r in results if isinstance(r, Document)] == ["ok.txt"]


def test_subfolders_links_and_odd_names(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "2019" / "march").mkdir(parents=True)
    shutil.copy(SHAPES / "2009-11-CA-056.txt", corpus / "2019" / "march" / "release.txt")
    outside = tmp_path / "secret.txt"
    outside.write_text("Not part of the corpus. It must never be indexed.", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(outside)
    (corpus / "2019" / "loop").symlink_to(corpus)
    (corpus / os.fsdecode(b"bad-\xff-name.txt")).write_text("Statement\n\nA valid statement.", encoding="utf-8")
    results = list(read_corpus(corpus))
    docs = [r.source for r in results if isinstance(r, Document)]
    problems = [f"{r.source}: {r.reason}" for r in results if isinstance(r, ReadProblem)]
    assert docs == ["2019/march/release.txt"]
    assert any("passwd.txt" in p and "outside the corpus" in p for p in problems)
    assert any("loop" in p for p in problems)
    assert any("bad-" in p and "not valid UTF-8" in p for p in problems)
    assert not any(re.search(r"must never be indexed", d) for d in docs)



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One paragraph per line (web pages, releases): every line is a paragraph.
        ("Title\n" + "A long sentence that goes on and on about the matter at hand. " * 4 + "\nNext paragraph here.", 3),
    ],
)
def test_one_paragraph_per_line_text_is_not_joined(text: str, expected: int) -> None:
    from embeddings.layout import paragraph_spans

    assert len(paragraph_spans(text)) == expected
