from embeddings.passages import evidence_spans
from embeddings.text import debris_spans, normalize, sentence_spans


def test_sentences_respect_abbreviations_and_initials() -> None:
    text = "H.E. Mr Jens Stoltenberg met Mr. Abe on Jan. 5. They spoke. U.S. forces met Gen. J. Allen. Then NATO agreed!"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "H.E. Mr Jens Stoltenberg met Mr. Abe on Jan. 5.",
        "They spoke.",
        "U.S. forces met Gen. J. Allen.",
        "Then NATO agreed!",
    ]


def test_sentence_spans_are_exact_offsets() -> None:
    text = "  First one.   Second “quoted” one.\n"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second “quoted” one."]


def test_page_debris_is_found() -> None:
    text = "Title\n\n  • 15 Apr. 2013 -\n  • |\n  • Last updated 17-Apr-2013 14:15\n\nBody text.\n\nImage: nato%204%2015%2013%20Abe.jpg"
    found = [text[a:b] for a, b in debris_spans(text)]
    assert "  • |" in found
    assert any(f.startswith("Image: nato") for f in found)
    evidence = " ".join(text[a:b] for a, b in evidence_spans(text))
    assert "Body text." in evidence
    for debris in ("•", "Last updated", "Image:", "Title"):
        assert debris not in evidence


def test_isaf_boilerplate_is_debris() -> None:
    text = "NEWS RELEASE ISAF Joint Command - Afghanistan  2009-11-CA-056 For Immediate Release  KABUL, Afghanistan (Dec. 02) - International forces struck."
    evidence = " ".join(text[a:b] for a, b in evidence_spans(text))
    assert evidence.strip() == "International forces struck."


def test_normalize_unifies_quotes_and_spacing() -> None:
    assert normalize("Japan’s  enormous\u00a0contributions") == normalize("Japan's enormous contributions")
