"""Tracker fixtures: every `tracker` test runs on SQLite and on a throwaway PostgreSQL 15.

The PostgreSQL server is started once per session (initdb as the `postgres` system user, because
initdb refuses root) on a temp dir and a free 127.0.0.1 port; each test gets its own schema.
Without the binaries the PostgreSQL half is skipped locally and fails under CI (CI=1)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from bot.tracker.service import Tracker

# The PostgreSQL half carries the integration mark, so `-m "not integration"` gives a SQLite-only run.
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base URL (no database) of a throwaway server, or skip/fail when PostgreSQL is missing."""
    bin_dir = _pg_bin()
    if bin_dir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        message = "PostgreSQL binaries not found (CI installs them via .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = tempfile.mkdtemp(prefix="tracker-pg-")
    os.chmod(root, 0o755)
    data = os.path.join(root, "data")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "--auth=trust",
                                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    subprocess.run(_as_postgres([f"{bin_dir}/pg_ctl", "-D", data, "-o", options, "-l",
                                 os.path.join(root, "server.log"), "-w", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def tracker_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A fresh, empty database URL for one test on the engine of this parameter."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    base = request.getfixturevalue("postgres_server")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "tracker_url" in metafunc.fixturenames:
        metafunc.parametrize("tracker_url", ENGINES, indirect=True)


@pytest.fixture
def tracker(tracker_url: str) -> Iterator[Tracker]:
    instance = Tracker(tracker_url, tz="Asia/Shanghai")
    try:
        yield instance
    finally:
        instance.close()
