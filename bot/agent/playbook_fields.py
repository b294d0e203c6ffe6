"""Reading one entry of a playbook file field by field, with errors a trainer understands: each names the
file, the entry and the field."""

from __future__ import annotations

from bot.agent.playbooks import PlaybookError


class FieldReader:
    """One entry's raw mapping, read field by field with errors that say where."""

    def __init__(self, raw: dict, where: str) -> None:
        self.raw, self.where = raw, where

    def text(self, key: str, *, optional: bool = False) -> str:
        value = self.raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if optional:
                return ""
            raise PlaybookError(f"{self.where}：缺少字段“{key}”")
        if not isinstance(value, str | int | float):
            raise PlaybookError(f"{self.where}：字段“{key}”应为一段文字")
        return str(value).strip()

    def texts(self, key: str, *, low: int = 1, high: int = 99, optional: bool = False) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None and optional:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise PlaybookError(f"{self.where}：字段“{key}”应为文字列表")
        if not low <= len(value) <= high:
            raise PlaybookError(f"{self.where}：字段“{key}”需要 {low}-{high} 条，现在 {len(value)} 条")
        return tuple(v.strip() for v in value)
