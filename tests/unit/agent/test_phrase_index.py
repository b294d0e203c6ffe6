"""The phrasings index: exact nearest neighbours, the same ranking however the collection grew."""

from __future__ import annotations

import chromadb

from knowledge.phrases import Phrase, PhraseIndex
from tests.fakes import FakeEmbedder

PHRASES = [Phrase(f"objection:e{i}", f"客户说第{i}件事 收益 期限 {'利率' * (i % 3)}") for i in range(300)]


def brute_force(embedder: FakeEmbedder, text: str, k: int) -> list[str]:
    query = embedder.embed_batch([text], "query")[0]
    vectors = embedder.embed_batch([p.text for p in PHRASES], "query")
    scored = sorted(((sum(a * b for a, b in zip(query, v, strict=True)), p.text) for v, p in
                     zip(vectors, PHRASES, strict=True)), key=lambda pair: -pair[0])
    return [text for _, text in scored[:k]]


def test_nearest_is_exact_and_follows_a_sync(tmp_path) -> None:
    embedder = FakeEmbedder()
    index = PhraseIndex(chromadb.PersistentClient(str(tmp_path)), embedder)
    assert index.sync(PHRASES[:100]) == 100
    assert len(index.nearest(index.embed("收益"), k=200)) == 100
    assert index.sync(PHRASES) == 200  # only the new ones are embedded; the search sees all
    found = [n.text for n in index.nearest(index.embed("客户说第7件事 利率"), k=10)]
    assert set(found) == set(brute_force(embedder, "客户说第7件事 利率", 10))
