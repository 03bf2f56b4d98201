import math

import numpy as np
import pytest

from embeddings.bm25 import BM25Index, build_bm25, stem, tokenize


def test_tokenize_drops_stopwords_and_stems_plurals() -> None:
    assert tokenize("What did NATO say about North Korea's missiles?") == ["nato", "north", "korea", "missil"]
    assert stem("proposed") == stem("propose") and stem("policies") == stem("policy")


def test_scores_match_the_formula_by_hand(tmp_path) -> None:
    docs = [["nato", "japan"], ["nato", "korea", "korea"], ["afghanistan"]]
    index = build_bm25(docs)
    n, avgdl, k1, b = 3, (2 + 3 + 1) / 3, 1.2, 0.75
    idf_korea = math.log1p((n - 1 + 0.5) / (1 + 0.5))
    expected = idf_korea * 2 * (k1 + 1) / (2 + k1 * (1 - b + b * 3 / avgdl))
    scores = index.scores(["korea"])
    assert scores[1] == pytest.approx(expected, rel=1e-5)
    assert scores[0] == 0 and scores[2] == 0
    index.save(tmp_path / "bm25.npz")
    again = BM25Index.load(tmp_path / "bm25.npz")
    assert np.allclose(again.scores(["nato", "korea"]), index.scores(["nato", "korea"]))


def test_unknown_terms_score_nothing() -> None:
    index = build_bm25([["nato"]])
    assert index.scores(["brazil"]).tolist() == [0.0]
    assert index.idf("brazil") == 0.0
