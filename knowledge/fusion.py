"""Reciprocal rank fusion: combines rankings without calibrating their scores against each other."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

# 60 is the constant of the original RRF paper; it damps the head of each ranking.
RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Hashable]], *, weights: Sequence[float] | None = None,
                           k: int = RRF_K) -> list[tuple[Hashable, float]]:
    """Fused (item, score) pairs, best first. Each ranking lists items best first."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank + 1)
    return sorted(scores.items(), key=lambda pair: -pair[1])
