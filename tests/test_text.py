"""Sentences, paragraphs and furniture: the pure layout helpers, on hand-made text."""

from embeddings.boilerplate import find_boilerplate
from embeddings.layout import paragraph_spans, sentence_spans, wrap_width
from embeddings.passages import matching_text
from embeddings.text import normalize


def test_sentences_respect_abbreviations_and_initials() -> None:
    text = "H.E. Mr Jens Stoltenberg met Mr. Abe on Jan. 5. They spoke. U.S. forces met Gen. J. Allen. Then NATO agreed!"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "H.E. Mr Jens Stoltenberg met Mr. Abe on Jan. 5.",
        "They spoke.",
        "U.S. forces met Gen. J. Allen.",
        "Then NATO agreed!",
    ]


def test_sentences_know_numbers_and_middle_initials() -> None:
    text = "President George W. Bush read Federalist No. 10. Sec. 101 of H.R. 2454 costs $1.5 billion. Forces found 2 kg. of explosives."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "President George W. Bush read Federalist No. 10.",
        "Sec. 101 of H.R. 2454 costs $1.5 billion.",
        "Forces found 2 kg. of explosives.",
    ]


def test_a_numbered_list_inside_a_sentence_stays_in_it() -> None:
    text = (
        "They may be reduced into classes as they relate to the following objects: 1.\nSecurity against foreign danger; 2. "
        "Regulation of commerce; 3. Maintenance of harmony. The first class is war."
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "They may be reduced into classes as they relate to the following objects: 1.\nSecurity against foreign danger; 2. "
        "Regulation of commerce; 3. Maintenance of harmony.",
        "The first class is war.",
    ]


def test_sentence_spans_are_exact_offsets_across_line_breaks() -> None:
    text = "  First one.   Second “quoted”\none.\n"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second “quoted”\none."]


def test_wrapped_lines_join_and_short_lines_end_paragraphs() -> None:
    wrapped = (
        "A HEADING IN CAPITALS\n\n"
        "This paragraph was wrapped at a fixed width by the program that saved\n"
        "it, so a line break in the middle of a sentence is not a boundary at\n"
        "all and the sentence continues on the next line until it really ends.\n"
        "Short last line.\n"
        "  An indented line starts a new paragraph even without a blank line\n"
        "before it, as many old texts and e-mails write their paragraphs.\n"
        "- a bulleted line is its own paragraph as well, and so is the next one\n"
        "- second bullet of the list that the statement gives to the reader.\n"
    )
    assert wrap_width(wrapped) is not None
    paragraphs = [wrapped[a:b] for a, b in paragraph_spans(wrapped)]
    assert paragraphs[0] == "A HEADING IN CAPITALS"
    assert paragraphs[1].startswith("This paragraph") and paragraphs[1].endswith("Short last line.")
    assert paragraphs[2].startswith("An indented line") and paragraphs[2].endswith("write their paragraphs.")
    assert [p[:8] for p in paragraphs[3:]] == ["a bullet", "second b"]


def test_furniture_is_found_and_body_lines_are_not() -> None:
    text = (
        "Home > News > 2013 > Statement\nStatement\n\n  • 15 Apr. 2013 -\n  • |\n  • Last updated 17-Apr-2013 14:15\n\n"
        "Body text stays.\n\n3\n\nImage: nato%204%2015%2013%20Abe.jpg\nShare this page\nFor Immediate Release\n"
    )
    found = {e.reason: text[e.start : e.end].strip() for e in find_boilerplate(text)}
    assert found["breadcrumb"].startswith("Home > News")
    assert found["no words"] == "• |"
    assert found["last-updated stamp"].startswith("Last updated 17-Apr-2013")
    assert found["page number"] == "3"
    assert found["image file name"].startswith("Image: nato")
    assert found["web page furniture"] == "Share this page"
    assert found["release label"] == "For Immediate Release"
    kept = " ".join(text[a:b] for a, b in paragraph_spans(text, [(e.start, e.end) for e in find_boilerplate(text)]))
    assert "Body text stays." in kept and "15 Apr. 2013" in kept and "Statement" in kept


def test_running_headers_repeat_on_every_page() -> None:
    bodies = ["The committee met on Monday and agreed.", "It heard three witnesses on the budget.", "Its report goes to the floor next week."]
    pages = [f"Report of the Committee\nPage {n}\n{body}\nFooter line\n" for n, body in enumerate(bodies, start=1)]
    text = "\f".join(pages)
    offsets = [sum(len(p) + 1 for p in pages[:i]) for i in range(3)]
    reasons = [(text[e.start : e.end], e.reason) for e in find_boilerplate(text, tuple(offsets))]
    assert ("Footer line", "running header or footer") in reasons
    assert not any("committee met" in t for t, _ in reasons)


def test_matching_text_undoes_line_end_hyphens() -> None:
    assert matching_text("the admin-\nistration  and well-\nknown") == "the administration and wellknown"
    assert matching_text("long-term\ngoals") == "long-term goals"


def test_normalize_unifies_quotes_and_spacing() -> None:
    assert normalize("Japan’s  enormous\u00a0contributions") == normalize("Japan's enormous contributions")


def test_short_wrapped_documents_are_recognised_by_their_broken_sentences() -> None:
    text = (
        "March 12, 2014\n(House)\nSTATEMENT OF ADMINISTRATION POLICY\nH.R. 3973 – An Act\n(Rep. Smith and 35 cosponsors)\n"
        "The Administration strongly opposes passage of H.R. 3973. The bill would inordinately expand\n"
        "current law, which already requires reports to Congress when non-enforcement of law is\n"
        "based on constitutional grounds.\n"
        "Federal agencies are continually engaged in the process of determining how to concentrate\n"
        "limited enforcement resources most effectively.\n"
    )
    paragraphs = [text[a:b] for a, b in paragraph_spans(text)]
    assert "The Administration strongly opposes passage of H.R. 3973. The bill would inordinately expand\ncurrent law" in paragraphs[5]
    assert paragraphs[5].endswith("constitutional grounds.")
    assert paragraphs[0] == "March 12, 2014" and paragraphs[2] == "STATEMENT OF ADMINISTRATION POLICY"


def test_wrapped_lines_that_break_before_capitals_and_numbers_are_joined() -> None:
    # Lines of a born-digital PDF that break before a date or a name ("On January" / "30,
    # 2017"), with a letterhead of short lines: the open full-width lines tell it is wrapped.
    text = (
        "EXECUTIVE OFFICE OF THE PRESIDENT\nWASHINGTON, D.C. 20503\nFebruary 28, 2017\n(House)\n"
        "STATEMENT OF ADMINISTRATION POLICY\nH.R. 1009 – OIRA Insight, Reform, and Accountability Act\n"
        "(Rep. Mitchell, R-MI, and four cosponsors)\n"
        "The Administration is committed to reducing regulatory burden on all Americans. On January \n"
        "30, 2017, President Trump signed Executive Order 13771, Reducing Regulation and Controlling \n"
        "Regulatory Costs, which provides for repeal of two regulations for every new one issued. \n"
        "The Administration supports the SCRUB Act, the Regulatory Integrity Act, and the OIRA \n"
        "Insight, Reform, and Accountability Act. \n"
    )
    paragraphs = [text[a:b] for a, b in paragraph_spans(text)]
    assert paragraphs[-1].startswith("The Administration is committed") and paragraphs[-1].endswith("Accountability Act.")
    assert paragraphs[2] == "February 28, 2017"
    # A short text whose one body line is far longer than its heading is not wrapped.
    short = "ISAF Joint Command Morning Operational Update June 16, 2011\nISAF Joint Command - Afghanistan\n2011-06-S-050\n"
    short += "For Immediate Release\n\nKABUL, Afghanistan (June 16, 2011)\n" + "A coalition patrol observed insurgents. " * 8 + "\n"
    assert next(short[a:b] for a, b in paragraph_spans(short)) == "ISAF Joint Command Morning Operational Update June 16, 2011"
