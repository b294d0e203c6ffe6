"""Chinese tokens for BM25 and the numpy BM25 index: no model, no store."""

from __future__ import annotations

import math

import pytest

from knowledge.lexical import BM25Index, TermIds, tokenize


def test_tokenize_keeps_jieba_words_and_adds_cjk_bigrams() -> None:
    tokens = tokenize("资产配置")
    assert "资产" in tokens and "配置" in tokens
    # Every adjacent pair of the run, also the ones jieba would never cut ("产配").
    assert "产配" in tokens


def test_tokenize_drops_stopwords_but_bigrams_still_cover_them() -> None:
    tokens = tokenize("客户的需求")
    assert "的" not in tokens  # a stopword as a jieba word
    assert tokens.count("客户") == 1  # only its bigram: the jieba word is a stopword
    assert "需求" in tokens
    assert "户的" in tokens  # the bigram layer is not filtered


def test_tokenize_latin_words_and_numbers_lower_cased() -> None:
    tokens = tokenize("The Fund returned 3.5% in 2024, ETF ok")
    assert "fund" in tokens and "etf" in tokens and "returned" in tokens
    assert "3.5" in tokens and "2024" in tokens
    assert "the" not in tokens and "in" not in tokens
    assert all(t == t.lower() for t in tokens)


def test_tokenize_mixed_text_and_empty_input() -> None:
    tokens = tokenize("基金定投 ETF 每月1000元")
    assert {"基金", "定投", "etf", "1000"} <= set(tokens)
    assert tokenize("") == []
    assert tokenize("  ，。！？  ") == []


def test_paraphrase_shares_bigrams() -> None:
    assert {"资产", "配置"} <= set(tokenize("配置资产")) & set(tokenize("资产配置"))


def _index(texts: list[str]) -> BM25Index:
    return BM25Index([tokenize(t) for t in texts])


def test_empty_index_returns_nothing() -> None:
    index = BM25Index([])
    assert index.size == 0
    assert index.top(["基金"], 5) == []


def test_ranks_matching_document_first_and_leaves_out_non_matching() -> None:
    docs = ["高净值客户的家族信托安排", "基金定投适合上班族", "保险为家庭收入提供保障"]
    index = _index(docs)
    result = index.top(tokenize("家族信托"), 10)
    assert [i for i, _ in result] == [0]
    assert result[0][1] > 0


def test_scores_are_sorted_descending_and_k_is_respected() -> None:
    docs = [f"基金定投 第{i}篇 " + "基金 " * (i % 4) for i in range(40)]
    index = _index(docs)
    result = index.top(tokenize("基金"), 7)
    assert len(result) == 7
    scores = [s for _, s in result]
    assert scores == sorted(scores, reverse=True)
    everything = index.top(tokenize("基金"), 1000)
    assert len(everything) == 40
    # The top 7 by argpartition are the 7 best of the full ranking.
    assert scores == [s for _, s in everything[:7]]


def test_rare_term_outweighs_common_term() -> None:
    docs = ["基金 基金 理财", "基金 理财", "基金 信托", "基金 理财 保险"]
    index = _index(docs)
    best, _ = index.top(tokenize("基金 信托"), 1)[0]
    assert best == 2


def test_shorter_document_wins_at_equal_term_frequency() -> None:
    index = BM25Index([["信托", "a", "b", "c", "d", "e", "f", "g"], ["信托", "a"]])
    assert [i for i, _ in index.top(["信托"], 2)] == [1, 0]


def test_repeated_query_token_weighs_more() -> None:
    index = BM25Index([["信托", "x"], ["基金", "x"]])
    once = dict(index.top(["信托", "基金"], 2))
    twice = dict(index.top(["信托", "信托", "基金"], 2))
    assert math.isclose(once[0], once[1])
    assert twice[0] > twice[1]


def test_unknown_and_empty_query_tokens() -> None:
    index = _index(["基金定投", "家族信托"])
    assert index.top(["不存在的词"], 5) == []
    assert index.top([], 5) == []


def test_documents_without_tokens_do_not_break_the_index() -> None:
    index = BM25Index([[], ["基金"], []])
    assert [i for i, _ in index.top(["基金"], 3)] == [1]
    assert BM25Index([[], []]).top(["基金"], 3) == []


def test_paraphrase_found_through_bigrams() -> None:
    index = _index(["做好资产配置可以分散风险", "第一次拜访要了解家庭结构"])
    assert index.top(tokenize("怎样配置资产"), 2)[0][0] == 0


@pytest.mark.parametrize("k", [1, 2, 3])
def test_k_smaller_than_candidates(k: int) -> None:
    index = _index(["理财产品风险等级", "理财经理", "理财规划与风险", "保险"])
    result = index.top(tokenize("理财风险"), k)
    assert len(result) == k
    assert 3 not in [i for i, _ in result]


def test_saved_index_loads_with_the_same_ranking(tmp_path) -> None:
    docs = ["高净值客户的家族信托安排", "基金定投适合上班族", "保险为家庭收入提供保障"]
    index = _index(docs)
    index.save(tmp_path / "index")
    loaded = BM25Index.load(tmp_path / "index")
    assert loaded.size == 3
    assert loaded.top(tokenize("基金定投"), 3) == index.top(tokenize("基金定投"), 3)


def test_extra_tokens_count_less_than_the_query_words() -> None:
    index = _index(["客户沙龙的步骤", "客户活动的流程"])
    ranked = index.top(tokenize("客户活动"), 2, extra_tokens=tokenize("沙龙"), extra_weight=0.5)
    assert [i for i, _ in ranked] == [1, 0]


def test_list_like_passages_are_embedded_with_their_heading() -> None:
    from knowledge.types import Chunk, embedding_text

    steps = Chunk(chunk_id="a", text="找对目标客户\n寻求异业结盟\n策划活动\n执行落地", source="s.txt",
                  title="客户经营", section="沙龙活动的步骤", position=0)
    prose = Chunk(chunk_id="b", text="沙龙活动要先找对目标客户，再寻求异业结盟，然后策划并执行落地。",
                  source="s.txt", title="客户经营", section="沙龙", position=1)
    assert embedding_text(steps).startswith("客户经营 / 沙龙活动的步骤\n")
    assert embedding_text(prose) == prose.text


@pytest.mark.parametrize("block", [8192, 300])  # one block, and many: columns are filled block by block
def test_numpy_build_scores_as_bm25s_own_build(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import bm25s
    import numpy as np

    from knowledge import lexical
    from knowledge.lexical import K1, B

    monkeypatch.setattr(lexical, "_BUILD_BLOCK", block)

    rng = np.random.default_rng(1)
    documents = [[f"w{int(x) % 300}" for x in rng.zipf(1.5, size=rng.integers(0, 40))] for _ in range(2000)]
    documents[5] = []  # an empty passage scores zero and does not shift the others
    documents[300:600] = [[] for _ in range(300)]  # with blocks of 300, a block with no token at all
    ours = BM25Index(documents)
    vocabulary: dict[str, int] = {}
    ids = [[vocabulary.setdefault(t, len(vocabulary)) for t in doc] for doc in documents]
    stock = bm25s.BM25(k1=K1, b=B, method="lucene")
    stock.index((ids, vocabulary), create_empty_token=False, show_progress=False)
    # Every word alone (each column of the score matrix), then a few multi-word queries.
    for query in [[word] for word in vocabulary] + [["w1", "w2"], ["w3", "w3", "w200"]]:
        expected = stock.get_scores_from_ids(stock.get_tokens_ids(query))
        assert np.allclose(ours.scores(query), expected, atol=1e-6)


def test_term_ids_find_exactly_the_indexed_tokens(tmp_path) -> None:
    vocabulary = {token: number for number, token in enumerate(
        ["基金", "基金定投", "定投", "fund", "funds", "f", "ü", "", "沙龙", "𠮷", "a b", "\ud800"])}
    built = TermIds.of(vocabulary)
    built.save(tmp_path)
    loaded = TermIds.load(tmp_path)
    asked = [*vocabulary, "基", "基金定", "fun", "zzz", "沙龙活动", "基金"]
    expected = [vocabulary[token] for token in asked if token in vocabulary]
    assert built.ids(asked) == expected and loaded.ids(asked) == expected
    assert TermIds.of({}).ids(["基金"]) == []
