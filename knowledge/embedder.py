"""Sentence-transformers behind our `Embedder` interface, plus the one place that decides which model to load.

torch and sentence_transformers are imported only when a model is actually loaded, so CLI commands that
never embed start fast.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.types import EmbedKind

if TYPE_CHECKING:
    from knowledge.settings import Settings
    from knowledge.types import Embedder

# intfloat/multilingual-e5-* were trained with these prefixes; without them retrieval quality drops.
E5_PREFIXES: dict[str, str] = {"query": "query: ", "passage": "passage: "}

_models: dict[Path, Any] = {}
_models_lock = threading.Lock()


class EmbeddingModelNotFound(FileNotFoundError):
    """EMBEDDING_MODEL names a folder that does not exist or holds no sentence-transformers model."""


def _load_sentence_transformer(model_dir: Path) -> Any:
    """Load once per process and folder: loading takes seconds and hundreds of MB."""
    key = model_dir.resolve()
    with _models_lock:
        model = _models.get(key)
        if model is None:
            from sentence_transformers import SentenceTransformer

            with quiet_transformers():
                model = SentenceTransformer(str(key), device="cpu", local_files_only=True)
            model.eval()
            _models[key] = model
        return model


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


def clear_model_cache() -> None:
    """Forget loaded models (tests, or after rebuilding a folder in place)."""
    with _models_lock:
        _models.clear()


class SentenceTransformerEmbedder:
    """Unit-length vectors from a local sentence-transformers folder.

    Texts get the `query: ` / `passage: ` prefix for their kind. A folder that defines prompts named
    `query` / `passage` in its config uses those instead (our built folder defines the e5 ones).
    """

    def __init__(self, model_dir: str | Path, *, batch_size: int = 32,
                 loader: Callable[[Path], Any] | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.batch_size = batch_size
        self._model = (loader or _load_sentence_transformer)(self.model_dir)
        folder_prompts = getattr(self._model, "prompts", None) or {}
        self.prefixes = {kind: folder_prompts.get(kind, default) for kind, default in E5_PREFIXES.items()}
        get_dimension = (getattr(self._model, "get_embedding_dimension", None)
                         or self._model.get_sentence_embedding_dimension)
        self.dimension: int = int(get_dimension())

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]:
        if not texts:
            return []
        prefix = self.prefixes[kind]
        vectors = self._model.encode([prefix + text for text in texts], batch_size=self.batch_size,
                                     normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False)
        return vectors.tolist()


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def resolve_model_dir(settings: Settings, *, report: Callable[[str], None] = _stderr) -> Path:
    """The folder to load: EMBEDDING_MODEL as-is, else the default model, built on first use."""
    if settings.embedding_model:
        model_dir = Path(settings.embedding_model).expanduser()
        if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
            raise EmbeddingModelNotFound(
                f"EMBEDDING_MODEL={settings.embedding_model!r} is not a sentence-transformers folder "
                f"(no modules.json or config.json in {model_dir}). Point it at a local model folder, "
                "or unset it to use the bundled multilingual-e5-small (`adviser model build`).")
        return model_dir

    from knowledge.model_build import build_model

    model_dir = settings.model_dir
    result = build_model(model_dir, report=report)
    if result.built:
        # A rebuilt folder must not be served from a stale in-process cache.
        with _models_lock:
            _models.pop(model_dir.resolve(), None)
    return model_dir


def load_embedder(settings: Settings, *, report: Callable[[str], None] = _stderr) -> Embedder:
    """The product's embedder. No network: the default model is converted from installed packages."""
    return SentenceTransformerEmbedder(resolve_model_dir(settings, report=report))
