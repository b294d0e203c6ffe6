"""Tracker subcommands: log, clients, client, followups, export, undo. The CLI is the local adviser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.table import Table

from bot.tracker.service import (
    EMOTIONS,
    FAMILIARITY,
    LOCAL_ADVISER_ID,
    ClientSummary,
    SavedNote,
    Tracker,
    TrackerError,
)

SNIPPET_CHARS = 60
ME = LOCAL_ADVISER_ID


def open_tracker() -> Tracker:
    from knowledge.settings import get_settings

    return Tracker.from_settings(get_settings())


def _console() -> Console:
    # No markup or highlighting: client names and notes are the adviser's text, shown as typed.
    return Console(markup=False, highlight=False)


def _now() -> datetime:
    from knowledge.settings import get_settings

    return datetime.now(ZoneInfo(get_settings().tz))


def _snippet(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _money(amount: int | None) -> str:
    if amount is None:
        return "-"
    return f"{amount / 10_000:g}万" if amount >= 10_000 else f"{amount}元"


def _show_note(console: Console, note, title: str) -> None:  # noqa: ANN001
    table = Table(title=title, show_header=False)
    table.add_row("client", note.client or "(not recognised)")
    table.add_row("amount", _money(note.amount_cny))
    table.add_row("products", "、".join(note.products) or "-")
    table.add_row("sentiment", note.sentiment)
    table.add_row("objections", "、".join(note.objections) or "-")
    table.add_row("next step", note.next_step or "-")
    table.add_row("follow up on", note.follow_up_on.isoformat() if note.follow_up_on else "-")
    table.add_row("risk level", note.risk_level or "-")
    console.print(table)


def _clients_table(rows: list[ClientSummary]) -> Table:
    table = Table("client", "tier", "risk", "notes", "last contact", "feeling", "familiarity")
    for c in rows:
        table.add_row(c.name, c.tier or "-", c.risk_level or "-", str(c.notes_count), _when(c.last_contact),
                      c.sentiment or "-", c.familiarity)
    return table


@click.command("log")
@click.argument("message", nargs=-1, required=True)
@click.option("--client", "client_name", help="The client, when the message does not name them.")
def log_cmd(message: tuple[str, ...], client_name: str | None) -> None:
    """Parse a visit message, show what was understood, and save it."""
    text = " ".join(message)
    if not text.strip():
        raise click.ClickException("The message is empty: nothing was saved.")
    from bot.tracker.parser import parse_note  # the parser room's module; imported only when logging

    note = parse_note(text, _now())
    console = _console()
    _show_note(console, note, "Understood")
    if not note.client and not (client_name and client_name.strip()):
        try:
            client_name = click.prompt("Which client is this about?", default="", show_default=False)
        except (click.Abort, EOFError):
            client_name = ""
        if not client_name.strip():
            raise click.ClickException("No client named: nothing was saved.")
    tracker = open_tracker()
    try:
        saved = tracker.log_note(ME, note, client_name=client_name)
    except TrackerError as error:
        raise click.ClickException(str(error)) from error
    finally:
        tracker.close()
    created = " (new client)" if saved.created_client else ""
    follow = f", follow up on {saved.note.follow_up_on}" if saved.note.follow_up_on else ""
    console.print(f"Saved note #{saved.note_id} for {saved.client_name}{created}{follow}. "
                  "Run `adviser undo` to take it back.")


@click.command("clients")
@click.option("--grid", is_flag=True, help="Show the familiarity x emotion nine-grid.")
def clients_cmd(grid: bool) -> None:
    """List your clients (tier, risk, notes, last contact, feeling)."""
    tracker = open_tracker()
    try:
        rows = tracker.clients(ME)
        cells = tracker.grid(ME) if grid else None
    finally:
        tracker.close()
    console = _console()
    if not rows:
        console.print("No clients yet. Log a visit with `adviser log \"...\"`.")
        return
    if cells is None:
        console.print(_clients_table(rows))
        return
    table = Table("familiarity \\ emotion", *EMOTIONS, title="Client grid", show_lines=True)
    for familiarity in reversed(FAMILIARITY):
        names = ["\n".join(c.name for c in cells[(familiarity, emotion)]) or "-" for emotion in EMOTIONS]
        table.add_row(familiarity, *names)
    console.print(table)


@click.command("client")
@click.argument("name")
def client_cmd(name: str) -> None:
    """A client's profile and note history."""
    tracker = open_tracker()
    try:
        profile = tracker.client_profile(ME, name)
    finally:
        tracker.close()
    if profile is None:
        raise click.ClickException(f"No client called {name}.")
    s = profile.summary
    console = _console()
    console.print(f"{s.name}  tier {s.tier or '-'}  risk {s.risk_level or '-'}  {s.familiarity} / "
                  f"{s.sentiment or '-'}  notes {s.notes_count}  last {_when(s.last_contact)}")
    if profile.aliases:
        console.print("aliases: " + "、".join(profile.aliases))
    console.print(f"largest amount: {_money(profile.max_amount_cny)}  products: "
                  f"{'、'.join(profile.products) or '-'}")
    console.print("open objections: " + ("、".join(profile.open_objections) or "-"))
    console.print("follow-ups: " + (", ".join(d.isoformat() for d in profile.open_follow_ups) or "-"))
    history = Table("#", "when", "feeling", "amount", "follow up", title="History (newest first)")
    history.add_column("note", overflow="fold")
    for saved in profile.notes:
        n = saved.note
        history.add_row(str(saved.note_id), _when(saved.created_at), n.sentiment, _money(n.amount_cny),
                        n.follow_up_on.isoformat() if n.follow_up_on else "-", _snippet(n.raw_text))
    console.print(history)


@click.command("followups")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=0),
              help="Look this many days ahead.")
def followups_cmd(days: int) -> None:
    """Who is due (or overdue) for contact: follow-ups you set and tier cadence."""
    tracker = open_tracker()
    try:
        items = tracker.due_followups(ME, within_days=days, today=_now().date())
    finally:
        tracker.close()
    console = _console()
    if not items:
        console.print(f"Nothing due in the next {days} days, and nothing overdue.")
        return
    table = Table("due", "client", "why", "overdue", "last note")
    for item in items:
        tier = item.client.tier or "assets unknown"
        why = "follow-up you set" if item.reason == "follow_up" else f"contact cadence ({tier})"
        overdue = f"{item.overdue_days} d" if item.overdue_days else "-"
        table.add_row(item.due_on.isoformat(), item.client.name, why, overdue, _snippet(item.last_note))
    console.print(table)


@click.command("export")
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the CSV (one row per note).")
def export_cmd(csv_path: Path) -> None:
    """Export your clients and notes as CSV (UTF-8 with BOM so Excel shows Chinese)."""
    tracker = open_tracker()
    try:
        with csv_path.open("w", encoding="utf-8-sig", newline="") as out:
            rows = tracker.export_csv(ME, out)
    finally:
        tracker.close()
    click.echo(f"Wrote {rows} notes to {csv_path}.")


@click.command("undo")
def undo_cmd() -> None:
    """Remove the last note you logged."""
    tracker = open_tracker()
    try:
        removed: SavedNote | None = tracker.undo_last(ME)
    finally:
        tracker.close()
    if removed is None:
        click.echo("Nothing to undo.")
        return
    snippet = _snippet(removed.note.raw_text)
    click.echo(f"Removed note #{removed.note_id} for {removed.client_name}: {snippet}")


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    for command in (log_cmd, clients_cmd, client_cmd, followups_cmd, export_cmd, undo_cmd):
        group.add_command(command)
