"""Reciprocal rank fusion (k=60)."""

from __future__ import annotations

import math

import pytest

from knowledge.fusion import RRF_K, reciprocal_rank_fusion


def test_constant_is_the_paper_value() -> None:
    assert RRF_K == 60


def test_single_ranking_keeps_its_order_with_rrf_scores() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"]])
    assert [item for item, _ in fused] == ["a", "b", "c"]
    for rank, (_, score) in enumerate(fused, 1):
        assert math.isclose(score, 1 / (60 + rank))


def test_item_in_both_rankings_beats_items_in_one() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "d", "e"]])
    assert fused[0][0] == "c"
    assert math.isclose(fused[0][1], 1 / 63 + 1 / 61)
    assert {item for item, _ in fused} == {"a", "b", "c", "d", "e"}


def test_scores_descending() -> None:
    fused = reciprocal_rank_fusion([["x", "y", "z", "w"], ["w", "z"], ["z"]])
    scores = [s for _, s in fused]
    assert scores == sorted(scores, reverse=True)
    assert fused[0][0] == "z"


def test_symmetric_rankings_tie() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b"], ["b", "a"]]))
    assert math.isclose(fused["a"], fused["b"])


def test_weights_scale_each_ranking() -> None:
    fused = reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 2.0])
    assert [item for item, _ in fused] == ["b", "a"]
    assert math.isclose(fused[0][1], 2 / 61)


def test_custom_k() -> None:
    fused = reciprocal_rank_fusion([["a", "b"]], k=0)
    assert math.isclose(fused[0][1], 1.0) and math.isclose(fused[1][1], 0.5)


def test_empty_inputs() -> None:
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []


def test_weights_must_match_rankings() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0])


def test_hashable_items_of_any_kind() -> None:
    fused = reciprocal_rank_fusion([[1, (2, 3)], [(2, 3)]])
    assert fused[0][0] == (2, 3)
