"""Scale benchmark: hybrid search latency over a large synthetic knowledge base.

    .venv/bin/python bench/scale.py [--chunks 100000] [--queries 200] [--query-embedder fake|real]
                                    [--data-dir DIR]

Builds, in a temporary ADVISER_DATA_DIR, a local chromadb store of N synthetic Chinese chunks (~200
characters of words drawn, by frequency, from the shipped corpus in knowledge/sources/), then times
fused KnowledgeBase.search() calls. Passages are NOT embedded with the real model (100,000 passages
would take hours on 2 cores): each gets a seeded random unit vector of dimension 384, the size of
multilingual-e5-small. Only queries are embedded: by default with a hashing fake of dimension 384
(tests.fakes.FakeEmbedder), or with `--query-embedder real`, the built model, whose encode time is
then part of the latency. Prints build times, p50/p95 latency and peak RSS: the store is written and the
search indexes built by a child process (as `adviser ingest` does both), so the last figure is the
searching process's own.
Target: p95 <= 150 ms at 100,000 chunks. Exit status 1 if the target is missed. Storing takes most of a
run (minutes): `--data-dir DIR` keeps the store there, and a later run with the same options reuses it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scale_corpus import GENERATOR, ROOT, corpus_vocabulary, synthetic_chunks, synthetic_queries

sys.path.insert(0, str(ROOT))

DIMENSION = 384
TARGET_P95_MS = 150.0

# ----------------------------------------------------------------------------- embedders


class BenchEmbedder:
    """Passages: seeded random unit vectors (no model). Queries: the chosen query embedder."""

    dimension = DIMENSION

    def __init__(self, embed_query: Callable[[Sequence[str]], list[list[float]]], seed: int) -> None:
        self._embed_query = embed_query
        self._rng = np.random.default_rng(seed)

    def embed_batch(self, texts: Sequence[str], kind: str = "passage") -> list[list[float]]:
        if kind == "query":
            return self._embed_query(texts)
        vectors = self._rng.standard_normal((len(texts), DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors


def query_embedder(kind: str) -> tuple[str, Callable[[Sequence[str]], list[list[float]]]]:
    if kind == "real":
        from knowledge.embedder import SentenceTransformerEmbedder
        from knowledge.settings import Settings

        model_dir = Settings(adviser_data_dir=ROOT / "data").model_dir
        if not (model_dir / "modules.json").is_file():
            sys.exit(f"no built model in {model_dir}: run `adviser model build` or use --query-embedder fake")
        real = SentenceTransformerEmbedder(model_dir)
        if real.dimension != DIMENSION:
            sys.exit(f"the model's dimension is {real.dimension}, the synthetic vectors' {DIMENSION}")
        return f"real model {model_dir.name} (dim {real.dimension})", \
            lambda texts: real.embed_batch(texts, "query")

    from tests.fakes import FakeEmbedder

    class FakeEmbedder384(FakeEmbedder):
        dimension = DIMENSION

    fake = FakeEmbedder384()
    return f"tests.fakes.FakeEmbedder hashing fake (dim {DIMENSION})", \
        lambda texts: fake.embed_batch(texts, "query")


# ----------------------------------------------------------------------------- measuring


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> dict[str, float]:
    """The process's resident memory now, split: anonymous (its own heap) and file-backed (memory-mapped
    model weights, BM25 matrix and libraries: pages the kernel can drop and processes share)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
                  if line.startswith(("RssAnon", "RssFile")))
    return {name: int(value.split()[0]) / 1024 for name, value in fields.items()}


def percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(round(q * (len(sorted_ms) - 1))))]


def time_searches(search: Callable[[str, int], list], queries: list[str], k: int) -> list[float]:
    latencies = []
    for query in queries:
        start = time.perf_counter()
        search(query, k)
        latencies.append((time.perf_counter() - start) * 1000)
    return sorted(latencies)


def _use_data_dir(data_dir: Path):  # noqa: ANN202 - Settings, imported late like the rest
    os.environ["ADVISER_DATA_DIR"] = str(data_dir)
    os.environ.pop("CHROMA_HOST", None)
    from knowledge.settings import get_settings

    get_settings.cache_clear()
    return get_settings()


def store_corpus(args: argparse.Namespace, data_dir: Path, report: Path) -> None:
    """The ingest side, in its own process as `adviser ingest` is: generate and store (unless the store is
    reused), then build the search indexes as an ingest ends; write a report."""
    from knowledge.base import prepare_search_indexes, search_cache_dir
    from knowledge.store import open_chunk_store

    settings = _use_data_dir(data_dir)
    # The knowledge base logs how long each search index took to build.
    logging.basicConfig(level=logging.INFO, format="  %(message)s", stream=sys.stderr)
    embedder = BenchEmbedder(query_embedder("fake")[1], args.seed)  # passages only: no query embedded here
    store = open_chunk_store(settings, embedder)
    if report.is_file():
        summary = json.loads(report.read_text(encoding="utf-8"))
    else:
        rng = np.random.default_rng(args.seed)
        t0 = time.perf_counter()
        words, probs = corpus_vocabulary()
        chunks = synthetic_chunks(args.chunks, words, probs, rng)
        queries = synthetic_queries(args.queries, words, probs, rng)
        t_generate = time.perf_counter() - t0
        mean_chars = statistics.fmean(len(c.text) for c in chunks)
        t0 = time.perf_counter()
        step = 10_000
        for start in range(0, len(chunks), step):
            store.upsert(chunks[start:start + step])
            print(f"  stored {min(start + step, len(chunks)):,} / {len(chunks):,} "
                  f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
        assert store.count() == len(chunks), store.count()
        summary = {"chunks": args.chunks, "seed": args.seed, "generator": GENERATOR, "generate_s": t_generate,
                   "store_s": time.perf_counter() - t0, "mean_chars": mean_chars, "words": len(words),
                   "queries": queries}
        del chunks
    store.index_missing_units()  # as an ingest ends: this also stamps a store written before generations
    shutil.rmtree(search_cache_dir(settings), ignore_errors=True)  # timed from nothing, reused store or not
    t0 = time.perf_counter()
    prepare_search_indexes(settings, store, embedder)
    summary.update(prepare_s=time.perf_counter() - t0, ingest_rss_mb=peak_rss_mb())
    report.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")


def _reused_report(args: argparse.Namespace, data_dir: Path, report: Path) -> bool:
    """Whether the kept data dir's store is reused; exits if it was written with other options."""
    if not (args.data_dir and report.is_file()):
        if args.data_dir and data_dir.is_dir() and any(data_dir.iterdir()):
            sys.exit(f"{data_dir} is not empty and holds no store of this bench: give an empty or new folder")
        return False
    stored = json.loads(report.read_text(encoding="utf-8"))
    if (stored["chunks"], stored["seed"], len(stored["queries"]), stored.get("generator")) \
            != (args.chunks, args.seed, args.queries, GENERATOR):
        sys.exit(f"{data_dir} holds {stored['chunks']:,} chunks (seed {stored['seed']}, "
                 f"{len(stored['queries'])} queries, generator {stored.get('generator')}): "
                 "give those options or another --data-dir")
    return True


def run(args: argparse.Namespace, data_dir: Path) -> bool:
    from knowledge.base import open_knowledge_base

    name, embed_query = query_embedder(args.query_embedder)
    embedder = BenchEmbedder(embed_query, args.seed)
    print(f"chunks {args.chunks:,} · queries {args.queries} · k {args.k} · passage vectors: random unit, "
          f"dim {DIMENSION} · query embedder: {name}")
    # Storing and building the search indexes run in a child process, as an ingest does: the peak memory
    # printed last is that of the process that opens the knowledge base and searches, what the bot holds.
    report = data_dir / "scale-stored.json"
    reused = _reused_report(args, data_dir, report)
    kind = "reused, its store written by an earlier run" if reused else "kept" if args.data_dir \
        else "temporary"
    print(f"data dir ({kind}): {data_dir}")
    subprocess.run([sys.executable, __file__, "--store-into", str(data_dir), "--report", str(report),
                    "--chunks", str(args.chunks), "--queries", str(args.queries), "--seed", str(args.seed)],
                   check=True)
    stored = json.loads(report.read_text(encoding="utf-8"))
    queries = stored["queries"]
    t_store = stored["store_s"]
    print(f"generated {args.chunks:,} chunks (mean {stored['mean_chars']:.0f} chars, vocabulary "
          f"{stored['words']:,} words) in {stored['generate_s']:.1f} s")
    settings = _use_data_dir(data_dir)

    t0 = time.perf_counter()
    kb = open_knowledge_base(settings, embedder)
    t_open = time.perf_counter() - t0
    rss_open = peak_rss_mb()
    assert len(kb) == args.chunks
    print(f"ingest process: store {t_store:.1f} s{' (earlier run)' if reused else ''}, search indexes "
          f"(passage snapshot, BM25, unit matrix) {stored['prepare_s']:.1f} s, peak RSS "
          f"{stored['ingest_rss_mb']:.0f} MB")
    print(f"searching process: open {t_open:.1f} s (indexes loaded), peak RSS {rss_open:.0f} MB after "
          "opening")

    for query in queries[:10]:  # warm-up: jieba's dictionary, the model's first batches
        kb.search(query, args.k)
    hybrid = time_searches(kb.search, queries, args.k)
    rows = [("hybrid", hybrid)]
    if args.breakdown:
        rows += [("dense", time_searches(kb.search_dense, queries, args.k)),
                 ("lexical", time_searches(kb.search_lexical, queries, args.k))]
    print(f"{'mode':<8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for mode, latencies in rows:
        print(f"{mode:<8} {statistics.median(latencies):>8.1f} {percentile(latencies, 0.95):>8.1f} "
              f"{latencies[-1]:>8.1f}")
    resident = current_rss_mb()
    print(f"searching process after the searches: {resident['RssAnon']:.0f} MB anonymous, "
          f"{resident['RssFile']:.0f} MB file-backed (model weights, BM25 matrix, libraries)")
    p50, p95 = statistics.median(hybrid), percentile(hybrid, 0.95)
    ok = p95 <= TARGET_P95_MS
    build = t_store + stored["prepare_s"]
    print(f"RESULT chunks={args.chunks} build_s={build:.1f} p50_ms={p50:.1f} p95_ms={p95:.1f} "
          f"peak_rss_mb={peak_rss_mb():.0f} target_p95_ms={TARGET_P95_MS:.0f} {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000, help="synthetic chunks (default 100000)")
    parser.add_argument("--queries", type=int, default=200, help="timed hybrid searches (default 200)")
    parser.add_argument("--k", type=int, default=5, help="passages per search (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--query-embedder", choices=["fake", "real"], default="fake")
    parser.add_argument("--breakdown", action="store_true", help="also time dense-only and lexical-only")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument("--data-dir", type=Path,
                        help="store in this data dir and keep it; a later run with the same --chunks, "
                             "--seed and --queries reuses the store (its search indexes are built again)")
    parser.add_argument("--store-into", type=Path, help=argparse.SUPPRESS)  # the child process's work
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.chunks < 1 or args.queries < 1:
        parser.error("--chunks and --queries must be positive")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if args.store_into:
        store_corpus(args, args.store_into, args.report)
        return 0
    if args.data_dir:
        return 0 if run(args, args.data_dir.resolve()) else 1
    tmp = tempfile.mkdtemp(prefix="adviser-scale-")
    try:
        return 0 if run(args, Path(tmp) / "data") else 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
