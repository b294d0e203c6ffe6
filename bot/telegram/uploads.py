"""An admin's upload: a training document -> the knowledge base; a talk-track file (.yaml) -> the library,
checked together with the rest of the library before it replaces anything. Plain functions; the handler
only downloads."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

DOCUMENT_SUFFIXES = (".pdf", ".docx", ".md", ".txt")
PLAYBOOK_SUFFIXES = (".yaml", ".yml")
UPLOAD_SUFFIXES = DOCUMENT_SUFFIXES + PLAYBOOK_SUFFIXES
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the Bot API's getFile limit
MAX_PLAYBOOK_BYTES = 1024 * 1024
ROUTES_FILE = "routes.yaml"


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
    if is_playbook(file_name) and size is not None and size > MAX_PLAYBOOK_BYTES:
        return UploadCheck(False, f"话术文件太大（{size / 1024:.0f} KB），上限 1 MB。")
    return UploadCheck(True)


def is_playbook(file_name: str | None) -> bool:
    return Path(file_name or "").suffix.lower() in PLAYBOOK_SUFFIXES


def upload_path(uploads_dir: Path, file_name: str, now: datetime) -> Path:
    """Where an upload is kept: its own safe name (no path tricks), so a re-upload replaces its chunks."""
    name = Path(file_name).name
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", Path(name).stem).strip("._") or f"upload-{now:%Y%m%d%H%M%S}"
    uploads_dir.mkdir(parents=True, exist_ok=True)
    return uploads_dir / f"{stem[:80]}{Path(name).suffix.lower()}"


def ingest_uploaded(path: Path, knowledge: Any, settings: Any) -> str:
    """Ingest one saved file into the knowledge base the agent searches, and say what happened."""
    from ingest.run import ingest_upload
    from ingest.wording import upload_counts

    summary = ingest_upload(path, knowledge.store, settings)
    if summary.errors:
        reasons = "；".join(reason for _, reason in summary.errors)
        return f"❌ 没有导入 {path.name}：{reasons}"
    knowledge.refresh()  # the lexical and unit indexes must see the new chunks too
    if summary.chunks_added == 0:
        return f"ℹ️ {path.name} 的内容已经在知识库里了（{summary.unchanged} 段没有变化）。"
    return f"✅ 已导入 {path.name}：{upload_counts(summary)}。"  # the counts in the console summary's words


def install_playbook(uploaded: Path, library_dir: Path) -> str:
    """Check the uploaded talk-track file with the whole library (on a copy), then put it in place.

    The file's `kind:` says its folder (objection -> objections/ ...; `kind: routes` is routes.yaml); a file
    of the same name is replaced. Nothing in the library changes unless the library loads with it.
    """
    import yaml

    from bot.agent.playbook_files import KIND_FOLDERS, load_playbooks
    from bot.agent.playbooks import KINDS, PlaybookError

    name = f"{uploaded.stem}.yaml"
    try:
        data = yaml.safe_load(uploaded.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return f"❌ 话术库没有更新：{name} 不是有效的 YAML（{type(exc).__name__}）。"
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "routes":
        relative = Path(ROUTES_FILE)
    elif kind in KIND_FOLDERS:
        relative = Path(KIND_FOLDERS[kind]) / name
    else:
        return f"❌ 话术库没有更新：{name} 开头需要 kind:（{' / '.join((*KINDS, 'routes'))}）。"
    with tempfile.TemporaryDirectory(prefix="playbooks-") as scratch:
        trial = Path(scratch) / "playbooks"
        shutil.copytree(library_dir, trial)
        (trial / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(uploaded, trial / relative)
        try:
            load_playbooks(trial)
        except PlaybookError as exc:
            return f"❌ 话术库没有更新：{exc}"
    target = library_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_suffix(".uploading")
    shutil.copyfile(uploaded, staged)
    os.replace(staged, target)  # whole or not at all: the library is never left half-written
    return f"✅ 已更新话术库：{relative.as_posix()}（重启机器人后生效）"
