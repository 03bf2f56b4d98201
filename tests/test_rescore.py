"""The second-stage re-scorer, with the real EmbeddingGemma model as `qa prepare` installs it."""

from __future__ import annotations

import pytest

from qa.config import Settings
from qa.rescore import GEMMA_SHA256, GemmaRescorer, document_text, gemma_path, prepare_gemma

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rescorer() -> GemmaRescorer:
    folder = prepare_gemma(Settings().models_dir)  # a no-op once prepared (the stamp is checked)
    assert (folder.parent / "verified").read_text() == GEMMA_SHA256
    return GemmaRescorer(folder)


def test_the_paraphrased_answer_ranks_first(rescorer: GemmaRescorer) -> None:
    question = "Which writer did Madison call the authority everyone consults on separating the powers of government?"
    texts = [
        document_text("FEDERALIST No. 47", "The oracle who is always consulted and cited on this subject is the celebrated Montesquieu."),
        document_text("FEDERALIST No. 47", "On the slightest view of the British Constitution, we must perceive that the legislative, "
                      "executive, and judiciary departments are by no means totally separate and distinct from each other."),
        document_text("FEDERALIST No. 44", "Had no other enumeration or definition of the powers of the Congress been found in the Constitution, "
                      "the authors of the objection might have had some color for it."),
    ]
    scores = rescorer.scores(question, texts)
    assert scores.shape == (3,) and int(scores.argmax()) == 0


def test_the_sentence_with_the_sum_beats_the_one_with_the_words(rescorer: GemmaRescorer) -> None:
    question = "How much emergency money did the White House seek in 2016 to fight the mosquito-borne virus?"
    texts = [
        document_text("S. 2012", "The Zika virus is spreading in Puerto Rico and abroad, and there will likely be mosquito-borne transmission."),
        document_text("S. 2012", "In February, the Administration requested $1.9 billion in emergency funding to respond to the Zika virus."),
    ]
    assert int(rescorer.scores(question, texts).argmax()) == 1


def test_an_engine_without_a_prepared_model_keeps_the_first_order(tmp_path, seeds_index, embedder) -> None:
    from dataclasses import replace

    from qa.engine import Engine

    settings = replace(Settings(), index_dir=seeds_index, auto_index=False, generator="extractive", models_dir=tmp_path)
    engine = Engine(settings, embedder=embedder)
    assert engine.rescorer is None and not gemma_path(tmp_path).exists()
    answer = engine.ask("What did NATO say about North Korea in 2017?")
    assert answer.status == "answered" and all(c.quote.relevance is None for c in answer.citations)


def test_a_busy_rescorer_lets_a_question_keep_the_first_order(rescorer: GemmaRescorer) -> None:
    import threading

    from qa.rescore import RescorerBusy

    rescorer.load()
    busy = GemmaRescorer(rescorer.embedder, wait_s=0.05)  # the same loaded model, a short wait
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with busy.embedder.run_lock:
            held.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    try:
        with pytest.raises(RescorerBusy):
            busy.scores("a question never asked before", ["any text"])
    finally:
        release.set()
        holder.join()
    assert busy.scores("any question", ["any text"]).shape == (1,)
