from pathlib import Path

from ingest.pipeline import chunk_text, ingest_paths, shipped_sources_dir

_TOPICS = ["资产配置", "财富传承", "税务筹划", "婚姻财产", "家企隔离", "养老规划", "子女教育",
           "保险保障", "跨境投资", "流动性管理", "债务隔离", "信托架构", "风险测评", "沙龙活动",
           "转介绍", "节日问候", "产品到期", "市场波动", "客户投诉", "亏损安抚"]
_ACTIONS = ["先了解客户的家庭结构", "再梳理现有持仓", "用一页纸说明利弊", "约定下次见面时间",
            "请专家一起讲解", "准备同类客户的案例", "记录客户的顾虑", "发送书面材料",
            "确认客户的风险等级", "邀请家人一起参加"]


def _article(title: str, verb: str) -> str:
    body = "".join(f"谈到{topic}时,{verb}:{_ACTIONS[n % 10]},然后{_ACTIONS[(n * 3 + 1) % 10]}。\n"
                   for n, topic in enumerate(_TOPICS))
    return f"{title}\n\n{title}\n\n{body}"


ARTICLE_A = _article("客户分层标准", "客户经理应当")
ARTICLE_B = _article("回访制度设计", "回访时要")


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    return folder


def test_first_ingest_adds_all_chunks(tmp_path, memory_store):
    summary = ingest_paths([_corpus(tmp_path / "docs")], memory_store)
    assert summary.files == 2 and not summary.errors
    assert summary.chunks_added == memory_store.count() > 2
    assert summary.unchanged == 0 and summary.removed == 0
    assert memory_store.source_names() == {"a.txt", "b.md"}
    assert {c.title for c in memory_store.all_chunks()} == {"客户分层标准", "回访制度设计"}


def test_unchanged_reingest_adds_nothing_and_embeds_nothing(tmp_path, memory_store, fake_embedder):
    docs = _corpus(tmp_path / "docs")
    first = ingest_paths([docs], memory_store)
    calls = fake_embedder.calls
    again = ingest_paths([docs], memory_store)
    assert again.chunks_added == 0 and again.removed == 0
    assert again.unchanged == first.chunks_added
    assert fake_embedder.calls == calls


def test_changed_file_replaces_only_its_stale_chunks(tmp_path, memory_store):
    docs = _corpus(tmp_path / "docs")
    ingest_paths([docs], memory_store)
    before = memory_store.ids_by_source()
    (docs / "a.txt").write_text(ARTICLE_A.replace("谈到亏损安抚时", "谈到亏损沟通时"), encoding="utf-8")
    summary = ingest_paths([docs], memory_store)
    after = memory_store.ids_by_source()
    b_key = str((docs / "b.md").resolve())
    assert after[b_key] == before[b_key]
    assert summary.removed >= 1 and summary.chunks_added == summary.removed
    assert any("亏损沟通" in c.text for c in memory_store.all_chunks())
    assert not any("亏损安抚" in c.text and c.source == "a.txt" for c in memory_store.all_chunks())


def test_deleted_file_is_pruned_when_ingesting_the_folder(tmp_path, memory_store):
    docs = _corpus(tmp_path / "docs")
    ingest_paths([docs], memory_store)
    (docs / "b.md").unlink()
    summary = ingest_paths([docs], memory_store)
    assert memory_store.source_names() == {"a.txt"}
    assert summary.removed > 0


def test_ingesting_single_files_never_prunes_other_sources(tmp_path, memory_store):
    docs = _corpus(tmp_path / "docs")
    ingest_paths([docs], memory_store)
    ingest_paths([docs / "a.txt"], memory_store)
    assert memory_store.source_names() == {"a.txt", "b.md"}
    ingest_paths([docs / "a.txt"], memory_store, prune=True)
    assert memory_store.source_names() == {"a.txt"}


def test_bad_files_are_reported_and_the_rest_ingest(tmp_path, memory_store):
    docs = _corpus(tmp_path / "docs")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "blob.txt").write_bytes(bytes(range(256)))
    (docs / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    (docs / "notes.xlsx").write_bytes(b"PK")
    gbk_text = "财富传承方案\n\n财富传承方案\n\n" + "家族信托可以实现资产隔离和有序传承。" * 5
    (docs / "gbk.txt").write_bytes(gbk_text.encode("gbk"))
    summary = ingest_paths([docs], memory_store)
    reasons = dict(summary.errors)
    assert set(reasons) == {"empty.txt", "blob.txt", "cut.pdf", "notes.xlsx"}
    assert all(reasons.values())
    assert "gbk.txt" in memory_store.source_names()
    assert any("家族信托" in c.text for c in memory_store.all_chunks())


def test_file_that_fails_later_keeps_its_chunks(tmp_path, memory_store):
    docs = _corpus(tmp_path / "docs")
    ingest_paths([docs], memory_store)
    (docs / "a.txt").write_bytes(b"")
    summary = ingest_paths([docs], memory_store)
    assert "a.txt" in dict(summary.errors)
    assert "a.txt" in memory_store.source_names()


def test_missing_path_is_an_error(tmp_path, memory_store):
    summary = ingest_paths([tmp_path / "nope.txt"], memory_store)
    assert summary.errors == [("nope.txt", "文件不存在")]


def test_shipped_sources_chunk_cleanly():
    sources = sorted(shipped_sources_dir().glob("*.txt"))
    assert sources
    for path in sources:
        chunks = chunk_text(path.read_text(encoding="utf-8"), path.name)
        assert chunks, path.name
        assert len({c.chunk_id for c in chunks}) == len(chunks)
        for chunk in chunks:
            assert len(chunk.text.replace("\n", "")) <= 500
            for furniture in ("相关文档", "购物车", "合集下载", "下载文档前", "登录或注册"):
                assert furniture not in chunk.text


def test_pruning_a_folder_keeps_sources_from_other_folders(tmp_path, memory_store):
    shipped = _corpus(tmp_path / "shipped")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "own.txt").write_text(_article("我的培训笔记", "笔记提醒"), encoding="utf-8")
    ingest_paths([shipped], memory_store)
    ingest_paths([mine], memory_store)
    assert memory_store.source_names() == {"a.txt", "b.md", "own.txt"}
    (shipped / "b.md").unlink()
    summary = ingest_paths([shipped], memory_store)
    assert memory_store.source_names() == {"a.txt", "own.txt"}
    assert summary.removed > 0
