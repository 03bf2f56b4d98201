"""The first stage over real Federalist papers: EmbeddingGemma's ranking taken in turns, and papers named by number."""

import shutil

import pytest

from embeddings.build import build_index
from embeddings.index import load_index
from qa.query import prepare_query
from qa.ranking import HybridRanker, _in_turns

from .conftest import REPO_ROOT

pytestmark = pytest.mark.slow

FEDERALIST = REPO_ROOT.parent / "shared" / "corpora" / "federalist-papers"
PAPERS = ("federalist_10", "federalist_44", "federalist_47", "federalist_48", "federalist_51")
QUESTION = "Which writer did Madison call the authority everyone consults on separating the powers of government?"


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory, embedder, strong):
    if not FEDERALIST.is_dir():
        pytest.skip(f"{FEDERALIST} is not here")
    corpus = tmp_path_factory.mktemp("federalist")
    for name in PAPERS:
        shutil.copy(FEDERALIST / f"{name}.txt", corpus / f"{name}.txt")
    index_dir = tmp_path_factory.mktemp("federalist-index")
    build_index(corpus, index_dir, embedder, strong=strong)
    return load_index(index_dir, embedder.name)


def test_the_strong_ranking_is_taken_in_turns(papers, embedder, strong) -> None:
    query = prepare_query(QUESTION)
    alone = [h.row for h in HybridRanker(embedder).rank(papers, query, None, 10)]
    both = [h.row for h in HybridRanker(embedder, strong=strong).rank(papers, query, None, 10)]
    strong_rows = HybridRanker(embedder, strong=strong)._strong_rows(papers, query, None, 10)
    assert both == _in_turns(alone, [int(r) for r in strong_rows])[:10]


def test_the_paraphrased_passage_is_among_the_first_candidates(papers, embedder, strong) -> None:
    # "the oracle who is always consulted ... the celebrated Montesquieu" shares almost no word
    # with the question; EmbeddingGemma ranks it among its first two, and the merged ranking
    # keeps it among the re-scorer's first candidates.
    query = prepare_query(QUESTION)
    ranker = HybridRanker(embedder, strong=strong)
    own = [papers.passages[int(r)].text for r in ranker._strong_rows(papers, query, None, 2)]
    assert any("Montesquieu" in t and "oracle" in t for t in own)
    texts = [papers.passages[h.row].text for h in ranker.rank(papers, query, None, 8)[:4]]
    assert any("Montesquieu" in t and "oracle" in t for t in texts)


def test_a_document_named_by_its_number_is_the_one_searched(papers, embedder, strong) -> None:
    from qa.retrieve import Retriever

    retriever = Retriever(papers, HybridRanker(embedder, strong=strong))
    assert retriever.understand("What did Madison say about factions in Federalist No. 10?").doc_ids == ("federalist_10",)
    assert set(retriever.understand("Who wrote Nos. 47 and 48?").doc_ids) == {"federalist_47", "federalist_48"}
    # A number no title gives restricts nothing, and a day of a date is no document's number.
    assert retriever.understand("What did Madison write in No. 99?").doc_ids == ()
    result = retriever.search("Who wrote Federalist No. 51?", k=3)
    assert result.quotes and all(q.ref.doc_id == "federalist_51" for q in result.quotes)
