"""`adviser chat`, `adviser ask`, `adviser audit`. (`adviser undo` lives with the tracker commands.)"""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

import click

from bot.cli.tracker_access import with_adviser


def _build_agent():
    from bot.agent.backends import BackendConfigError
    from bot.agent.factory import build_agent

    try:
        return build_agent()
    except BackendConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command()
@with_adviser
def chat(adviser: int) -> None:
    """Talk to the assistant in this terminal (same agent as Telegram)."""
    from bot.console import run_console

    agent = _build_agent()
    try:
        run_console(agent, adviser_id=adviser)
    finally:
        agent.close()


@click.command()
@click.argument("question", nargs=-1)
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object: intent, answer, sources, logged_note, backend, fallback_reason, "
                   "needs_confirmation.")
@click.option("--chat", "chat_id", default=None,
              help="Keep conversation memory under this id across runs (default: every ask stands alone).")
@with_adviser
def ask(question: tuple[str, ...], as_json: bool, chat_id: str | None, adviser: int) -> None:
    """Answer one question or log one visit note (saved at once; `adviser undo` removes it).

    Without QUESTION, answers one message per line of standard input (the model loads once).
    """
    messages = [" ".join(question)] if question else (line.strip() for line in sys.stdin)
    agent = _build_agent()
    try:
        for message in messages:
            if not message and not question:
                continue  # a blank line between questions
            _show(agent.answer(adviser, message, chat_id=chat_id), as_json=as_json)
    finally:
        agent.close()


def _show(reply, *, as_json: bool) -> None:  # noqa: ANN001 - bot.agent.reply.Reply
    if as_json:
        click.echo(json.dumps(reply.as_json(), ensure_ascii=False))
        return
    if reply.notice:
        click.echo(reply.notice, err=True)
    click.echo(reply.full_text)
    if reply.needs_confirmation:
        click.echo("（要记成拜访记录，请用：adviser log \"这条内容\"）", err=True)


AUDIT_COLUMNS = ("at", "adviser_id", "intent", "backend", "source_ids", "guardrails", "answer", "model",
                 "model_calls", "tokens", "fallback_reason")


@click.command()
@click.option("--since", "since", default=None, help="Only records on or after this date (YYYY-MM-DD).")
@click.option("--csv", "csv_path", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the CSV here (default: standard output).")
@with_adviser
def audit(since: str | None, csv_path: str, adviser: int) -> None:
    """Export the adviser's own audit records (what the assistant answered) as CSV."""
    from zoneinfo import ZoneInfo

    from bot.agent.factory import open_tracker
    from knowledge.settings import get_settings

    settings = get_settings()
    since_at = None
    if since:
        try:
            since_at = datetime.strptime(since, "%Y-%m-%d").replace(tzinfo=ZoneInfo(settings.tz))
        except ValueError as exc:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--since") from exc
    tracker = open_tracker(settings)
    try:
        records = tracker.audit_records(adviser, since=since_at)
    finally:
        tracker.close()
    if csv_path == "-":
        count = _write_audit(records, sys.stdout)
    else:
        with Path(csv_path).open("w", encoding="utf-8", newline="") as out:
            count = _write_audit(records, out)
        click.echo(f"{count} audit records -> {csv_path}", err=True)


def _write_audit(records, out) -> int:
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for record in records:
        writer.writerow([record.at.isoformat(), record.adviser_id, record.intent, record.backend,
                         ";".join(record.source_ids), ";".join(record.guardrails), record.answer,
                         record.model or "", record.model_calls, record.tokens, record.fallback_reason or ""])
    return len(records)


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    group.add_command(chat)
    group.add_command(ask)
    group.add_command(audit)
