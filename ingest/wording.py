"""The words an ingest shows people that more than one module prints: the summary counts (the console
table and the bot's upload reply), the command's help (`adviser ingest` and `python -m ingest`), and the
reason an operating-system error gives (a skipped folder and a skipped file).

Kept in one place so the console and Telegram say the same thing, and in Chinese: the readers are a
bank's operations staff and advisers. Nothing here is machine-readable; exit codes carry the outcome.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.pipeline import IngestSummary

FILES = "文件"
ADDED = "新增"
UNCHANGED = "未变"
REMOVED = "移除"
REINDEXED = "补建索引"  # stored passages given the sentence units an older store had not written
SKIPPED = "跳过"
ELAPSED = "用时"
PASSAGES = "段"
ITEMS = "个"
SECONDS = "秒"

INGEST_HELP = ("把培训资料（.txt .md .pdf .docx .html）导入知识库；不给路径时导入随附的培训资料。\n\n"
               "没有变化的文件直接跳过，不重新向量化；有变化的文件，旧段落会被替换。")
PATHS_HELP = "文件或文件夹"
PRUNE_HELP = "从知识库删除不在所给文件中的资料（默认：给文件夹时删除，只给文件时不删）。"
NO_PRUNE_HELP = "不删除任何其他资料（只给文件、不给文件夹时默认如此）。"
HELP_HELP = "显示本帮助并退出。"

# The OS's own text (strerror) is English; the errors a folder or file of training material meets get
# Chinese words, and the exception's type name stays for whoever looks it up.
_OS_REASONS = {
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.ENOENT: "不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "是文件夹，不是文件",
    errno.ELOOP: "链接层数过多（链接循环？）",
    errno.ENAMETOOLONG: "名称太长",
    errno.EIO: "读写出错（磁盘或网络盘故障？）",
    errno.ESTALE: "网络盘上的文件已失效",
    errno.ETIMEDOUT: "网络盘响应超时",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
}


def os_reason(error: OSError) -> str:
    """Why the OS refused, in Chinese, with the exception's type name: "没有访问权限（PermissionError）"."""
    return f"{_OS_REASONS.get(error.errno or 0, '系统错误')}（{type(error).__name__}）"


def summary_rows(summary: IngestSummary) -> list[tuple[str, str, str]]:
    """(label, number, unit) for each count of an ingest, in the order the console shows them."""
    rows = [(FILES, str(summary.files), ITEMS), (ADDED, str(summary.chunks_added), PASSAGES),
            (UNCHANGED, str(summary.unchanged), PASSAGES), (REMOVED, str(summary.removed), PASSAGES)]
    if summary.reindexed:  # only after upgrading an older store: otherwise a row of zeros says nothing
        rows.append((REINDEXED, str(summary.reindexed), PASSAGES))
    rows += [(SKIPPED, str(summary.skipped), ITEMS), (ELAPSED, f"{summary.seconds:.1f}", SECONDS)]
    return rows


def upload_counts(summary: IngestSummary) -> str:
    """The counts an upload reply gives: "新增 3 段，未变 0 段，移除 0 段，用时 1.2 秒"."""
    wanted = (ADDED, UNCHANGED, REMOVED, ELAPSED)
    return "，".join(f"{label} {number} {unit}" for label, number, unit in summary_rows(summary)
                    if label in wanted)
