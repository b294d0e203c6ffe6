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
    assert "chunks added" in result.output
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
    assert "search indexes not prepared" in result.output and "Traceback" not in result.output


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
    assert "chroma server not reachable" in result.output
