"""CHROMA_HOST/CHROMA_PORT: the store and the knowledge base against a real `chroma run` server.

The server is started from the venv's `chroma` executable on a free local port; the FakeEmbedder keeps
the test fast (the point is the client/server path, not the model).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.settings import get_settings
from knowledge.types import Chunk
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.integration

_START_TIMEOUT_S = 60.0


def _chroma_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "chroma"
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("chroma")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    for path in ("/api/v2/heartbeat", "/api/v1/heartbeat"):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            continue
    return False


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A `chroma run` subprocess on a free port; yields the port, terminates the server afterwards."""
    executable = _chroma_executable()
    if executable is None:
        pytest.skip("the `chroma` executable (installed with chromadb) is not in the venv nor on PATH")
    port = _free_port()
    log_path = tmp_path / "chroma-server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [executable, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not _answers(port):
            if process.poll() is not None:
                pytest.fail(f"`chroma run` exited with {process.returncode}:\n"
                            f"{log_path.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                pytest.fail(f"`chroma run` did not answer within {_START_TIMEOUT_S:.0f} s:\n"
                            f"{log_path.read_text(errors='replace')}")
            time.sleep(0.25)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def server_env(chroma_server: int, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    get_settings.cache_clear()
    return chroma_server


_PASSAGES = [
    ("高净值客户经营", "家族信托", "家族信托可以实现财富传承和资产隔离，适合高净值客户。"),
    ("基金入门", "定投", "基金定投适合收入稳定的上班族，按月投入可以摊薄成本。"),
    ("保险规划", "保障", "保险不是投资，而是为家庭的主要收入来源提供保障。"),
    ("资产配置", "分散", "资产配置的核心是分散风险，不要把鸡蛋放在一个篮子里。"),
]


def _chunks() -> list[Chunk]:
    return [Chunk(chunk_id=f"srv-{i}", text=text, source="training.txt", title=title, section=section,
                  position=i) for i, (title, section, text) in enumerate(_PASSAGES)]


def test_store_and_search_through_a_chroma_server(server_env: int) -> None:
    from knowledge.base import open_knowledge_base
    from knowledge.store import open_chunk_store

    settings = get_settings()
    assert settings.chroma_host == "127.0.0.1" and settings.chroma_port == server_env
    embedder = FakeEmbedder()
    store = open_chunk_store(settings, embedder)
    store.upsert(_chunks())
    assert store.count() == len(_PASSAGES)
    # Nothing was written locally: the server holds the collection.
    assert not settings.chroma_dir.exists()

    # The generation lives on the server too: every process that shares it sees a write.
    assert store.generation() is not None

    kb = open_knowledge_base(settings, FakeEmbedder())
    assert len(kb) == len(_PASSAGES)
    dense = kb.search_dense(_PASSAGES[1][2], k=1)[0]
    assert dense.section == "定投" and dense.relevance == pytest.approx(1.0, abs=2e-3)
    hits = kb.search("家族信托 财富传承", k=2)
    assert len(hits) == 2 and hits[0].section == "家族信托"
    assert set(hits[0].as_json()) == {"text", "source", "title", "section", "score"}

    store.delete(["srv-0"])
    kb.refresh()
    assert len(kb) == len(_PASSAGES) - 1
    assert all(hit.chunk_id != "srv-0" for hit in kb.search("家族信托", k=5))


def test_unreachable_server_raises_store_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.store import StoreUnavailable, open_chunk_store

    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(_free_port()))
    get_settings.cache_clear()
    with pytest.raises(StoreUnavailable, match="not reachable"):
        open_chunk_store(get_settings(), FakeEmbedder())


def test_ingest_then_search_through_a_chroma_server(server_env: int, tmp_path) -> None:
    from ingest.run import run_ingest
    from knowledge.base import open_knowledge_base
    from knowledge.store import open_chunk_store

    docs = tmp_path / "docs"
    docs.mkdir()
    trust = "# 家族信托\n\n家族信托可以隔离企业与家庭资产，并按委托人的意愿传承给子女。\n"
    (docs / "家族信托.md").write_text(trust, encoding="utf-8")
    plan = "基金定投适合收入稳定的上班族，分批买入，摊薄成本，贵在坚持。\n"
    (docs / "定投.txt").write_text(plan, encoding="utf-8")
    settings = get_settings()
    store = open_chunk_store(settings, FakeEmbedder())
    assert run_ingest([docs], settings=settings, store=store) == 0
    assert run_ingest([docs], settings=settings, store=store) == 0  # unchanged: nothing added twice
    kb = open_knowledge_base(settings, FakeEmbedder())
    assert len(kb) == store.count() >= 2
    assert kb.search("家族信托 传承", k=1)[0].source.endswith("家族信托.md")
    assert not settings.chroma_dir.exists()  # everything went to the server
