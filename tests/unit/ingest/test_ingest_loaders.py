from pathlib import Path

import pytest

from ingest.loaders import LoadError, load_file

CHINESE = "高净值客户的需求分析:资产保值增值,财富传承。"


def _pdf(path: Path, lines: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_utf8_and_utf8_bom_text(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_text(CHINESE, encoding="utf-8")
    bom = tmp_path / "b.md"
    bom.write_bytes(CHINESE.encode("utf-8-sig"))
    assert load_file(plain) == CHINESE
    assert load_file(bom) == CHINESE


def test_gbk_text_decodes_correctly(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((CHINESE * 3).encode("gbk"))
    assert load_file(path) == CHINESE * 3


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(LoadError, match="空的"):
        load_file(path)


def test_whitespace_only_file_is_an_error(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n\t ", encoding="utf-8")
    with pytest.raises(LoadError, match="没有文字"):
        load_file(path)


def test_binary_file_is_an_error(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError, match="二进制"):
        load_file(path)


def test_unsupported_type_is_an_error(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(LoadError, match="不支持"):
        load_file(path)


def test_pdf_text_is_extracted(tmp_path):
    lines = ["Client tiers and review cadence", "Gold clients: call twice a month."]
    path = _pdf(tmp_path / "deck.pdf", lines)
    text = load_file(path)
    assert "Client tiers and review cadence" in text
    assert "call twice a month" in text


def test_truncated_pdf_is_an_error(tmp_path):
    whole = _pdf(tmp_path / "whole.pdf", ["Some text that will be cut off."]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(LoadError):
        load_file(path)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("客户分层标准")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "等级"
    table.cell(0, 1).text = "金融资产"
    table.cell(1, 0).text = "金卡"
    table.cell(1, 1).text = "50万元以上"
    document.add_paragraph("以上标准每季度复核。")
    path = tmp_path / "tiers.docx"
    document.save(str(path))
    lines = [line for line in load_file(path).split("\n") if line]
    assert lines == ["客户分层标准", "等级 | 金融资产", "金卡 | 50万元以上", "以上标准每季度复核。"]


def test_broken_docx_is_an_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a zip file at all")
    with pytest.raises(LoadError, match="Word"):
        load_file(path)


def test_html_drops_script_style_and_nav(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><style>.x{color:red}</style><script>var tracking = 1;</script></head><body>"
        "<nav>首页 登录 购物车</nav><h1>客户回访</h1><p>回访要记录客户反馈。</p></body></html>",
        encoding="utf-8",
    )
    text = load_file(path)
    assert "客户回访" in text and "回访要记录客户反馈。" in text
    assert "tracking" not in text and "color" not in text and "购物车" not in text


def test_gbk_html_decodes(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(f"<html><body><p>{CHINESE}</p></body></html>".encode("gbk"))
    assert CHINESE in load_file(path)
