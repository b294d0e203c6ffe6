"""Retrieval quality and latency: dense, lexical, plain RRF and the product's fused ranking side by side.

Usage: python bench/retrieval.py [QUESTIONS.json ...]
Default: bench/retrieval_own.json, bench/retrieval_para.json, bench/retrieval_para2.json (a second
paraphrase set, 90 questions written by someone who had seen neither the product nor the other sets; dev
and heldout reported apart), bench/retrieval_para3.json (a third, 70 questions written the same way, with
no phrase of three or more characters from its passage), bench/retrieval_para4.json (a fourth, 70 questions,
all heldout, written the same way after the question bank existed and scored once, by a writer who saw
neither the bank nor the other sets) and ../shared/eval/retrieval_dev.json (if present).
A hit: a returned chunk contains one of the question's evidence phrases, whitespace ignored.
Modes: dense (passage vectors only), units (passages by their closest sentence unit's vector), lexical
(BM25 only, its passages with their question-bank questions' words), questions (passages by their nearest
question of the course's question bank), rrf (dense and lexical fused with equal weights, the former
hybrid), fused (`KnowledgeBase.search`: the four rankings fused, what `adviser search` and the agent use).
Needs an ingested knowledge base in ADVISER_DATA_DIR (`adviser ingest`).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from knowledge.base import KnowledgeBase, open_knowledge_base  # noqa: E402
from knowledge.fusion import reciprocal_rank_fusion  # noqa: E402
from knowledge.settings import get_settings  # noqa: E402
from knowledge.types import Embedder, EmbedKind, Hit  # noqa: E402

_SPACE = re.compile(r"\s+")
MODES = ("dense", "units", "lexical", "questions", "rrf", "fused")
_POOL = 30  # candidates per ranking for the plain RRF baseline (as the former hybrid did)


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def first_hit_rank(hits: list[Hit], evidence: list[str]) -> int | None:
    phrases = [_squash(e) for e in evidence]
    for rank, hit in enumerate(hits, 1):
        text = _squash(hit.text)
        if any(p in text for p in phrases):
            return rank
    return None


def searchers(kb: KnowledgeBase) -> dict[str, Callable[[str, int], list[Hit]]]:
    def plain_rrf(query: str, k: int) -> list[Hit]:
        dense = kb.search_dense(query, _POOL)
        lexical = kb.search_lexical(query, _POOL)
        by_id = {h.chunk_id: h for h in dense + lexical}
        fused = reciprocal_rank_fusion([[h.chunk_id for h in dense], [h.chunk_id for h in lexical]])
        return [by_id[cid] for cid, _ in fused[:k]]

    return {"dense": kb.search_dense, "units": kb.search_units, "lexical": kb.search_lexical,
            "questions": kb.search_questions, "rrf": plain_rrf, "fused": kb.search}


class RememberingEmbedder:
    """The real embedder, each query embedded once: quality runs need no repeated model calls."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.dimension = inner.dimension
        self._seen: dict[tuple[str, str], list[float]] = {}

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]:
        missing = [t for t in texts if (kind, t) not in self._seen]
        for text, vector in zip(missing, self._inner.embed_batch(missing, kind), strict=True):
            self._seen[(kind, text)] = vector
        return [self._seen[(kind, t)] for t in texts]


def evaluate(search: Callable[[str, int], list[Hit]], cases: list[dict], k: int = 5) -> dict:
    ranks = [first_hit_rank(search(case["q"], k), case["evidence"]) for case in cases]
    n = len(cases)
    return {
        "hit@1": sum(1 for r in ranks if r and r <= 1) / n,
        "hit@3": sum(1 for r in ranks if r and r <= 3) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "misses": [c["q"] for c, r in zip(cases, ranks, strict=True) if not r],
    }


def latency(kb: KnowledgeBase, queries: list[str], k: int = 5) -> tuple[float, float]:
    """Warm p50 and p95 (ms) of `KnowledgeBase.search`, the real embedder included."""
    timings = []
    for query in queries:
        kb.search(query, k)  # warm-up for this query's path (tokenizer caches)
        start = time.perf_counter()
        kb.search(query, k)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]


def question_sets(files: list[Path]) -> list[tuple[str, list[dict]]]:
    """(label, cases) per file; a file whose cases carry "split" is reported per split."""
    sets = []
    for path in files:
        cases = json.loads(path.read_text(encoding="utf-8"))
        splits = sorted({c.get("split", "dev") for c in cases})
        if len(splits) == 1:
            sets.append((path.name, cases))
            continue
        for split in splits:
            sets.append((f"{path.name} [{split}]", [c for c in cases if c.get("split", "dev") == split]))
    return sets


def main(argv: list[str]) -> None:
    show_misses = "--misses" in argv
    argv = [a for a in argv if a != "--misses"]
    files = [Path(a) for a in argv] or [p for p in (HERE / "retrieval_own.json", HERE / "retrieval_para.json",
                                                     HERE / "retrieval_para2.json",
                                                     HERE / "retrieval_para3.json",
                                                     HERE / "retrieval_para4.json",
                                                     HERE.parent.parent / "shared/eval/retrieval_dev.json")
                                        if p.exists()]
    kb = open_knowledge_base(get_settings())
    print(f"knowledge base: {len(kb)} chunks")
    model = kb.embedder
    kb.embedder = RememberingEmbedder(model)
    modes = searchers(kb)
    sets = question_sets(files)
    for label, cases in sets:
        print(f"\n{label}: {len(cases)} questions")
        print(f"{'mode':<8} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6}")
        for mode in MODES:
            r = evaluate(modes[mode], cases)
            print(f"{mode:<8} {r['hit@1']:>6.3f} {r['hit@3']:>6.3f} {r['hit@5']:>6.3f} {r['mrr']:>6.3f}")
            if show_misses and r["misses"] and "heldout" not in label:
                print(f"  {mode} misses:", "; ".join(r["misses"]))
    kb.embedder = model
    queries = [case["q"] for _, cases in sets for case in cases]
    p50, p95 = latency(kb, queries)
    print(f"\nfused search, warm, real embedder, {len(queries)} queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
