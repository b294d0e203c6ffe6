"""Which files an ingest reads: the files given, and every file under the folders given.

Folders are walked following links, each real folder once, so a link back to a parent (a loop) is
reported and skipped instead of recursing forever; an unreadable folder is reported and skipped too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.wording import os_reason


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # folders: (path, reason)
    missing: list[tuple[str, str]] = field(default_factory=list)  # paths given that do not exist


def _walk(root: Path, found: Discovery, visited: set[tuple[int, int]]) -> None:
    try:
        identity = root.stat()
    except OSError as error:
        found.skipped.append((str(root), f"无法打开文件夹：{os_reason(error)}"))
        return
    if (identity.st_dev, identity.st_ino) in visited:
        found.skipped.append((str(root), "指向已读过的文件夹的链接（链接循环）"))
        return
    visited.add((identity.st_dev, identity.st_ino))
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as error:
        found.skipped.append((str(root), f"无法读取文件夹：{os_reason(error)}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows links
        except OSError:
            is_dir = False
        if is_dir:
            _walk(path, found, visited)
        elif entry.is_file() or entry.is_symlink():  # a broken link is reported when it is read
            found.files.append(path)


def discover(paths: Iterable[Path]) -> Discovery:
    """Files to ingest, in order, each real file once (two links to one file are one source)."""
    found = Discovery()
    visited: set[tuple[int, int]] = set()
    for path in paths:
        if path.is_dir():
            _walk(path, found, visited)
        elif path.exists() or path.is_symlink():
            found.files.append(path)
        else:
            found.missing.append((path.name, "文件不存在"))
    unique: dict[str, Path] = {}
    for path in found.files:
        try:
            unique.setdefault(str(path.resolve()), path)
        except (OSError, RuntimeError):  # Python raises RuntimeError for a loop of file links
            found.missing.append((path.name, "指向自己的链接（链接循环）"))
    found.files = list(unique.values())
    return found
