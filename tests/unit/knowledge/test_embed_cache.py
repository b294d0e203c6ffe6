"""CachedEmbedder: the same vectors as the model, each text embedded once."""

from __future__ import annotations

from knowledge.embed_cache import CachedEmbedder
from tests.fakes import FakeEmbedder


def test_vectors_are_the_models_and_repeats_are_not_embedded_again() -> None:
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner)
    first = cached.embed_batch(["客户嫌收益低", "九宫格"], "query")
    assert first == inner.embed_batch(["客户嫌收益低", "九宫格"], "query")
    calls = inner.calls
    assert cached.embed_batch(["九宫格", "客户嫌收益低"], "query") == first[::-1]
    assert inner.calls == calls


def test_kinds_are_kept_apart_and_the_cache_is_bounded() -> None:
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, size=2)
    cached.embed_batch(["a"], "query")
    cached.embed_batch(["a"], "passage")
    assert inner.calls == 2
    cached.embed_batch(["b", "c"], "query")
    calls = inner.calls
    cached.embed_batch(["a"], "query")  # evicted: embedded again
    assert inner.calls == calls + 1
