"""Arrays kept between processes under a key: read back only while the key matches."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import numpy as np

from knowledge.keyed_arrays import load_keyed, save_keyed


def test_arrays_come_back_only_under_their_key(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "vectors.npz"
    assert load_keyed(path, "k1") is None  # nothing kept yet
    save_keyed(path, "k1", vectors=np.eye(2, dtype=np.float32))
    kept = load_keyed(path, "k1")
    assert kept is not None and set(kept) == {"vectors"} and np.array_equal(kept["vectors"], np.eye(2))
    assert load_keyed(path, "k2") is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_broken_file_reads_as_nothing_kept(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    path.write_bytes(b"not an npz")
    assert load_keyed(path, "k1") is None


def test_a_truncated_file_reads_as_nothing_kept(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    save_keyed(path, "k1", vectors=np.ones((50, 8), dtype=np.float32))
    path.write_bytes(path.read_bytes()[:100])  # a crash or a full disk cut it short
    assert load_keyed(path, "k1") is None
    assert [p.name for p in tmp_path.iterdir()] == ["vectors.npz"]  # no temporary file left behind


def test_a_writer_killed_long_ago_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "units.npz"
    stale = tmp_path / ".units.npz.abc.partial"
    fresh = tmp_path / ".units.npz.def.partial"  # another process may be writing it now
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    save_keyed(path, "k1", numbers=np.arange(3))
    assert not stale.exists() and fresh.exists()
    assert list(load_keyed(path, "k1")["numbers"]) == [0, 1, 2]
    assert {p.name for p in tmp_path.iterdir()} == {"units.npz", fresh.name}
