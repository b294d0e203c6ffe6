"""The ingest command as both `adviser ingest` and `python -m ingest` run it: open, ingest, report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.pipeline import IngestSummary, ingest_paths, shipped_sources_dir
from knowledge.settings import Settings, get_settings
from knowledge.types import ChunkStore

REGISTRY_NAME = "ingested_sources.json"  # in the data dir: which folder each ingested source came from


def open_default_store(settings: Settings) -> ChunkStore:
    """The configured store with the configured embedder (imported late: they load torch and chromadb)."""
    from knowledge.embedder import load_embedder

    embedder = load_embedder(settings)
    from knowledge.store import open_chunk_store

    return open_chunk_store(settings, embedder)


def print_summary(summary: IngestSummary, console: Console) -> None:
    table = Table(show_header=False, box=None)
    table.add_row("files", str(summary.files))
    table.add_row("chunks added", str(summary.chunks_added))
    table.add_row("unchanged", str(summary.unchanged))
    table.add_row("removed", str(summary.removed))
    table.add_row("seconds", f"{summary.seconds:.1f}")
    console.print(table)
    for name, reason in summary.errors:
        console.print(f"[yellow]skipped[/] {name}: {reason}", highlight=False)


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
    if store is None:
        try:
            with console.status("Loading the embedding model and the store..."):
                store = open_default_store(settings)
        except Exception as error:  # model missing, store unreachable: say so instead of a traceback
            console.print(f"[red]cannot open the knowledge store:[/] {type(error).__name__}: {error}",
                          highlight=False)
            return 2
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        summary = ingest_paths(targets, store, progress=progress, prune=prune,
                               registry=settings.data_dir / REGISTRY_NAME)
    print_summary(summary, Console())
    if summary.files == 0:
        console.print("[red]no files to ingest[/]")
        return 1
    return 0 if summary.ingested_files > 0 else 1


def ingest_upload(path: Path, store: ChunkStore, settings: Settings) -> IngestSummary:
    """One uploaded document (the bot's admin upload): adds or replaces that file's chunks, prunes nothing."""
    return ingest_paths([path], store, prune=False, registry=settings.data_dir / REGISTRY_NAME)
