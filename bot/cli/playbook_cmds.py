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
    """Read and validate every file; name the file, entry and field of the first mistake. Checks the
    course's question bank (knowledge/course_questions.yaml) too."""
    from bot.agent.playbook_files import load_playbooks
    from bot.agent.playbooks import KINDS, PlaybookError
    from knowledge.question_bank import QuestionBank, QuestionBankError

    try:
        library = load_playbooks(directory)
        bank = QuestionBank.from_file()
    except (PlaybookError, QuestionBankError) as error:
        raise click.ClickException(str(error)) from None
    counts = "，".join(f"{kind} {len(library.of_kind(kind))}" for kind in KINDS)
    phrasings = sum(len(e.examples) for e in library.entries) + sum(map(len, library.routes.values()))
    asked = sum(len(entry.questions) for entry in bank.entries)
    click.echo(f"话术库没有问题：{counts}；例句 {phrasings} 条。"
               f"课程问法库：{len(bank.entries)} 段，{asked} 问。")


def register(main: click.Group) -> None:
    main.add_command(playbooks)
