"""Tracker subcommands: log, clients, client (show; `client delete` is governance_cmds' erasure),
followups, undo. Export and the change log are in governance_cmds; the adviser and safe printing in
tracker_access."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.table import Table

from bot.cli.governance_cmds import erase_client
from bot.cli.tracker_access import format_time, open_tracker, plain_console, safe_text, with_adviser
from bot.tracker.cn_calendar import format_day
from bot.tracker.currency import format_money
from bot.tracker.note import ParsedNote
from bot.tracker.service import EMOTIONS, FAMILIARITY, ClientSummary
from bot.tracker.text import strip_controls

SNIPPET_CHARS = 60
FEELINGS = {"positive": "积极", "neutral": "中立", "resistant": "抗拒"}
FAMILIARITY_NAMES = {"new": "新客户", "acquainted": "认识", "close": "熟悉"}


def _now() -> datetime:
    from knowledge.settings import get_settings

    return datetime.now(ZoneInfo(get_settings().tz))


def _snippet(text: str | None) -> str:
    text = " ".join(safe_text(text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _day(value: date | None) -> str:
    return format_day(value, today=_now().date()) if value else "-"


def _show_note(console: Console, note: ParsedNote, title: str) -> None:
    table = Table(title=title, show_header=False)
    table.add_row("客户", safe_text(note.client or "（没认出来）"))
    table.add_row("金额", format_money(note.amount_cny, note.currency))
    table.add_row("产品", "、".join(note.products) or "-")
    table.add_row("态度", FEELINGS.get(note.sentiment, note.sentiment))
    table.add_row("顾虑", "、".join(note.objections) or "-")
    table.add_row("下一步", safe_text(note.next_step or "-"))
    table.add_row("跟进日期", _day(note.follow_up_on))
    table.add_row("风险等级", note.risk_level or "-")
    console.print(table)
    if note.amount_warning():
        console.print("⚠️ " + safe_text(note.amount_warning()))


def _clients_table(rows: list[ClientSummary], adviser: int) -> Table:
    table = Table("客户", "层级", "风险", "记录数", "最近联系", "态度", "熟悉度",
                  title=f"顾问 {adviser} 的客户")
    for c in rows:
        table.add_row(safe_text(c.name), c.tier or "-", c.risk_level or "-", str(c.notes_count),
                      format_time(c.last_contact), FEELINGS.get(c.sentiment or "", "-"),
                      FAMILIARITY_NAMES[c.familiarity])
    return table


@click.command("log")
@click.argument("message", nargs=-1, required=True)
@click.option("--client", "client_name", help="消息里没写客户时，指定是哪位客户。")
@with_adviser
def log_cmd(message: tuple[str, ...], client_name: str | None, adviser: int) -> None:
    """解析一条拜访记录，显示识别结果并保存。"""
    text = strip_controls(" ".join(message))
    if not text.strip():
        raise click.ClickException("消息是空的，没有保存。")
    from bot.tracker.parser import parse_note  # the parser room's module; imported only when logging

    note = parse_note(text, _now())
    console = plain_console()
    _show_note(console, note, "识别结果")
    if not note.client and not (client_name and client_name.strip()):
        try:
            client_name = click.prompt("这条记录是关于哪位客户的？", default="", show_default=False)
        except (click.Abort, EOFError):
            client_name = ""
        if not client_name.strip():
            raise click.ClickException("没有指定客户，没有保存。")
    tracker = open_tracker()
    try:
        saved = tracker.log_note(adviser, note, client_name=client_name)
    finally:
        tracker.close()
    created = "（新客户）" if saved.created_client else ""
    follow = f"，{_day(saved.note.follow_up_on)}跟进" if saved.note.follow_up_on else ""
    console.print(f"已保存第 {saved.note_id} 条记录：{safe_text(saved.client_name)}{created}{follow}。"
                  "记错了可以运行 `adviser undo` 撤销。")


@click.command("clients")
@click.option("--grid", is_flag=True, help="显示熟悉度 × 态度九宫格。")
@with_adviser
def clients_cmd(grid: bool, adviser: int) -> None:
    """列出你的客户（层级、风险、记录数、最近联系、态度）。"""
    tracker = open_tracker()
    try:
        rows = tracker.clients(adviser)
        cells = tracker.grid(adviser) if grid else None
    finally:
        tracker.close()
    console = plain_console()
    if not rows:
        console.print(f"顾问 {adviser} 还没有客户。用 `adviser log \"...\"` 记一次拜访。")
        return
    if cells is None:
        console.print(_clients_table(rows, adviser))
        return
    table = Table("熟悉度 \\ 态度", *(FEELINGS[e] for e in EMOTIONS), title=f"顾问 {adviser} 的客户九宫格",
                  show_lines=True)
    for familiarity in reversed(FAMILIARITY):
        names = ["\n".join(safe_text(c.name) for c in cells[(familiarity, emotion)]) or "-"
                 for emotion in EMOTIONS]
        table.add_row(FAMILIARITY_NAMES[familiarity], *names)
    console.print(table)


@click.command("client")
@click.argument("words", nargs=-1, required=True)
@click.option("--yes", is_flag=True, help="删除时不再确认。")
@with_adviser
def client_cmd(words: tuple[str, ...], yes: bool, adviser: int) -> None:
    """客户档案：`adviser client 王总`；删除客户及其全部记录：`adviser client delete 王总`。"""
    if words[0] == "delete" and len(words) > 1:
        erase_client(" ".join(words[1:]), yes, adviser)
        return
    name = " ".join(words)
    tracker = open_tracker()
    try:
        profile = tracker.client_profile(adviser, name)
    finally:
        tracker.close()
    if profile is None:
        raise click.ClickException(f"没有叫「{safe_text(name)}」的客户。")
    s = profile.summary
    console = plain_console()
    console.print(f"{safe_text(s.name)}  层级 {s.tier or '-'}  风险 {s.risk_level or '-'}  "
                  f"{FAMILIARITY_NAMES[s.familiarity]} / {FEELINGS.get(s.sentiment or '', '-')}  "
                  f"记录 {s.notes_count} 条  最近联系 {format_time(s.last_contact)}")
    if profile.aliases:
        console.print("别名：" + safe_text("、".join(profile.aliases)))
    console.print(f"最大金额：{format_money(profile.max_amount_cny)}  "
                  f"产品：{'、'.join(profile.products) or '-'}")
    console.print("未解决的顾虑：" + ("、".join(profile.open_objections) or "-"))
    console.print("待跟进：" + ("、".join(_day(d) for d in profile.open_follow_ups) or "-"))
    history = Table("#", "时间", "态度", "金额", "跟进", title="历史记录（最新在前）")
    history.add_column("内容", overflow="fold")
    for saved in profile.notes:
        n = saved.note
        history.add_row(str(saved.note_id), format_time(saved.created_at),
                        FEELINGS.get(n.sentiment, n.sentiment), format_money(n.amount_cny, n.currency),
                        _day(n.follow_up_on), _snippet(n.raw_text))
    console.print(history)


@click.command("followups")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=0), help="往后看多少天。")
@with_adviser
def followups_cmd(days: int, adviser: int) -> None:
    """该联系谁了（含已逾期）：你设的跟进日期，以及按客户层级的联系频率。"""
    tracker = open_tracker()
    try:
        items = tracker.due_followups(adviser, within_days=days, today=_now().date())
    finally:
        tracker.close()
    console = plain_console()
    if not items:
        console.print(f"未来 {days} 天没有要跟进的客户，也没有逾期的。")
        return
    table = Table("日期", "客户", "原因", "逾期", "上次记录")
    for item in items:
        tier = item.client.tier or "资产未知"
        why = "你设的跟进" if item.reason == "follow_up" else f"按层级该联系了（{tier}）"
        overdue = f"{item.overdue_days} 天" if item.overdue_days else "-"
        table.add_row(_day(item.due_on), safe_text(item.client.name), why, overdue, _snippet(item.last_note))
    console.print(table)


@click.command("undo")
@with_adviser
def undo_cmd(adviser: int) -> None:
    """撤销你最近保存的一条记录。"""
    tracker = open_tracker()
    try:
        removed = tracker.undo_last(adviser)
    finally:
        tracker.close()
    if removed is None:
        click.echo("没有可以撤销的记录。")
        return
    click.echo(f"已撤销第 {removed.note_id} 条记录（{safe_text(removed.client_name)}）："
               f"{_snippet(removed.note.raw_text)}")


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    for command in (log_cmd, clients_cmd, client_cmd, followups_cmd, undo_cmd):
        group.add_command(command)
