"""Bad input on purpose: same names in two folders, uploads, concurrent ingests, huge or damaged files,
link loops, unreadable folders, and what is printed or logged about them."""

from __future__ import annotations

import logging
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import ingest.discover
import ingest.run
from bot.cli import main
from ingest.clean import Deduplicator
from ingest.pipeline import Limits, ingest_paths
from ingest.run import ingest_upload, log_to_file
from knowledge.settings import Settings

GUIDE = ("客户回访指南\n\n客户回访指南\n\n"
         "回访要记录客户反馈,并在一周内跟进客户提出的问题,必要时请专家一起讲解。")
OTHER = "沙龙活动指南\n\n沙龙活动指南\n\n沙龙前先找对目标客户,再寻求异业结盟,活动后追踪成效进展。"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_same_file_name_in_two_folders_keeps_both(tmp_path, memory_store):
    _write(tmp_path / "a" / "guide.txt", GUIDE)
    _write(tmp_path / "b" / "guide.txt", OTHER)
    first = ingest_paths([tmp_path / "a", tmp_path / "b"], memory_store)
    keys = set(memory_store.ids_by_source())
    assert keys == {str((tmp_path / d / "guide.txt").resolve()) for d in "ab"}
    assert {c.source for c in memory_store.all_chunks()} == {"guide.txt"}  # people see the short name
    again = ingest_paths([tmp_path / "a", tmp_path / "b"], memory_store)
    assert again.chunks_added == 0 and again.removed == 0 and again.unchanged == first.chunks_added


def test_identical_files_in_two_folders_are_two_sources(tmp_path, memory_store):
    _write(tmp_path / "a" / "guide.txt", GUIDE)
    _write(tmp_path / "b" / "guide.txt", GUIDE)
    ingest_paths([tmp_path / "a", tmp_path / "b"], memory_store)
    assert len(memory_store.ids_by_source()) == 2
    (tmp_path / "b" / "guide.txt").unlink()
    ingest_paths([tmp_path / "b"], memory_store)
    assert set(memory_store.ids_by_source()) == {str((tmp_path / "a" / "guide.txt").resolve())}


def test_upload_with_the_name_of_a_shipped_source_does_not_replace_it(tmp_path, memory_store):
    settings = Settings(adviser_data_dir=tmp_path / "data")
    _write(tmp_path / "shipped" / "guide.txt", GUIDE)
    ingest_paths([tmp_path / "shipped"], memory_store)
    upload = _write(tmp_path / "data" / "uploads" / "guide.txt", OTHER)
    summary = ingest_upload(upload, memory_store, settings)
    assert summary.chunks_added > 0 and summary.removed == 0
    assert len(memory_store.ids_by_source()) == 2
    # Re-ingesting the shipped folder leaves the upload alone; re-uploading the same name replaces it.
    ingest_paths([tmp_path / "shipped"], memory_store)
    _write(upload, OTHER.replace("追踪成效进展", "复盘活动效果"))
    replaced = ingest_upload(upload, memory_store, settings)
    assert replaced.removed > 0 and len(memory_store.ids_by_source()) == 2


def test_sources_stored_by_bare_name_are_replaced_by_their_file(tmp_path, memory_store):
    from knowledge.types import Chunk

    memory_store.upsert([Chunk(chunk_id="old", text="旧的段落", source="guide.txt", title="旧", section="",
                               position=0)])
    _write(tmp_path / "docs" / "guide.txt", GUIDE)
    summary = ingest_paths([tmp_path / "docs"], memory_store)
    assert "old" not in memory_store.chunks and summary.removed == 1


def test_concurrent_ingests_end_like_sequential_ones(tmp_path, memory_store):
    for folder, text in (("one", GUIDE), ("two", OTHER)):
        for n in range(3):
            _write(tmp_path / folder / f"doc{n}.txt", text.replace("指南", f"指南{n}"))
    barrier = threading.Barrier(2)
    reads = memory_store.ids_by_source

    def read_together():  # both ingests read the store's state before either writes
        state = reads()
        barrier.wait(timeout=10)
        return state

    memory_store.ids_by_source = read_together
    threads = [threading.Thread(target=ingest_paths, args=([tmp_path / folder], memory_store))
               for folder in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    memory_store.ids_by_source = reads
    assert len(memory_store.ids_by_source()) == 6
    # A file deleted afterwards is pruned: nothing about the first folder was lost.
    (tmp_path / "one" / "doc0.txt").unlink()
    summary = ingest_paths([tmp_path / "one"], memory_store)
    assert summary.removed > 0
    assert str((tmp_path / "one" / "doc0.txt").resolve()) not in memory_store.ids_by_source()
    assert len(memory_store.ids_by_source()) == 5


def test_file_above_the_size_limit_is_skipped_with_the_reason(tmp_path, memory_store):
    big = _write(tmp_path / "big.txt", GUIDE * 50)
    summary = ingest_paths([big], memory_store, limits=Limits(max_file_mb=0.001))
    (name, reason), = summary.errors
    assert name == "big.txt" and "MB" in reason and "INGEST_MAX_FILE_MB" in reason
    assert memory_store.count() == 0


def test_file_over_the_time_limit_is_skipped_with_the_reason(tmp_path, memory_store):
    doc = _write(tmp_path / "slow.txt", GUIDE)
    summary = ingest_paths([doc, _write(tmp_path / "ok.txt", OTHER)], memory_store,
                           limits=Limits(max_file_seconds=-1))
    assert [name for name, _ in summary.errors] == ["slow.txt", "ok.txt"]
    assert all("INGEST_MAX_FILE_SECONDS" in reason for _, reason in summary.errors)


def test_near_duplicates_are_found_among_many_distinct_paragraphs():
    import random

    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
    paragraphs = ["".join(rng.choice(alphabet) for _ in range(120)) for _ in range(3000)]
    dedup = Deduplicator()
    assert dedup.filter(paragraphs) == paragraphs  # distinct text is all kept
    echo = paragraphs[1234][:-4] + "改了几字"  # a near repeat of one paragraph among thousands
    assert not dedup.keep(echo)


def test_a_few_bad_bytes_are_replaced_and_reported(tmp_path, memory_store):
    damaged = tmp_path / "damaged.txt"
    body = "".join(f"第{n}条:回访要记录客户反馈,并在一周内跟进客户提出的问题。\n" for n in range(20))
    damaged.write_bytes(f"回访指南\n\n回访指南\n\n{body}".encode() + b"\xff\xfe\xfa" + OTHER.encode("utf-8"))
    summary = ingest_paths([damaged], memory_store)
    assert not summary.errors and summary.chunks_added > 0
    (name, note), = summary.notes
    assert name == "damaged.txt" and note.startswith("3 个字符")


def test_link_loop_is_reported_as_skipped_and_files_are_read_once(tmp_path, memory_store):
    docs = tmp_path / "docs"
    _write(docs / "sub" / "guide.txt", GUIDE)
    (docs / "sub" / "back").symlink_to(docs, target_is_directory=True)
    (docs / "again.txt").symlink_to(docs / "sub" / "guide.txt")
    summary = ingest_paths([docs], memory_store)
    assert summary.files == 1 and summary.chunks_added > 0
    assert len(summary.skipped_folders) == 1 and "链接循环" in summary.skipped_folders[0][1]
    assert summary.skipped == 1


def test_file_link_loop_is_reported(tmp_path, memory_store):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    summary = ingest_paths([tmp_path / "a.txt"], memory_store)
    assert summary.errors and summary.ingested_files == 0


def test_unreadable_folder_is_reported_and_the_rest_ingests(tmp_path, memory_store, monkeypatch):
    _write(tmp_path / "docs" / "ok.txt", GUIDE)
    _write(tmp_path / "docs" / "locked" / "secret.txt", OTHER)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(ingest.discover.os, "scandir", scandir)
    summary = ingest_paths([tmp_path / "docs"], memory_store)
    assert summary.ingested_files == 1
    (folder, reason), = summary.skipped_folders
    assert folder.endswith("locked") and reason == "无法读取文件夹：没有访问权限（PermissionError）"


def test_each_skipped_file_is_printed_once(tmp_path, monkeypatch, memory_store):
    monkeypatch.setattr(ingest.run, "open_default_store",
                        lambda settings: (memory_store, memory_store.embedder))
    monkeypatch.setenv("ADVISER_DATA_DIR", str(tmp_path / "data"))
    from knowledge.settings import get_settings

    get_settings.cache_clear()
    (tmp_path / "empty.txt").write_bytes(b"")
    good = _write(tmp_path / "good.md", GUIDE)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "empty.txt"), str(good)])
    assert result.exit_code == 0
    assert result.output.count("empty.txt") == 1
    assert "已跳过 empty.txt：文件是空的" in result.output
    get_settings.cache_clear()


def test_library_warnings_go_to_the_log_not_the_screen(tmp_path, capsys):
    settings = Settings(adviser_data_dir=tmp_path / "data")
    with log_to_file(settings):
        logging.getLogger("pypdf._reader").warning("Ignoring wrong pointing object 6 0 (offset 0)")
    captured = capsys.readouterr()
    assert "wrong pointing object" not in captured.err + captured.out
    assert "wrong pointing object" in (settings.log_dir / "ingest.log").read_text(encoding="utf-8")


def test_ingest_log_is_readable_by_the_owner_only(tmp_path):
    settings = Settings(adviser_data_dir=tmp_path / "data")
    settings.log_dir.mkdir(parents=True)
    (settings.log_dir / "ingest.log").write_text("older\n", encoding="utf-8")
    os.chmod(settings.log_dir / "ingest.log", 0o644)  # left by an earlier version
    with log_to_file(settings):
        logging.getLogger("ingest").warning("skipped a.txt")
    log_file = settings.log_dir / "ingest.log"
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert log_file.read_text(encoding="utf-8").startswith("older\n")  # appended, nothing lost


def test_new_ingest_log_and_its_folder_are_private(tmp_path):
    settings = Settings(adviser_data_dir=tmp_path / "data")
    with log_to_file(settings):
        logging.getLogger("ingest").warning("skipped a.txt")
    assert stat.S_IMODE((settings.log_dir / "ingest.log").stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.log_dir.stat().st_mode) == 0o700


@pytest.mark.parametrize("prune", [None, False])
def test_single_file_ingest_never_prunes_uploads_or_other_folders(tmp_path, memory_store, prune):
    upload = _write(tmp_path / "uploads" / "u.txt", OTHER)
    ingest_paths([upload], memory_store)
    ingest_paths([_write(tmp_path / "docs" / "guide.txt", GUIDE)], memory_store, prune=prune)
    assert len(memory_store.ids_by_source()) == 2


def test_text_without_a_title_is_titled_by_a_chinese_file_name_never_a_machine_name():
    from ingest.pipeline import UNTITLED, chunk_text

    body = "回访要记录客户反馈,并在一周内跟进客户提出的问题,必要时请专家一起讲解,并把结论写进客户档案里面。"
    assert {c.title for c in chunk_text(body, "客户回访.md")} == {"客户回访"}
    assert {c.title for c in chunk_text(body, "000_8e2364835c31119f.txt")} == {UNTITLED}
