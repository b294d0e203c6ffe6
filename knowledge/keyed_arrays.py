"""Arrays kept in the data dir between processes under a key (a fingerprint of what they were computed
from): read back only while the key matches, so an edit or another model recomputes them."""

from __future__ import annotations

import os
import tempfile
import time
import zipfile
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np

_PARTIAL = ".partial"
# What reading a missing, truncated or foreign file raises: such a file counts as not saved.
_UNREADABLE = (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile)


def load_keyed(path: Path, key: str) -> dict[str, np.ndarray] | None:
    """The arrays saved at `path` under `key`, or None (missing, another key, or another version's file)."""
    saved = read_keyed(path)
    return saved[1] if saved and saved[0] == key else None


def read_keyed(path: Path) -> tuple[str, dict[str, np.ndarray]] | None:
    """The key and arrays saved at `path`, whatever the key (a caller may update what another key covered),
    or None (missing or unreadable)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return str(data["key"]), {name: data[name] for name in data.files if name != "key"}
    except _UNREADABLE:
        return None


def saved_key(path: Path) -> str | None:
    """The key the arrays at `path` were saved under, read without the arrays; None when unreadable."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return str(data["key"])
    except _UNREADABLE:
        return None


def save_keyed(path: Path, key: str, **arrays: np.ndarray) -> None:
    """Written whole or not at all (a crash mid-write leaves the old file), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(path)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_PARTIAL)  # mode 0600
    os.close(handle)
    try:
        with open(tmp, "wb") as file:  # a file object: given a name, numpy would append ".npz" to it
            np.savez(file, key=np.array(key), **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise


def _remove_stale_partials(path: Path) -> None:
    # A process killed while writing (out of memory, say) leaves its temporary file: hundreds of MB for a
    # large unit index. One left for an hour belongs to no live writer.
    for partial in path.parent.glob(f".{path.name}.*{_PARTIAL}"):
        try:
            if time.time() - partial.stat().st_mtime > 3600:
                partial.unlink()
        except OSError:  # gone meanwhile, or not ours to remove
            pass


def pack_strings(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as arrays numpy saves without pickle: their UTF-8 bytes end to end, and where each starts
    (one more offset than strings). A fixed-width unicode array would take 4 bytes per character of the
    longest string, for every string."""
    # surrogatepass: a lone surrogate (from a broken source) is kept, not an error; the bytes still sort
    # in code point order (knowledge/lexical.py searches its sorted terms by them).
    encoded = [text.encode("utf-8", "surrogatepass") for text in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def unpack_strings(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    """The strings `pack_strings` packed."""
    view = memoryview(np.ascontiguousarray(blob, dtype=np.uint8))
    return [str(view[start:end], "utf-8", "surrogatepass") for start, end in pairwise(offsets.tolist())]
