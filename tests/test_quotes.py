"""Which sentences of a passage make the quote (pure, hand-made passage)."""

from embeddings.layout import sentence_spans
from embeddings.passages import Passage
from qa.cutting import select_sentences

TEXT = (
    "A combined force conducted an operation in Kabul City to detain a senior Taliban commander. "
    "He has been linked to attacks against the United Nations in Panjshayr. "
    "No civilians were harmed."
)
PASSAGE = Passage("p", "d", 0, len(TEXT), tuple(sentence_spans(TEXT)), TEXT)


def test_only_the_sentences_with_the_question_words() -> None:
    start, end = select_sentences(PASSAGE, {"kabul": 3.0, "detain": 1.0})
    assert TEXT[start:end] == "A combined force conducted an operation in Kabul City to detain a senior Taliban commander."


def test_a_fragment_brings_the_sentence_before_it() -> None:
    start, end = select_sentences(PASSAGE, {"civilian": 2.0, "harm": 2.0})
    assert TEXT[start:end].startswith("He has been linked") and TEXT[start:end].endswith("No civilians were harmed.")


def test_a_sentence_that_refers_back_brings_the_one_it_refers_to() -> None:
    start, end = select_sentences(PASSAGE, {"panjshayr": 3.0, "nation": 1.0, "attack": 1.0})
    assert TEXT[start:end].startswith("A combined force") and TEXT[start:end].endswith("in Panjshayr.")


def test_open_questions_take_the_whole_passage() -> None:
    assert select_sentences(PASSAGE, {"kabul": 3.0}, whole=True) == (0, len(TEXT))


def test_a_word_the_corpus_never_uses_weighs_by_how_common_it_is_in_english() -> None:
    from embeddings.bm25 import build_bm25, tokenize
    from qa.query import _weights

    # 2,000 passages of 60 content words each, as in a real corpus.
    filler = " ".join(f"word{i}" for i in range(56))
    texts = [f"The council discussed the budget and the treaty in session {n}. {filler}" for n in range(2000)]
    bm25 = build_bm25([tokenize(t) for t in texts])
    question = "Which treaty did everyone discuss with Sanzar?"
    weights = _weights(bm25, tokenize(question), question)
    rarest = max(weights.values())
    # "Sanzar" (rare anywhere) weighs as the rarest word; "everyone" (common anywhere) far less.
    assert weights["sanzar"] == rarest
    assert weights["everyon"] < 0.6 * rarest


def test_a_heading_line_is_read_with_the_lines_around_it() -> None:
    from qa.cutting import heading_block

    text = (
        "STATEMENT OF ADMINISTRATION POLICY\n\nH.R. 2454 - American Clean Energy and Security Act of 2009\n\n"
        "(Rep. Waxman, D-California, and Rep. Markey, D-Massachusetts)\n\n"
        "The President has called on Congress to enact forward-looking energy legislation that would spur U.S. development "
        "of advanced, clean energy technologies to reduce our dependence on oil and strengthen our national security."
    )
    starts = [0, text.index("H.R."), text.index("(Rep."), text.index("The President")]
    ends = [text.index("\n\nH.R."), text.index("\n\n(Rep."), text.index("\n\nThe President"), len(text)]
    paragraphs = list(zip(starts, ends, strict=True))
    block = heading_block(text, paragraphs, starts[1])
    assert block == (0, ends[2])
    assert "Waxman" in text[block[0] : block[1]] and "The President" not in text[block[0] : block[1]]
    assert heading_block(text, paragraphs, starts[3]) is None  # a sentence of the body is no heading


def test_a_heading_block_ends_where_text_was_left_out_between_its_lines() -> None:
    from qa.cutting import heading_block

    # A saved page: the menu line "• | • Last updated: ..." is furniture, left out of the paragraphs.
    text = "Joint press point\n\nby NATO Secretary General Jens Stoltenberg\n\n  • 31 Jan. 2023 -\n  • |\n  • Last updated: 31 Jan. 2023 11:36\n\n(As delivered)"
    title, byline = (0, 17), (19, text.index("\n\n  •"))
    dated = (text.index("31 Jan."), text.index(" -\n") + 2)
    delivered = (text.index("(As"), len(text))
    paragraphs = [title, byline, dated, delivered]
    assert heading_block(text, paragraphs, byline[0]) == (0, byline[1])
    assert "Last updated" not in text[slice(*heading_block(text, paragraphs, delivered[0]))]
