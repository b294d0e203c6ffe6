"""Tracker subcommands: log, clients, client (show / delete), followups, export, undo, changes.

The CLI acts as one adviser: `--adviser N`, else ADVISER_ID from the settings (0, the local adviser,
by default), so advisers sharing a DATABASE_URL each keep their own book. Everything printed goes
through `_safe`: notes are shown as typed, less terminal escapes and control characters."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.table import Table

from bot.tracker.cn_calendar import format_day
from bot.tracker.currency import format_money
from bot.tracker.db import create_private_file
from bot.tracker.note import ParsedNote
from bot.tracker.service import EMOTIONS, FAMILIARITY, ClientSummary, Tracker, TrackerError
from bot.tracker.text import strip_controls

SNIPPET_CHARS = 60
FEELINGS = {"positive": "积极", "neutral": "中立", "resistant": "抗拒"}
FAMILIARITY_NAMES = {"new": "新客户", "acquainted": "认识", "close": "熟悉"}
ACTIONS = {"log_note": "记录拜访", "update_note": "修改记录", "delete_note": "删除记录", "undo": "撤销记录",
           "add_alias": "添加别名", "delete_client": "删除客户"}


def _settings():  # noqa: ANN202
    from knowledge.settings import get_settings

    return get_settings()


def open_tracker() -> Tracker:
    return Tracker.from_settings(_settings())


def _console() -> Console:
    # No markup or highlighting: client names and notes are the adviser's text, shown as typed.
    return Console(markup=False, highlight=False)


def _safe(text: object) -> str:
    return strip_controls(str(text))


def _now() -> datetime:
    return datetime.now(ZoneInfo(_settings().tz))


def _snippet(text: str | None) -> str:
    text = " ".join(_safe(text or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _day(value: date | None) -> str:
    return format_day(value, today=_now().date()) if value else "-"


def with_adviser(command: Callable) -> Callable:
    """Adds --adviser (default: ADVISER_ID) and turns tracker errors into one clear line."""
    @click.option("--adviser", "adviser_id", type=int, default=None, metavar="ID",
                  help="以哪位顾问的身份操作（默认取 ADVISER_ID，未设置为 0，即本机顾问）。")
    @wraps(command)
    def run(*args: object, adviser_id: int | None, **kwargs: object) -> None:
        adviser = _settings().adviser_id if adviser_id is None else adviser_id
        try:
            command(*args, adviser=adviser, **kwargs)
        except TrackerError as error:
            raise click.ClickException(str(error)) from None

    return run


def _show_note(console: Console, note: ParsedNote, title: str) -> None:
    table = Table(title=title, show_header=False)
    table.add_row("客户", _safe(note.client or "（没认出来）"))
    table.add_row("金额", format_money(note.amount_cny, note.currency))
    table.add_row("产品", "、".join(note.products) or "-")
    table.add_row("态度", FEELINGS.get(note.sentiment, note.sentiment))
    table.add_row("顾虑", "、".join(note.objections) or "-")
    table.add_row("下一步", _safe(note.next_step or "-"))
    table.add_row("跟进日期", _day(note.follow_up_on))
    table.add_row("风险等级", note.risk_level or "-")
    console.print(table)
    if note.amount_warning():
        console.print("⚠️ " + _safe(note.amount_warning()))


def _clients_table(rows: list[ClientSummary], adviser: int) -> Table:
    table = Table("客户", "层级", "风险", "记录数", "最近联系", "态度", "熟悉度",
                  title=f"顾问 {adviser} 的客户")
    for c in rows:
        table.add_row(_safe(c.name), c.tier or "-", c.risk_level or "-", str(c.notes_count),
                      _when(c.last_contact), FEELINGS.get(c.sentiment or "", "-"),
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
    console = _console()
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
    console.print(f"已保存第 {saved.note_id} 条记录：{_safe(saved.client_name)}{created}{follow}。"
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
    console = _console()
    if not rows:
        console.print(f"顾问 {adviser} 还没有客户。用 `adviser log \"...\"` 记一次拜访。")
        return
    if cells is None:
        console.print(_clients_table(rows, adviser))
        return
    table = Table("熟悉度 \\ 态度", *(FEELINGS[e] for e in EMOTIONS), title=f"顾问 {adviser} 的客户九宫格",
                  show_lines=True)
    for familiarity in reversed(FAMILIARITY):
        names = ["\n".join(_safe(c.name) for c in cells[(familiarity, emotion)]) or "-"
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
        _delete_client(" ".join(words[1:]), yes, adviser)
        return
    name = " ".join(words)
    tracker = open_tracker()
    try:
        profile = tracker.client_profile(adviser, name)
    finally:
        tracker.close()
    if profile is None:
        raise click.ClickException(f"没有叫「{_safe(name)}」的客户。")
    s = profile.summary
    console = _console()
    console.print(f"{_safe(s.name)}  层级 {s.tier or '-'}  风险 {s.risk_level or '-'}  "
                  f"{FAMILIARITY_NAMES[s.familiarity]} / {FEELINGS.get(s.sentiment or '', '-')}  "
                  f"记录 {s.notes_count} 条  最近联系 {_when(s.last_contact)}")
    if profile.aliases:
        console.print("别名：" + _safe("、".join(profile.aliases)))
    console.print(f"最大金额：{format_money(profile.max_amount_cny)}  "
                  f"产品：{'、'.join(profile.products) or '-'}")
    console.print("未解决的顾虑：" + ("、".join(profile.open_objections) or "-"))
    console.print("待跟进：" + ("、".join(_day(d) for d in profile.open_follow_ups) or "-"))
    history = Table("#", "时间", "态度", "金额", "跟进", title="历史记录（最新在前）")
    history.add_column("内容", overflow="fold")
    for saved in profile.notes:
        n = saved.note
        history.add_row(str(saved.note_id), _when(saved.created_at), FEELINGS.get(n.sentiment, n.sentiment),
                        format_money(n.amount_cny, n.currency), _day(n.follow_up_on), _snippet(n.raw_text))
    console.print(history)


def _delete_client(name: str, yes: bool, adviser: int) -> None:
    """Erasure on request (PIPL): the client, all their notes and follow-ups, and the chat memory
    mentioning them; the change log keeps that it happened, not who."""
    from bot.agent.memory import ConversationMemory

    tracker = open_tracker()
    try:
        profile = tracker.client_profile(adviser, name)
        if profile is None:
            raise click.ClickException(f"没有叫「{_safe(name)}」的客户，什么都没有删除。")
        shown = _safe(profile.summary.name)
        if not yes and not click.confirm(
                f"确定删除客户「{shown}」及其全部 {profile.summary.notes_count} 条记录、跟进和聊天记忆中提到"
                "他/她的内容吗？删除后不能恢复。", default=False):
            raise click.ClickException("已取消，什么都没有删除。")
        deleted = tracker.delete_client(adviser, name)
    finally:
        tracker.close()
    if deleted is None:
        raise click.ClickException(f"没有叫「{_safe(name)}」的客户，什么都没有删除。")
    settings = _settings()
    memory = ConversationMemory.in_data_dir(settings.data_dir, max_turns=settings.memory_turns,
                                            retention_days=settings.memory_retention_days)
    try:
        # the CLI and console chats carry no adviser id of their own: they are the adviser using this CLI
        turns = memory.forget_client(adviser, [deleted.name, *deleted.aliases],
                                     chat_ids=[f"adviser:{adviser}", "cli", "console"])
    finally:
        memory.close()
    click.echo(f"已删除客户「{shown}」：{deleted.notes_deleted} 条记录、{deleted.follow_ups_deleted} 个跟进、"
               f"{turns} 条聊天记忆。删除操作已记入变更日志（不含客户内容）。")


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
    console = _console()
    if not items:
        console.print(f"未来 {days} 天没有要跟进的客户，也没有逾期的。")
        return
    table = Table("日期", "客户", "原因", "逾期", "上次记录")
    for item in items:
        tier = item.client.tier or "资产未知"
        why = "你设的跟进" if item.reason == "follow_up" else f"按层级该联系了（{tier}）"
        overdue = f"{item.overdue_days} 天" if item.overdue_days else "-"
        table.add_row(_day(item.due_on), _safe(item.client.name), why, overdue, _snippet(item.last_note))
    console.print(table)


@click.command("export")
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV 文件写到哪里（每条记录一行）。")
@with_adviser
def export_cmd(csv_path: Path, adviser: int) -> None:
    """导出客户和记录为 CSV（UTF-8 带 BOM，Excel 直接显示中文；只有你自己能读这个文件）。"""
    tracker = open_tracker()
    try:
        create_private_file(csv_path)
        with csv_path.open("w", encoding="utf-8-sig", newline="") as out:
            rows = tracker.export_csv(adviser, out)
    except OSError as error:
        raise click.ClickException(f"写不了 {csv_path}：{os.strerror(error.errno or 0)}。") from None
    finally:
        tracker.close()
    click.echo(f"已把 {rows} 条记录导出到 {csv_path}。")


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
    click.echo(f"已撤销第 {removed.note_id} 条记录（{_safe(removed.client_name)}）："
               f"{_snippet(removed.note.raw_text)}")


@click.command("changes")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="从这天起（YYYY-MM-DD）。")
@with_adviser
def changes_cmd(since: datetime | None, adviser: int) -> None:
    """客户数据的变更日志：谁、什么时候、做了什么（不含客户内容）。"""
    tracker = open_tracker()
    try:
        rows = tracker.changes(adviser, since=since)
    finally:
        tracker.close()
    if not rows:
        click.echo(f"顾问 {adviser} 没有变更记录。")
        return
    table = Table("时间", "顾问", "操作", "客户编号", "记录编号", "说明", title=f"顾问 {adviser} 的变更日志")
    for change in rows:
        detail = "，".join(f"{key}={value}" for key, value in change.detail.items()
                          if value not in (None, [], ""))
        table.add_row(_when(change.at), str(change.adviser_id), ACTIONS.get(change.action, change.action),
                      str(change.client_id or "-"), str(change.note_id or "-"), _safe(detail) or "-")
    _console().print(table)


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    for command in (log_cmd, clients_cmd, client_cmd, followups_cmd, export_cmd, undo_cmd, changes_cmd):
        group.add_command(command)
