"""`adviser playbooks check`: validate the talk-track library before it goes live."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def playbooks() -> None:
    """The talk-track library (话术库) under knowledge/playbooks."""


@playbooks.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def check(directory: Path | None) -> None:
    """Read and validate every file; name the file, entry and field of the first mistake."""
    from bot.agent.playbook_files import load_playbooks
    from bot.agent.playbooks import KINDS, PlaybookError

    try:
        library = load_playbooks(directory)
    except PlaybookError as error:
        raise click.ClickException(str(error)) from None
    counts = "，".join(f"{kind} {len(library.of_kind(kind))}" for kind in KINDS)
    phrasings = sum(len(e.examples) for e in library.entries) + sum(map(len, library.routes.values()))
    click.echo(f"话术库没有问题：{counts}；例句 {phrasings} 条。")


def register(main: click.Group) -> None:
    main.add_command(playbooks)
