"""Files -> chunks -> store, idempotently.

A source is keyed by its file's full resolved path (`Chunk.source_key`); people see its file name
(`Chunk.source`). Chunk ids are content hashes that include the key, so for each source we compare
the ids we would write with the ids the store holds: new ids are embedded and upserted, ids that
disappeared are deleted, the rest is left alone (an unchanged corpus costs no embedding at all).

Everything the pipeline decides is read from the store itself (no side registry), so two ingests
running at once end in the same state as the same two run one after the other.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.articles import split_articles
from ingest.chunker import DEFAULT_MAX_CHARS, DEFAULT_OVERLAP_CHARS, chunk_article
from ingest.clean import clean_lines, has_cjk
from ingest.discover import discover
from ingest.loaders import REPLACEMENT, LoadError, is_supported, load_file
from knowledge.types import Chunk, ChunkStore

if TYPE_CHECKING:
    from rich.progress import Progress

log = logging.getLogger(__name__)

UPSERT_BATCH = 32  # chunks per store call: small enough for smooth progress, large enough to batch embeddings
DEFAULT_MAX_FILE_MB = 20.0
DEFAULT_MAX_FILE_SECONDS = 120.0


@dataclass(frozen=True)
class Limits:
    """Per-file limits: a file above them is skipped with the reason, the rest of the ingest goes on."""

    max_file_mb: float = DEFAULT_MAX_FILE_MB
    max_file_seconds: float = DEFAULT_MAX_FILE_SECONDS  # reading, cleaning and chunking (not embedding)


class Deadline:
    """Raises LoadError once a file has taken longer than its time limit to read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.perf_counter() + seconds

    def check(self) -> None:
        if time.perf_counter() > self._ends:
            raise LoadError(f"读取超过了 {self.seconds:g} 秒的时限（INGEST_MAX_FILE_SECONDS）；"
                            "请拆分文件或调高时限")


@dataclass
class IngestSummary:
    files: int = 0
    chunks_added: int = 0
    unchanged: int = 0
    removed: int = 0
    reindexed: int = 0  # stored chunks given the sentence units a store written before them lacked
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)        # files skipped, with the reason
    skipped_folders: list[tuple[str, str]] = field(default_factory=list)  # unreadable folders, link loops
    notes: list[tuple[str, str]] = field(default_factory=list)         # ingested, but worth saying

    @property
    def ingested_files(self) -> int:
        return self.files - len(self.errors)

    @property
    def skipped(self) -> int:
        return len(self.errors) + len(self.skipped_folders)


def shipped_sources_dir() -> Path:
    """The default corpus, found next to the installed `knowledge` package."""
    import knowledge

    return Path(knowledge.__file__).resolve().parent / "sources"


def discover_files(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: each file given, plus the files (recursively) of each folder given, sorted."""
    return discover(paths).files


def source_key(path: Path) -> str:
    """A file's identity as a source: its full resolved path."""
    return str(path.resolve())


UNTITLED = "未命名资料"


def fallback_title(source: str) -> str:
    """The title of text before any detected title: a Chinese file name says what the document is
    ("客户分类.md" -> 客户分类); a machine name ("000_8e23.txt", "scan-0042.pdf") says nothing to people."""
    stem = Path(source).stem.strip()
    return stem if has_cjk(stem) else UNTITLED


def chunk_text(text: str, source: str, *, key: str = "", max_chars: int = DEFAULT_MAX_CHARS,
               overlap_chars: int = DEFAULT_OVERLAP_CHARS, deadline: Deadline | None = None) -> list[Chunk]:
    """Raw text of one file -> its chunks: clean, split into articles, chunk each, drop repeated ids."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    lines = clean_lines(text)
    if deadline:
        deadline.check()
    for article in split_articles(lines, fallback_title(source)):
        if deadline:
            deadline.check()
        for chunk in chunk_article(article, source, source_key=key, start_position=len(chunks),
                                   max_chars=max_chars, overlap_chars=overlap_chars):
            if chunk.chunk_id not in seen:
                seen.add(chunk.chunk_id)
                chunks.append(chunk)
    return chunks


def chunk_file(path: Path, *, limits: Limits | None = None, notes: list[tuple[str, str]] | None = None,
               **sizes: int) -> list[Chunk]:
    """One file -> chunks, or `LoadError` with a human reason. Replaced characters are noted."""
    limits = limits or Limits()
    size_mb = path.stat().st_size / 1024 / 1024 if path.exists() else 0.0
    if size_mb > limits.max_file_mb:
        raise LoadError(f"文件有 {size_mb:.1f} MB，超过了 {limits.max_file_mb:g} MB 的上限"
                        "（INGEST_MAX_FILE_MB）")
    deadline = Deadline(limits.max_file_seconds)
    text = load_file(path)
    deadline.check()
    replaced = text.count(REPLACEMENT)
    chunks = chunk_text(text, path.name, key=source_key(path), deadline=deadline, **sizes)
    if not chunks:
        raise LoadError("清理后没有可用的文字")
    if replaced and notes is not None:
        notes.append((path.name, f"{replaced} 个字符无法解码，已替换"))
    return chunks


def _batches(items: Sequence[Chunk], size: int) -> Iterable[Sequence[Chunk]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _under(key: str, roots: list[Path]) -> bool:
    return any(Path(key).is_relative_to(root) for root in roots)


def ingest_paths(paths: Iterable[Path | str], store: ChunkStore, *, progress: Progress | None = None,
                 prune: bool | None = None, limits: Limits | None = None,
                 max_chars: int = DEFAULT_MAX_CHARS, overlap_chars: int = DEFAULT_OVERLAP_CHARS,
                 ) -> IngestSummary:
    """Bring `store` in line with the files under `paths`.

    prune=None (default): when every path given is a folder, delete the sources that lie under those
    folders but are no longer among their files ("this folder is the corpus"); sources from elsewhere,
    and uploads, are never touched. Ingesting single files only ever adds or replaces those files.
    prune=True: the paths given are the whole corpus; every other source is deleted. prune=False: nothing
    is deleted. A file that fails to load keeps whatever it had.

    Sources stored before keys existed are keyed by their bare file name; a file of that name ingested
    now replaces them.
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    whole_corpus = prune is True
    if prune is None:
        prune = bool(paths) and all(p.is_dir() for p in paths)
    summary = IngestSummary()
    found = discover(paths)
    summary.files = len(found.files) + len(found.missing)
    summary.skipped_folders = list(found.skipped)
    summary.errors = list(found.missing)
    existing = store.ids_by_source()
    stored_ids = set().union(*existing.values()) if existing else set()
    seen_keys: set[str] = set()
    seen_names: set[str] = set()

    file_task = progress.add_task("正在读取文件", total=len(found.files)) if progress else None
    pending: list[Chunk] = []
    stale: list[str] = []
    for path in found.files:
        key = source_key(path)
        seen_keys.add(key)
        seen_names.add(path.name)
        try:
            if not is_supported(path):
                raise LoadError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}")
            chunks = chunk_file(path, limits=limits, notes=summary.notes, max_chars=max_chars,
                                overlap_chars=overlap_chars)
        except LoadError as error:
            summary.errors.append((path.name, str(error)))
            log.info("skipped %s: %s", path.name, error)
        else:
            want = {chunk.chunk_id for chunk in chunks}
            mine = existing.get(key, set()) | existing.get(path.name, set())  # and its name-keyed former self
            # An id hashes the source key, so a stored chunk with a wanted id is this source's, however
            # the store groups it.
            have = want & stored_ids
            pending.extend(chunk for chunk in chunks if chunk.chunk_id not in have)
            summary.unchanged += len(have)
            stale.extend(sorted(mine - want))
        if progress and file_task is not None:
            progress.advance(file_task)

    if prune:
        roots = [p.resolve() for p in paths if p.is_dir()]
        for key, ids in existing.items():
            if key in seen_keys or key in seen_names:
                continue
            if whole_corpus or (Path(key).is_absolute() and _under(key, roots)):
                stale.extend(sorted(ids))

    stale = sorted(set(stale))
    if stale:
        store.delete(stale)
        summary.removed = len(stale)
    if pending:
        embed_task = progress.add_task("正在向量化段落", total=len(pending)) if progress else None
        for batch in _batches(pending, UPSERT_BATCH):
            store.upsert(batch)
            summary.chunks_added += len(batch)
            if progress and embed_task is not None:
                progress.advance(embed_task, len(batch))
    summary.reindexed = store.index_missing_units()
    summary.seconds = time.perf_counter() - started
    log.info("ingest: %d files, %d added, %d unchanged, %d removed, %d re-indexed, %d skipped in %.1fs",
             summary.files, summary.chunks_added, summary.unchanged, summary.removed, summary.reindexed,
             summary.skipped, summary.seconds)
    return summary
