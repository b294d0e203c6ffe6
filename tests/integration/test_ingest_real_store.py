"""Ingest the shipped corpus into a real chromadb with the real model: idempotent, reopenable, via the CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.pipeline import ingest_paths, shipped_sources_dir
from knowledge.settings import get_settings

pytestmark = pytest.mark.integration


def _open_store(embedder):
    from knowledge.store import open_chunk_store

    return open_chunk_store(get_settings(), embedder)


def test_shipped_corpus_ingests_idempotently_into_chroma(tmp_path: Path, real_embedder) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(shipped_sources_dir(), corpus)
    store = _open_store(real_embedder)
    first = ingest_paths([corpus], store)
    assert not first.errors and first.chunks_added == store.count() > 50

    reopened = _open_store(real_embedder)
    again = ingest_paths([corpus], reopened)
    assert again.chunks_added == 0 and again.removed == 0 and again.unchanged == first.chunks_added

    removed_file = sorted(corpus.glob("*.txt"))[-1]
    removed_count = len(reopened.ids_by_source()[str(removed_file.resolve())])  # keyed by full path
    removed_file.unlink()
    pruned = ingest_paths([corpus], reopened)
    assert pruned.removed == removed_count
    assert str(removed_file.resolve()) not in reopened.ids_by_source()

    chunks = [chunk for page, _ in reopened.passages() for chunk in page]
    assert all(chunk.title and chunk.source for chunk in chunks)
    assert any(chunk.section for chunk in chunks)


def test_adviser_ingest_cli_end_to_end(real_model_env: Path) -> None:
    from bot.cli import main

    first = CliRunner().invoke(main, ["ingest"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, ["ingest"])
    assert again.exit_code == 0, again.output
    assert re.search(r"新增\s+0\s+段", again.output), again.output
