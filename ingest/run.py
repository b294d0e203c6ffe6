"""The ingest command as both `adviser ingest` and `python -m ingest` run it: open, ingest, report."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.pipeline import IngestSummary, Limits, ingest_paths, shipped_sources_dir
from ingest.wording import summary_rows
from knowledge.settings import Settings, get_settings
from knowledge.types import ChunkStore, Embedder

LOG_NAME = "ingest.log"  # in the data dir's log folder: library warnings (pypdf) and what was skipped


def open_default_store(settings: Settings) -> tuple[ChunkStore, Embedder]:
    """The configured store and the configured embedder it embeds with (imported late: they load torch and
    chromadb)."""
    from knowledge.embedder import load_embedder

    embedder = load_embedder(settings)
    from knowledge.store import open_chunk_store

    return open_chunk_store(settings, embedder), embedder


def limits_from(settings: Settings) -> Limits:
    return Limits(max_file_mb=settings.ingest_max_file_mb, max_file_seconds=settings.ingest_max_file_seconds)


def private_log_file(settings: Settings) -> Path:
    """The ingest log, created (or narrowed) to the owner only, as the tracker and chat memory are."""
    settings.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = settings.log_dir / LOG_NAME
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    os.chmod(path, 0o600)  # a log created by an older version or under a loose umask
    return path


@contextlib.contextmanager
def log_to_file(settings: Settings) -> Iterator[None]:
    """While ingesting, log records (ours and the parsers') go to the ingest log, not the screen.

    Without a handler Python prints warnings to stderr, so pypdf's complaints about a slightly broken PDF
    would interleave with our own one-line reasons.
    """
    root = logging.getLogger()
    try:
        handler: logging.Handler = logging.FileHandler(private_log_file(settings), encoding="utf-8")
    except OSError:  # a read-only data dir: drop the records rather than print them
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    level = root.level
    root.addHandler(handler)
    root.setLevel(min(level, logging.INFO) if level else logging.INFO)
    logging.captureWarnings(True)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


def error_text(error: BaseException) -> str:
    """An exception as the operator reads it: its type name (to look up) and its own text, if any."""
    return f"{type(error).__name__}：{error}" if str(error) else type(error).__name__


def print_summary(summary: IngestSummary, console: Console) -> None:
    table = Table(show_header=False, box=None)
    table.add_column()
    table.add_column(justify="right")
    table.add_column()
    for row in summary_rows(summary):
        table.add_row(*row)
    console.print(table)
    # File names and reasons are escaped: a name like "方案[draft].pdf" would otherwise be read as markup.
    for name, reason in summary.skipped_folders:
        console.print(f"[yellow]已跳过文件夹[/] {escape(name)}：{escape(reason)}", highlight=False)
    for name, reason in summary.errors:
        console.print(f"[yellow]已跳过[/] {escape(name)}：{escape(reason)}", highlight=False)
    for name, note in summary.notes:
        console.print(f"[cyan]提示[/] {escape(name)}：{escape(note)}", highlight=False)


def run_ingest(paths: Sequence[str | Path], *, prune: bool | None = None, settings: Settings | None = None,
               store: ChunkStore | None = None, console: Console | None = None) -> int:
    """Ingest `paths` (default: the shipped sources) and print a summary. Returns the exit code:
    non-zero only when nothing at all could be ingested."""
    settings = settings or get_settings()
    console = console or Console(stderr=True)
    targets = [Path(p) for p in paths] or [shipped_sources_dir()]
    missing = [str(p) for p in targets if not p.exists()]
    for name in missing:
        console.print(f"[red]未找到[/] {escape(name)}", highlight=False)
    targets = [p for p in targets if p.exists()]
    if not targets:
        return 2
    embedder: Embedder | None = None  # known only when the store is opened here: the search indexes need it
    if store is None:
        try:
            with console.status("正在加载向量模型和知识库……"):
                store, embedder = open_default_store(settings)
        except Exception as error:  # model missing, store unreachable: say so instead of a traceback
            console.print(f"[red]无法打开知识库：[/]{escape(error_text(error))}", highlight=False)
            return 2
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with log_to_file(settings), Progress(*columns, console=console, transient=True) as progress:
        summary = ingest_paths(targets, store, progress=progress, prune=prune, limits=limits_from(settings))
    print_summary(summary, Console())
    if embedder is not None:
        prepare_indexes(settings, store, embedder, console)
    if summary.files == 0:
        console.print("[red]没有可导入的文件[/]")
        return 1
    return 0 if summary.ingested_files > 0 else 1


def prepare_indexes(settings: Settings, store: ChunkStore, embedder: Embedder, console: Console) -> None:
    """Build the search indexes of what the store now holds (unchanged ones are only loaded).

    Here rather than in the first process that searches: building them reads every passage, and reading
    the units' vectors from chromadb loads all of them (hundreds of MB for a large store). A failure is
    reported, not raised: the passages are stored, and the first search builds what is missing.
    """
    from knowledge.base import prepare_search_indexes

    try:
        with log_to_file(settings), console.status("正在准备检索索引……"):
            prepare_search_indexes(settings, store, embedder)
    except Exception as error:  # the ingest itself succeeded: say what failed, keep its exit code
        console.print(f"[yellow]检索索引未准备好[/]（{escape(error_text(error))}），首次检索时会自动建立",
                      highlight=False)


def ingest_upload(path: Path, store: ChunkStore, settings: Settings) -> IngestSummary:
    """One uploaded document (the bot's admin upload): adds or replaces that file's chunks, prunes nothing.

    The upload is keyed by where the bot keeps it (its uploads folder), so it never replaces a shipped
    source or another folder's file of the same name; uploading the same name again replaces it.
    """
    with log_to_file(settings):
        return ingest_paths([path], store, prune=False, limits=limits_from(settings))
