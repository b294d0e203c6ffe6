"""`adviser ingest [PATH...]`: load training material into the knowledge base."""

from __future__ import annotations

import click


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--prune/--no-prune", default=None,
              help="Remove sources not among the files given (default: yes for folders, no for files).")
def ingest_command(paths: tuple[str, ...], prune: bool | None) -> None:
    """Ingest .txt .md .pdf .docx .html files (default: the shipped training material).

    Unchanged files are skipped without re-embedding; changed files have their old passages replaced.
    """
    from ingest.run import run_ingest

    raise SystemExit(run_ingest(paths, prune=prune))


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    group.add_command(ingest_command)
