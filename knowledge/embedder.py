"""Sentence-transformers behind our `Embedder` interface: loads a model folder, nothing more.

Which folder (EMBEDDING_MODEL, or the default model built on first use) is decided by
`knowledge.model_build.resolve_model_dir`; this module imports the builder, never the other way round.
torch and sentence_transformers are imported only when a model is actually loaded, so CLI commands that
never embed start fast.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.model_build import (  # noqa: F401 - EmbeddingModelNotFound is re-exported for callers
    EmbeddingModelNotFound,
    Report,
    quiet_transformers,
    report_to_stderr,
    resolve_model_dir,
)
from knowledge.types import EmbedKind

if TYPE_CHECKING:
    from knowledge.settings import Settings
    from knowledge.types import Embedder

# intfloat/multilingual-e5-* were trained with these prefixes; without them retrieval quality drops.
E5_PREFIXES: dict[str, str] = {"query": "query: ", "passage": "passage: "}

# Keyed by the folder and its identity on disk: a rebuilt folder (renamed into place) is loaded afresh.
_models: dict[tuple[Path, int, int], Any] = {}
_models_lock = threading.Lock()


def _load_sentence_transformer(model_dir: Path) -> Any:
    """Load once per process and folder: loading takes seconds and hundreds of MB."""
    folder = model_dir.resolve()
    stat = folder.stat()
    key = (folder, stat.st_ino, stat.st_mtime_ns)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            from sentence_transformers import SentenceTransformer

            with quiet_transformers():
                model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
            model.eval()
            _models[key] = model
        return model


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
        folder_prompts = self._model.prompts or {}
        self.prefixes = {kind: folder_prompts.get(kind, default) for kind, default in E5_PREFIXES.items()}
        self.dimension: int = int(self._model.get_embedding_dimension())

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]:
        if not texts:
            return []
        prefix = self.prefixes[kind]
        vectors = self._model.encode([prefix + text for text in texts], batch_size=self.batch_size,
                                     normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False)
        return vectors.tolist()


def load_embedder(settings: Settings, *, report: Report = report_to_stderr) -> Embedder:
    """The product's embedder. No network: the default model is converted from installed packages."""
    return SentenceTransformerEmbedder(resolve_model_dir(settings, report=report))
