"""/export: an adviser's visit notes as a table they open in Excel (.xlsx) or anywhere (.csv, UTF-8 with BOM).

Chinese column headers, local times to the minute, lists joined with "、". A cell that starts with = + - @
(or a tab or carriage return) would run as a formula in a spreadsheet (a client name like "=HYPERLINK(...)"
typed into a note): it gets a leading ' so it is shown as text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from bot.agent.tools import EMOTION_CN, FAMILIARITY_CN

HEADERS = ("客户", "层级", "风险等级", "熟悉程度", "客户情绪", "拜访时间", "金额", "币种", "产品", "当次情绪",
           "顾虑", "下一步", "跟进日期", "原始记录")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTHS = {"客户": 12, "拜访时间": 17, "产品": 20, "顾虑": 20, "下一步": 24, "原始记录": 60}


@dataclass(frozen=True)
class ExportTable:
    rows: list[list[str | int]]

    def __len__(self) -> int:
        return len(self.rows)

    def csv_bytes(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read the Chinese text right

    def xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "拜访记录"
        sheet.append(HEADERS)
        for row in self.rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, header in enumerate(HEADERS, 1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = COLUMN_WIDTHS.get(header, 10)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def safe_cell(value: str | int | None) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def export_table(tracker: Any, adviser_id: int) -> ExportTable:
    """One row per note, oldest first within each client, clients by name."""
    rows: list[list[str | int]] = []
    for summary in tracker.clients(adviser_id):
        profile = tracker.client_profile(adviser_id, summary.name)
        if profile is None:
            continue
        for saved in reversed(profile.notes):  # the profile lists the newest first
            note = saved.note
            rows.append([safe_cell(value) for value in (
                summary.name, summary.tier, summary.risk_level,
                FAMILIARITY_CN.get(summary.familiarity, summary.familiarity),
                EMOTION_CN.get(summary.sentiment or "", ""),
                f"{saved.created_at:%Y-%m-%d %H:%M}" if saved.created_at else "",
                note.amount_cny, note.currency if note.amount_cny is not None else "",
                "、".join(note.products), EMOTION_CN.get(note.sentiment, note.sentiment),
                "、".join(note.objections), note.next_step,
                note.follow_up_on.isoformat() if note.follow_up_on else "", note.raw_text)])
    return ExportTable(rows)
