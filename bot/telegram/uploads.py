"""An admin's document upload -> the knowledge base. Plain functions; the handler only downloads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

UPLOAD_SUFFIXES = (".pdf", ".docx", ".md", ".txt")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the Bot API's getFile limit


@dataclass(frozen=True)
class UploadCheck:
    ok: bool
    reason: str = ""


def check_upload(file_name: str | None, size: int | None) -> UploadCheck:
    suffix = Path(file_name or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        kinds = "、".join(UPLOAD_SUFFIXES)
        return UploadCheck(False, f"只接受 {kinds} 文件，这个是“{suffix or '无扩展名'}”。")
    if size is not None and size > MAX_UPLOAD_BYTES:
        return UploadCheck(False, f"文件太大（{size / 1024 / 1024:.1f} MB），上限 20 MB。")
    return UploadCheck(True)


def upload_path(uploads_dir: Path, file_name: str, now: datetime) -> Path:
    """Where an upload is kept: its own safe name (no path tricks), so a re-upload replaces its chunks."""
    name = Path(file_name).name
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", Path(name).stem).strip("._") or f"upload-{now:%Y%m%d%H%M%S}"
    uploads_dir.mkdir(parents=True, exist_ok=True)
    return uploads_dir / f"{stem[:80]}{Path(name).suffix.lower()}"


def ingest_uploaded(path: Path, knowledge: Any, settings: Any) -> str:
    """Ingest one saved file into the knowledge base the agent searches, and say what happened."""
    from ingest.run import ingest_upload

    summary = ingest_upload(path, knowledge.store, settings)
    if summary.errors:
        reasons = "；".join(reason for _, reason in summary.errors)
        return f"❌ 没有导入 {path.name}：{reasons}"
    knowledge.refresh()  # the lexical index must see the new chunks too
    if summary.chunks_added == 0:
        return f"ℹ️ {path.name} 的内容已经在知识库里了（{summary.unchanged} 段没有变化）。"
    return (f"✅ 已导入 {path.name}：新增 {summary.chunks_added} 段，未变 {summary.unchanged} 段，"
            f"移除 {summary.removed} 段，用时 {summary.seconds:.1f} 秒。")
