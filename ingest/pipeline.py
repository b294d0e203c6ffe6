"""Files -> chunks -> store, idempotently.

Chunk ids are content hashes, so for each source we compare the ids we would write with the ids the
store holds: new ids are embedded and upserted, ids that disappeared are deleted, the rest is left alone
(an unchanged corpus costs no embedding at all).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.articles import split_articles
from ingest.chunker import DEFAULT_MAX_CHARS, DEFAULT_OVERLAP_CHARS, chunk_article
from ingest.clean import clean_lines
from ingest.loaders import LoadError, is_supported, load_file
from knowledge.types import Chunk, ChunkStore

if TYPE_CHECKING:
    from rich.progress import Progress

log = logging.getLogger(__name__)

UPSERT_BATCH = 32  # chunks per store call: small enough for smooth progress, large enough to batch embeddings


@dataclass
class IngestSummary:
    files: int = 0
    chunks_added: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ingested_files(self) -> int:
        return self.files - len(self.errors)


def shipped_sources_dir() -> Path:
    """The default corpus, found next to the installed `knowledge` package."""
    import knowledge

    return Path(knowledge.__file__).resolve().parent / "sources"


def discover_files(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: each file given, plus the files (recursively) of each folder given, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            found.append(path)
    unique: dict[Path, None] = dict.fromkeys(found)
    return list(unique)


def chunk_text(text: str, source: str, *, max_chars: int = DEFAULT_MAX_CHARS,
               overlap_chars: int = DEFAULT_OVERLAP_CHARS) -> list[Chunk]:
    """Raw text of one file -> its chunks: clean, split into articles, chunk each, drop repeated ids."""
    fallback_title = Path(source).stem
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for article in split_articles(clean_lines(text), fallback_title):
        for chunk in chunk_article(article, source, start_position=len(chunks), max_chars=max_chars,
                                   overlap_chars=overlap_chars):
            if chunk.chunk_id not in seen:
                seen.add(chunk.chunk_id)
                chunks.append(chunk)
    return chunks


def chunk_file(path: Path, **sizes: int) -> list[Chunk]:
    """One file -> chunks, or `LoadError` with a human reason."""
    chunks = chunk_text(load_file(path), path.name, **sizes)
    if not chunks:
        raise LoadError("no usable text left after cleaning")
    return chunks


def _batches(items: Sequence[Chunk], size: int) -> Iterable[Sequence[Chunk]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _read_origins(registry: Path | None) -> dict[str, str]:
    if registry is None or not registry.exists():
        return {}
    try:
        data = json.loads(registry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_origins(registry: Path, origins: dict[str, str]) -> None:
    registry.parent.mkdir(parents=True, exist_ok=True)
    temporary = registry.with_suffix(".tmp")
    temporary.write_text(json.dumps(origins, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(registry)


def _origin_of(path: Path, roots: list[Path]) -> str:
    """The folder argument a file was found under (or its own folder when given directly)."""
    for root in roots:
        if root.is_dir() and path.is_relative_to(root):
            return str(root.resolve())
    return str(path.resolve().parent)


def ingest_paths(paths: Iterable[Path | str], store: ChunkStore, *, progress: Progress | None = None,
                 prune: bool | None = None, registry: Path | None = None,
                 max_chars: int = DEFAULT_MAX_CHARS, overlap_chars: int = DEFAULT_OVERLAP_CHARS,
                 ) -> IngestSummary:
    """Bring `store` in line with the files under `paths`.

    prune: also delete chunks of sources that are in the store but not among the files found. Default
    (None): prune when every path given is a folder, i.e. "this folder is the corpus"; ingesting single
    files only ever adds or replaces those files. A file that fails to load keeps whatever it had.

    registry: a JSON file remembering which folder each source came from. With it, pruning a folder only
    removes sources that came from that folder, so ingesting the shipped sources never deletes an
    adviser's own documents (and the other way round).
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    if prune is None:
        prune = bool(paths) and all(p.is_dir() for p in paths)
    summary = IngestSummary()
    files = discover_files(paths)
    summary.files = len(files)
    existing = store.ids_by_source()
    seen_sources: set[str] = set()
    origins = _read_origins(registry)

    file_task = progress.add_task("Reading files", total=len(files)) if progress else None
    pending: list[Chunk] = []
    stale: list[str] = []
    for path in files:
        seen_sources.add(path.name)
        try:
            if not path.exists():
                raise LoadError("no such file")
            if not is_supported(path):
                raise LoadError(f"unsupported file type {path.suffix or '(none)'}")
            chunks = chunk_file(path, max_chars=max_chars, overlap_chars=overlap_chars)
        except LoadError as error:
            summary.errors.append((path.name, str(error)))
            log.warning("skipped %s: %s", path.name, error)
        else:
            have = existing.get(path.name, set())
            want = {chunk.chunk_id for chunk in chunks}
            pending.extend(chunk for chunk in chunks if chunk.chunk_id not in have)
            summary.unchanged += len(want & have)
            stale.extend(sorted(have - want))
            origins[path.name] = _origin_of(path, paths)
        if progress and file_task is not None:
            progress.advance(file_task)

    if prune:
        pruned_roots = {str(p.resolve()) for p in paths if p.is_dir()}
        for source, ids in existing.items():
            if source in seen_sources:
                continue
            if registry is not None and origins.get(source) not in pruned_roots:
                continue  # came from somewhere else (or we do not know): not ours to remove
            stale.extend(sorted(ids))
            origins.pop(source, None)

    if stale:
        store.delete(stale)
        summary.removed = len(stale)
    if pending:
        embed_task = progress.add_task("Embedding chunks", total=len(pending)) if progress else None
        for batch in _batches(pending, UPSERT_BATCH):
            store.upsert(batch)
            summary.chunks_added += len(batch)
            if progress and embed_task is not None:
                progress.advance(embed_task, len(batch))
    if registry is not None:
        _write_origins(registry, origins)
    summary.seconds = time.perf_counter() - started
    log.info("ingest: %d files, %d added, %d unchanged, %d removed, %d errors in %.1fs", summary.files,
             summary.chunks_added, summary.unchanged, summary.removed, len(summary.errors), summary.seconds)
    return summary
