"""The ingest command as both `adviser ingest` and `python -m ingest` run it: open, ingest, report."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.pipeline import IngestSummary, Limits, ingest_paths, shipped_sources_dir
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


def print_summary(summary: IngestSummary, console: Console) -> None:
    table = Table(show_header=False, box=None)
    table.add_row("files", str(summary.files))
    table.add_row("chunks added", str(summary.chunks_added))
    table.add_row("unchanged", str(summary.unchanged))
    table.add_row("removed", str(summary.removed))
    if summary.reindexed:
        table.add_row("re-indexed", str(summary.reindexed))
    table.add_row("skipped", str(summary.skipped))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    console.print(table)
    for name, reason in summary.skipped_folders:
        console.print(f"[yellow]skipped folder[/] {name}: {reason}", highlight=False)
    for name, reason in summary.errors:
        console.print(f"[yellow]skipped[/] {name}: {reason}", highlight=False)
    for name, note in summary.notes:
        console.print(f"[cyan]note[/] {name}: {note}", highlight=False)


def run_ingest(paths: Sequence[str | Path], *, prune: bool | None = None, settings: Settings | None = None,
               store: ChunkStore | None = None, console: Console | None = None) -> int:
    """Ingest `paths` (default: the shipped sources) and print a summary. Returns the exit code:
    non-zero only when nothing at all could be ingested."""
    settings = settings or get_settings()
    console = console or Console(stderr=True)
    targets = [Path(p) for p in paths] or [shipped_sources_dir()]
    missing = [str(p) for p in targets if not p.exists()]
    for name in missing:
        console.print(f"[red]not found[/] {name}", highlight=False)
    targets = [p for p in targets if p.exists()]
    if not targets:
        return 2
    embedder: Embedder | None = None  # known only when the store is opened here: the search indexes need it
    if store is None:
        try:
            with console.status("Loading the embedding model and the store..."):
                store, embedder = open_default_store(settings)
        except Exception as error:  # model missing, store unreachable: say so instead of a traceback
            console.print(f"[red]cannot open the knowledge store:[/] {type(error).__name__}: {error}",
                          highlight=False)
            return 2
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with log_to_file(settings), Progress(*columns, console=console, transient=True) as progress:
        summary = ingest_paths(targets, store, progress=progress, prune=prune, limits=limits_from(settings))
    print_summary(summary, Console())
    if embedder is not None:
        prepare_indexes(settings, store, embedder, console)
    if summary.files == 0:
        console.print("[red]no files to ingest[/]")
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
        with log_to_file(settings), console.status("Preparing the search indexes..."):
            prepare_search_indexes(settings, store, embedder)
    except Exception as error:  # the ingest itself succeeded: say what failed, keep its exit code
        console.print(f"[yellow]search indexes not prepared[/] ({type(error).__name__}: {error}); "
                      "the first search builds them", highlight=False)


def ingest_upload(path: Path, store: ChunkStore, settings: Settings) -> IngestSummary:
    """One uploaded document (the bot's admin upload): adds or replaces that file's chunks, prunes nothing.

    The upload is keyed by where the bot keeps it (its uploads folder), so it never replaces a shipped
    source or another folder's file of the same name; uploading the same name again replaces it.
    """
    with log_to_file(settings):
        return ingest_paths([path], store, prune=False, limits=limits_from(settings))
