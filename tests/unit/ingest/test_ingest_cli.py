import re

from click.testing import CliRunner

import ingest.run
from bot.cli import main
from ingest.__main__ import main as module_main

DOC = "客户回访\n\n客户回访\n\n回访要记录客户反馈,并在一周内跟进客户提出的问题。"


def _use_store(monkeypatch, store):
    monkeypatch.setattr(ingest.run, "open_default_store", lambda settings: (store, store.embedder))


def test_adviser_ingest_defaults_to_shipped_sources(monkeypatch, memory_store):
    _use_store(monkeypatch, memory_store)
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 0, result.output
    assert re.search(r"新增\s+\d+\s+段", result.output), result.output
    assert len(memory_store.source_names()) >= 4


def test_an_ingest_leaves_the_search_indexes_ready(tmp_path, monkeypatch, memory_store):
    from knowledge.base import search_cache_dir
    from knowledge.settings import get_settings
    from knowledge.unit_index import CACHE_FILE

    _use_store(monkeypatch, memory_store)
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    assert CliRunner().invoke(main, ["ingest", str(doc)]).exit_code == 0
    cache = search_cache_dir(get_settings())
    assert (cache / CACHE_FILE).is_file() and any(p.name.startswith("bm25s-") for p in cache.iterdir())


def test_indexes_that_cannot_be_prepared_are_reported_and_the_ingest_stands(tmp_path, monkeypatch,
                                                                          memory_store):
    import knowledge.base

    def broken(settings, store, embedder):
        raise PermissionError("data dir is read-only")

    _use_store(monkeypatch, memory_store)
    monkeypatch.setattr(knowledge.base, "prepare_search_indexes", broken)
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(doc)])
    assert result.exit_code == 0 and "doc.txt" in memory_store.source_names()
    assert "检索索引未准备好" in result.output and "PermissionError" in result.output
    assert "Traceback" not in result.output


def test_bad_file_is_reported_and_fails_only_if_nothing_ingested(tmp_path, monkeypatch, memory_store):
    _use_store(monkeypatch, memory_store)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    good = tmp_path / "good.md"
    good.write_text(DOC, encoding="utf-8")
    only_bad = CliRunner().invoke(main, ["ingest", str(bad)])
    assert only_bad.exit_code != 0
    assert "empty.txt" in only_bad.output
    mixed = CliRunner().invoke(main, ["ingest", str(bad), str(good)])
    assert mixed.exit_code == 0
    assert "empty.txt" in mixed.output


def test_python_m_ingest(tmp_path, monkeypatch, memory_store):
    _use_store(monkeypatch, memory_store)
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC, encoding="utf-8")
    assert module_main([str(doc)]) == 0
    assert "doc.txt" in memory_store.source_names()
    assert module_main([str(tmp_path / "missing.txt")]) != 0


def test_store_that_cannot_open_is_reported_not_a_traceback(monkeypatch):
    def broken(settings):
        raise ConnectionError("chroma server not reachable")

    monkeypatch.setattr(ingest.run, "open_default_store", broken)
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 2
    assert "无法打开知识库：ConnectionError：chroma server not reachable" in result.output


# What the old English console said; none of it may come back (file names aside, the output is Chinese).
OLD_WORDS = re.compile(r"\b(files|chunks|added|unchanged|removed|re-indexed|skipped|seconds|note|not found|"
                       r"folder|cannot|no files|search indexes)\b", re.IGNORECASE)


def test_the_console_summary_has_no_english_status_word(tmp_path, monkeypatch, memory_store):
    _use_store(monkeypatch, memory_store)
    monkeypatch.chdir(tmp_path)  # relative names: a long temporary path would wrap in the 80-column output
    (tmp_path / "好.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "空.txt").write_bytes(b"")
    body = "".join(f"第{n}条:回访要记录客户反馈,并在一周内跟进客户提出的问题。\n" for n in range(20))
    (tmp_path / "坏.txt").write_bytes(f"{DOC}\n\n{body}".encode() + b"\xff\xfe\xfd")  # three bad bytes
    (tmp_path / "资料").mkdir()
    (tmp_path / "资料" / "回环").symlink_to(tmp_path / "资料", target_is_directory=True)
    result = CliRunner().invoke(main, ["ingest", "好.md", "空.txt", "坏.txt", "缺.txt", "资料"])
    assert result.exit_code == 0, result.output
    for line in ("已跳过 空.txt：文件是空的", "未找到 缺.txt", "提示 坏.txt：3 个字符无法解码",
                 "已跳过文件夹 资料/回环：指向已读过的文件夹的链接（链接循环）"):
        assert line in result.output, result.output
    assert re.search(r"新增\s+\d+\s+段", result.output) and re.search(r"跳过\s+2\s+个", result.output)
    assert not OLD_WORDS.search(result.output), result.output
    assert not re.search(r"[A-Za-z]", result.output.replace(".md", "").replace(".txt", "")), result.output


def test_nothing_to_ingest_is_said_in_chinese(tmp_path, monkeypatch, memory_store):
    _use_store(monkeypatch, memory_store)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "空文件夹").mkdir()
    result = CliRunner().invoke(main, ["ingest", "空文件夹"])
    assert result.exit_code == 1 and "没有可导入的文件" in result.output


def test_the_command_help_is_chinese():
    result = CliRunner().invoke(main, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "导入知识库" in result.output and "显示本帮助并退出" in result.output
    assert "Remove sources" not in result.output and "Show this message" not in result.output
