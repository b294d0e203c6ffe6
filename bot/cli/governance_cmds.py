"""Client-data governance commands: erasure on request (`adviser client delete`), export, change log.

`adviser client NAME` (in tracker_cmds) hands `client delete NAME` to `erase_client` here."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click
from rich.table import Table

from bot.cli.tracker_access import format_time, open_tracker, plain_console, safe_text, with_adviser
from bot.tracker.db import create_private_file

ACTIONS = {"log_note": "记录拜访", "update_note": "修改记录", "delete_note": "删除记录", "undo": "撤销记录",
           "add_alias": "添加别名", "delete_client": "删除客户"}


def erase_client(name: str, yes: bool, adviser: int) -> None:
    """Erasure on request (PIPL): the client, all their notes and follow-ups, and the chat memory
    mentioning them; the change log keeps that it happened, not who."""
    from bot.agent.memory import ConversationMemory
    from knowledge.settings import get_settings

    tracker = open_tracker()
    try:
        profile = tracker.client_profile(adviser, name)
        if profile is None:
            raise click.ClickException(f"没有叫「{safe_text(name)}」的客户，什么都没有删除。")
        shown = safe_text(profile.summary.name)
        if not yes and not click.confirm(
                f"确定删除客户「{shown}」及其全部 {profile.summary.notes_count} 条记录、跟进和聊天记忆中提到"
                "他/她的内容吗？删除后不能恢复。", default=False):
            raise click.ClickException("已取消，什么都没有删除。")
        deleted = tracker.delete_client(adviser, name)
    finally:
        tracker.close()
    if deleted is None:
        raise click.ClickException(f"没有叫「{safe_text(name)}」的客户，什么都没有删除。")
    settings = get_settings()
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
        table.add_row(format_time(change.at), str(change.adviser_id),
                      ACTIONS.get(change.action, change.action), str(change.client_id or "-"),
                      str(change.note_id or "-"), safe_text(detail) or "-")
    plain_console().print(table)


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    for command in (export_cmd, changes_cmd):
        group.add_command(command)
