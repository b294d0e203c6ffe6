"""The tracker's database handle: migrated once (on construction or, after a failure, on first use),
short write transactions retried on a concurrent insert, and database errors turned into user-facing
TrackerError / TrackerUnavailable without the SQL (which would quote the note).

A SQLite file another process holds (a first migration racing another one) is busy, not broken: opening
is retried, and if it stays busy the adviser is told to retry, never that the file is corrupt."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.tracker import migrations
from bot.tracker.db import make_engine
from bot.tracker.errors import TrackerError, TrackerUnavailable

_T = TypeVar("_T")
WRITE_ATTEMPTS = 3
OPEN_ATTEMPTS = 5
OPEN_BACKOFF_S = 0.2  # doubled after each busy attempt: 0.2 + 0.4 + 0.8 + 1.6 s at most
# SQLite result codes (sqlite3 exceptions carry them as sqlite_errorcode)
SQLITE_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
SQLITE_BROKEN_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
log = logging.getLogger(__name__)


def sqlite_code(error: DBAPIError) -> int | None:
    """The SQLite primary result code of a driver error (extended codes keep it in the low byte); None
    for another driver's error."""
    if isinstance(error.orig, sqlite3.Error):
        return error.orig.sqlite_errorcode & 0xFF
    return None


def database_name(url: str) -> str:
    """How an adviser is told which database: the SQLite file, or the server URL without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"文件 {parsed.database}"
    return f"数据库 {parsed.render_as_string(hide_password=True)}"


class Store:
    def __init__(self, url: str) -> None:
        self.name = database_name(url)
        self.is_file = make_url(url).get_backend_name() == "sqlite"
        self.engine = make_engine(url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(tracker_write=True), expire_on_commit=False)
        self._migrated = False
        self._opening = threading.Lock()

    def unavailable(self, error: DBAPIError) -> TrackerUnavailable:
        # info, not error: the caller shows the adviser a clear message; the CLI must print only that
        log.info("tracker database unavailable: %s", type(error.orig).__name__)  # no SQL, no note text
        if not self.is_file:
            return TrackerUnavailable(
                f"客户记录库连不上：{self.name}。请检查 DATABASE_URL 和数据库服务后重试；知识问答不受影响。")
        code = sqlite_code(error)
        if code in SQLITE_BUSY_CODES:
            return TrackerUnavailable(
                f"客户记录库正忙：{self.name} 正被另一个程序写入。"
                "请稍后重试；什么都没有改动，知识问答不受影响。")
        if code in SQLITE_BROKEN_CODES:
            return TrackerUnavailable(
                f"客户记录库打不开：{self.name} 已损坏或不是数据库。"
                "请把它改名移走（或从备份恢复）后重试，系统会新建一个空库；知识问答不受影响。")
        return TrackerUnavailable(
            f"客户记录库打不开：{self.name}。请检查文件和所在文件夹的读写权限及磁盘空间后重试；知识问答不受影响。")

    def ready(self) -> None:
        """Apply pending migrations once; raises TrackerUnavailable when the database cannot be used."""
        if self._migrated:
            return
        with self._opening:
            if self._migrated:
                return
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    migrations.migrate(self.engine)
                except DBAPIError as error:
                    if sqlite_code(error) not in SQLITE_BUSY_CODES or attempt == OPEN_ATTEMPTS - 1:
                        raise self.unavailable(error) from None
                    log.info("tracker database busy while opening, attempt %d", attempt + 1)
                    time.sleep(OPEN_BACKOFF_S * 2**attempt)
                else:
                    self._migrated = True
                    return

    def write(self, work: Callable[[Session], _T]) -> _T:
        """Run `work` in one short write transaction, retried when a concurrent writer made the same row."""
        self.ready()
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._write.begin() as session:
                    return work(session)
            except IntegrityError as error:
                if attempt == WRITE_ATTEMPTS - 1:
                    log.error("tracker write failed: %s", type(error.orig).__name__)
                    raise TrackerError("保存失败：数据有冲突，什么都没有改动，请重试。") from None
            except DataError as error:
                log.error("tracker write refused: %s", type(error.orig).__name__)
                raise TrackerError("保存失败：有一项内容超出数据库能存的范围，什么都没有改动。") from None
            except DBAPIError as error:
                raise self.unavailable(error) from None
        raise AssertionError("unreachable")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        self.ready()
        try:
            with self._read() as session:
                yield session
        except DBAPIError as error:
            raise self.unavailable(error) from None

    def close(self) -> None:
        self.engine.dispose()
