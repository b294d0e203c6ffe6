"""Ingest benchmark: cold ingest of the shipped corpus (model load included), an unchanged re-ingest, and
reading distinct text of growing size up to a 20 MB file (clean, near-duplicate removal, chunking; no
embedding), which must grow linearly.

    .venv/bin/python bench/ingest.py                # targets: cold <= 60 s, unchanged <= 10 s
    .venv/bin/python bench/ingest.py --sizes 200 300 400 500   # chunk counts/size spread per max size
    .venv/bin/python bench/ingest.py --no-timing --big-kb 256 512 2048 20480   # only the distinct-text runs

Runs in a fresh temporary data dir so it never touches ./data. The model folder is taken from the usual
settings (EMBEDDING_MODEL or ./data/models/...), so build it first with `adviser model build`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.pipeline import Limits, chunk_file, discover_files, ingest_paths, shipped_sources_dir  # noqa: E402
from knowledge.settings import Settings, get_settings  # noqa: E402


def size_report(paths: list[Path], max_chars: int) -> str:
    lengths: list[int] = []
    for path in discover_files(paths):
        lengths.extend(len(chunk.text) for chunk in chunk_file(path, max_chars=max_chars))
    quartiles = statistics.quantiles(lengths, n=4)
    return (f"max_chars={max_chars:4d}  chunks={len(lengths):4d}  min={min(lengths)}  "
            f"p25={quartiles[0]:.0f}  median={quartiles[1]:.0f}  p75={quartiles[2]:.0f}  max={max(lengths)}")


def run_timed(paths: list[Path]) -> None:
    model_dir = get_settings().model_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="adviser-bench-ingest-") as data_dir:
        settings = Settings(adviser_data_dir=Path(data_dir), embedding_model=str(model_dir))
        from knowledge.embedder import load_embedder

        started = time.perf_counter()
        embedder = load_embedder(settings)
        loaded = time.perf_counter() - started
        from knowledge.store import open_chunk_store

        store = open_chunk_store(settings, embedder)
        cold = ingest_paths(paths, store)
        cold_total = time.perf_counter() - started
        print(f"model load          {loaded:6.1f} s")
        print(f"cold ingest total   {cold_total:6.1f} s  (target <= 60 s)  files={cold.files} "
              f"chunks added={cold.chunks_added} errors={len(cold.errors)}")

        store = open_chunk_store(settings, embedder)
        again = ingest_paths(paths, store)
        print(f"unchanged re-ingest {again.seconds:6.1f} s  (target <= 10 s)  added={again.chunks_added} "
              f"unchanged={again.unchanged} removed={again.removed}")
        print(f"store count         {store.count()}")


def distinct_text(size_kb: int, seed: int = 7) -> str:
    """Paragraphs of random Chinese characters (never near-duplicates of each other), about size_kb KB."""
    import random

    rng = random.Random(seed)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    paragraphs, size = [], 0
    while size < size_kb * 1024:
        count = rng.randint(2, 6)
        paragraph = "".join("".join(rng.choices(alphabet, k=rng.randint(12, 40))) + "。"
                            for _ in range(count))
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(paragraphs)


def run_distinct(sizes_kb: list[int]) -> None:
    """Read one distinct-text file per size, no limits, and time it (the former dedupe was quadratic)."""
    unlimited = Limits(max_file_mb=1e9, max_file_seconds=1e9)
    with tempfile.TemporaryDirectory(prefix="adviser-bench-big-") as folder:
        for size_kb in sizes_kb:
            path = Path(folder) / f"distinct-{size_kb}kb.txt"
            path.write_text(distinct_text(size_kb), encoding="utf-8")
            started = time.perf_counter()
            chunks = chunk_file(path, limits=unlimited)
            seconds = time.perf_counter() - started
            print(f"distinct text {size_kb / 1024:7.2f} MB  read+clean+dedupe+chunk {seconds:6.1f} s  "
                  f"chunks={len(chunks)}  {size_kb / 1024 / max(seconds, 1e-9):.2f} MB/s")
        print(f"default limits: files above {Limits().max_file_mb:g} MB or taking over "
              f"{Limits().max_file_seconds:g} s to read are skipped with the reason")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="default: the shipped sources")
    parser.add_argument("--sizes", nargs="*", type=int, default=[200, 300, 400, 500],
                        help="max chunk sizes to report the chunk size spread for")
    parser.add_argument("--no-timing", action="store_true", help="only the size report (no model, no store)")
    parser.add_argument("--big-kb", nargs="*", type=int, default=[256, 512, 2048, 20480],
                        help="sizes (KB) of the distinct-text files to read (no embedding)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    paths = args.paths or [shipped_sources_dir()]
    for max_chars in args.sizes:
        print(size_report(paths, max_chars))
    if not args.no_timing:
        run_timed(paths)
    if args.big_kb:
        run_distinct(args.big_kb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
