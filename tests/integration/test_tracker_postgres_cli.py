"""The `adviser` command as advisers run it (separate processes, the real parser) against a shared
PostgreSQL DATABASE_URL: each adviser their own book, hostile input that used to break commands,
erasure, the change log, the export; and a corrupt SQLite file."""

from __future__ import annotations

import calendar
import csv
import os
import stat
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from bot.tracker.cn_calendar import format_day
from tests.unit.tracker.conftest import postgres_server  # noqa: F401  (the throwaway server fixture)

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_url(postgres_server: str) -> Iterator[str]:  # noqa: F811
    name = f"cli_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def adviser(env: dict[str, str], *args: str, input: str | None = None) -> subprocess.CompletedProcess:  # noqa: A002
    return subprocess.run([str(REPO / ".venv" / "bin" / "adviser"), *args], env=env, cwd=env["HOME"],
                          input=input, capture_output=True, text=True, timeout=120)


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "ADVISER_ID")}
    env.update(ADVISER_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path), HF_HUB_OFFLINE="1",
               TZ="Asia/Shanghai", COLUMNS="200", **extra)
    return env


def month_end_in_shanghai() -> str:
    """The last day of this month where the advisers are, as the tracker shows a follow-up."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return format_day(today.replace(day=calendar.monthrange(today.year, today.month)[1]), today=today)


def test_two_advisers_on_one_database(database_url: str, tmp_path: Path) -> None:
    one = environment(tmp_path, DATABASE_URL=database_url, ADVISER_ID="1")
    two = environment(tmp_path, DATABASE_URL=database_url, ADVISER_ID="2")
    hostile = ["王总他有999999999999999999999元，想买基金", "王总 \x1b[31m 两千亿亿 -500万 在3m外的咖啡店",
               "王总：同意了，50万美元，月底前打款"]
    for message in hostile:
        result = adviser(one, "log", message)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stdout + result.stderr and "\x1b" not in result.stdout
    assert "没有记录金额" in adviser(one, "log", "李阿姨 1e30元 聊了").stdout
    assert adviser(two, "log", "王总 另一位顾问的客户 20万").returncode == 0

    mine = adviser(one, "client", "王总").stdout
    assert "50万美元" in mine and "记录 3 条" in mine and month_end_in_shanghai() in mine  # "月底前打款"
    assert "顾问 2 的客户" in adviser(two, "clients").stdout

    deleted = adviser(one, "client", "delete", "王总", "--yes")
    assert deleted.returncode == 0 and "3 条记录" in deleted.stdout
    assert "王总" not in adviser(one, "clients").stdout
    theirs = adviser(two, "client", "王总")
    assert theirs.returncode == 0 and "另一位顾问的客户" in theirs.stdout
    changes = adviser(one, "changes").stdout
    assert "删除客户" in changes and "王总" not in changes and changes.count("记录拜访") == 4

    out = tmp_path / "export.csv"
    assert adviser(two, "export", "--csv", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [row["client_name"] for row in csv.DictReader(out.open(encoding="utf-8-sig"))] == ["王总"]


def test_corrupt_sqlite_file_is_one_clear_line(tmp_path: Path) -> None:
    env = environment(tmp_path)
    (tmp_path / "data").mkdir()
    db = tmp_path / "data" / "tracker.db"
    db.write_bytes(b"not a database " * 500)
    for args in (("clients",), ("log", "王总 聊了 下周再约"), ("followups",)):
        result = adviser(env, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert str(db) in result.stderr and len(result.stderr.strip().splitlines()) == 1
