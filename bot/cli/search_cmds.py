"""`adviser search`: hybrid search over the training material, for people and for scripts."""

from __future__ import annotations

import json
import re
import sys

import click


def _open_knowledge_base():  # noqa: ANN202 - lazy import keeps `adviser --help` fast
    from knowledge.base import open_knowledge_base
    from knowledge.settings import get_settings

    return open_knowledge_base(get_settings())


def _highlight(text: str, query: str) -> str:
    """Rich markup with the query's terms in bold (terms of two or more characters)."""
    from rich.markup import escape

    from knowledge.lexical import tokenize

    terms = sorted({t for t in tokenize(query) if len(t) >= 2}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(f"[bold yellow]{escape(match.group())}[/]")
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def _print_readable(query: str, hits: list) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    if not hits:
        console.print("培训资料里没有找到相关的段落。")
        return
    for rank, hit in enumerate(hits, 1):
        heading = f"{rank}. {escape(hit.title or hit.source)}"
        if hit.section:
            heading += f" · {escape(hit.section)}"
        console.print(f"[bold]{heading}[/]  [dim]相关度 {hit.score:.4f} · {escape(hit.source)}[/]")
        console.print(_highlight(hit.text, query))
        console.print()


@click.command("search")
@click.argument("query", required=False)
@click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, 50), help="How many passages.")
@click.option("--json", "as_json", is_flag=True, help="JSON list of {text, source, title, section, score}.")
def search_command(query: str | None, k: int, as_json: bool) -> None:
    """Search the training material. Without QUERY, read one query per line from stdin."""
    kb = _open_knowledge_base()
    if len(kb) == 0:
        click.echo("知识库是空的：请先运行 `adviser ingest` 导入培训资料。", err=True)
    if query is not None:
        if not query.strip():
            raise click.UsageError("查询是空的：请输入一个问题或几个关键词。")
        hits = kb.search(query, k=k)
        if as_json:
            click.echo(json.dumps([h.as_json() for h in hits], ensure_ascii=False))
        else:
            _print_readable(query, hits)
        return
    for line in sys.stdin:
        line = line.strip()
        hits = kb.search(line, k=k) if line else []
        if as_json:
            sys.stdout.write(json.dumps([h.as_json() for h in hits], ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            _print_readable(line, hits)


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    group.add_command(search_command)
