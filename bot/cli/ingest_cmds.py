"""`adviser ingest [PATH...]`: load training material into the knowledge base."""

from __future__ import annotations

import click

from ingest.wording import HELP_HELP, INGEST_HELP, PRUNE_HELP


# The help is the one `python -m ingest` shows too (ingest.wording); the --help option is declared here
# only to give it Chinese words, which click's built-in one does not have.
@click.command("ingest", help=INGEST_HELP, add_help_option=False)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--prune/--no-prune", default=None, help=PRUNE_HELP)
@click.help_option("-h", "--help", help=HELP_HELP)
def ingest_command(paths: tuple[str, ...], prune: bool | None) -> None:
    from ingest.run import run_ingest

    raise SystemExit(run_ingest(paths, prune=prune))


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    group.add_command(ingest_command)
