"""Files -> plain text, one loader per format.

Every failure is a `LoadError` carrying a reason an adviser can read, so the pipeline can report the file
and carry on with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.wording import os_reason

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

# Encodings tried in order before guessing: strict UTF-8 covers almost everything we ship, and GB18030 is
# a superset of GBK/GB2312, the usual encodings of Chinese files saved on Windows.
_KNOWN_ENCODINGS = ("utf-8-sig", "gb18030")


class LoadError(Exception):
    """A file that could not be turned into text; `str(error)` is the human reason."""


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _looks_binary(data: bytes) -> bool:
    # NUL bytes never appear in UTF-8/GBK text; they are the cheapest reliable sign of a binary file.
    return b"\x00" in data[:8192]


# A file that decodes but for a few bad bytes (a truncated download, one corrupt sector) is kept with
# those characters replaced by U+FFFD, up to this share of its characters; the pipeline reports how many.
MAX_REPLACED_SHARE = 0.01
REPLACEMENT = "\ufffd"


def _decode_replacing(data: bytes, encoding: str) -> str | None:
    text = data.decode(encoding, errors="replace")
    return text if text.count(REPLACEMENT) <= MAX_REPLACED_SHARE * max(len(text), 1) else None


def decode_text(data: bytes) -> str:
    """Bytes of a text file -> str: UTF-8 (BOM or not), UTF-16 with BOM, GBK/GB18030, else a guess.

    Nearly-clean UTF-8 is decoded with its few bad bytes replaced (U+FFFD) rather than rejected.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if _looks_binary(data):
        raise LoadError("看起来是二进制文件，不是文本")
    for encoding in _KNOWN_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    nearly_utf8 = _decode_replacing(data, "utf-8-sig")
    if nearly_utf8 is not None:
        return nearly_utf8
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    nearly_gbk = _decode_replacing(data, "gb18030")
    if nearly_gbk is not None:
        return nearly_gbk
    raise LoadError("无法识别文本编码")


def load_text_file(path: Path) -> str:
    return decode_text(path.read_bytes())


def load_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise LoadError("PDF 有密码保护")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise LoadError(f"PDF 无法读取（文件损坏或不完整？）：{type(error).__name__}") from error
    text = "\n\n".join(pages)
    if not text.strip():
        raise LoadError("PDF 里没有可提取的文字（是扫描的图片吗？）")
    return text


def load_docx(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        reason = f"Word 文档无法读取（文件损坏，或不是 .docx？）：{type(error).__name__}"
        raise LoadError(reason) from error
    parts: list[str] = []
    body = document.element.body
    # Walk the body in order so tables stay where they were written, between their paragraphs.
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            parts.append(text)
        elif tag == "tbl":
            parts.extend(_docx_table_rows(child))
    return "\n".join(parts)


def _docx_table_rows(table_element) -> list[str]:
    rows: list[str] = []
    for row in table_element.iter():
        if not row.tag.endswith("}tr"):
            continue
        cells: list[str] = []
        for cell in row:
            if not cell.tag.endswith("}tc"):
                continue
            text = "".join(node.text or "" for node in cell.iter() if node.tag.endswith("}t")).strip()
            # Merged cells repeat their text in every grid cell they span; say it once.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def load_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(path.read_bytes()), "html.parser")
    # <header> is kept: blogs put the article's <h1> there; site menus live in <nav>.
    for tag in soup(["script", "style", "nav", "noscript", "footer", "form", "button", "iframe", "svg",
                     "aside", "template"]):
        tag.decompose()
    return soup.get_text("\n")


_LOADERS: dict[str, Callable[[Path], str]] = {
    ".txt": load_text_file,
    ".md": load_text_file,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
}


def load_file(path: Path) -> str:
    """The text of one file, or `LoadError` with a reason."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise LoadError(f"不支持的文件类型 {suffix or '（无扩展名）'}；支持：{supported}")
    try:
        if path.stat().st_size == 0:
            raise LoadError("文件是空的")
        text = loader(path)
    except LoadError:
        raise
    except OSError as error:
        raise LoadError(f"无法打开文件：{os_reason(error)}") from error
    except Exception as error:  # a third-party parser failing on a bad file must not stop the whole ingest
        raise LoadError(f"无法读取文件：{type(error).__name__}") from error
    if not text.strip():
        raise LoadError("文件里没有文字")
    return text
