"""Arrays kept between processes under a key: read back only while the key matches."""

from __future__ import annotations

import stat
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
