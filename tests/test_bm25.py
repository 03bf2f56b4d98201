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



def test_concurrent_stemming_equals_serial_stemming() -> None:
    import re
    import sys
    import threading

    import snowballstemmer

    from qa.config import REPO_ROOT

    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO_ROOT / "corpus" / "documents").glob("*.txt")))
    roots = sorted(set(re.findall(r"[a-z]{3,}", text.lower())))
    words = sorted({root + suffix for root in roots for suffix in ("", "s", "ed", "ing", "ly", "ness", "ational", "izations", "fulness", "ments")})
    assert len(words) > 5_000
    serial = [snowballstemmer.stemmer("english").stemWord(w) for w in words]
    stem.cache_clear()  # every word is stemmed here, not looked up
    results: dict[int, dict[str, str]] = {}

    def work(n: int) -> None:
        # Each thread goes through all the words from a different starting point.
        shift = n * len(words) // 8
        order = words[shift:] + words[:shift]
        results[n] = {w: stem(w) for w in (reversed(order) if n % 2 else order)}

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to expose any shared state
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
        stem.cache_clear()
    assert len(results) == 8
    for got in results.values():
        assert [got[w] for w in words] == serial
