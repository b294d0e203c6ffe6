"""`adviser search`: JSON for scripts, readable text for people, stdin mode. No real model is loaded."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli import main
from knowledge.settings import get_settings
from knowledge.store import open_chunk_store
from knowledge.types import Chunk
from tests.fakes import FakeEmbedder

HIT_KEYS = {"text", "source", "title", "section", "score"}

_PASSAGES = [
    ("高净值客户经营", "家族信托", "家族信托可以实现财富传承和资产隔离，适合高净值客户。"),
    ("基金入门", "定投", "基金定投适合收入稳定的上班族，按月投入可以摊薄成本。"),
    ("保险规划", "保障", "保险不是投资，而是为家庭的主要收入来源提供保障。"),
    ("资产配置", "", "资产配置的核心是分散风险，不要把鸡蛋放在一个篮子里。"),
]


@pytest.fixture
def no_real_model(monkeypatch: pytest.MonkeyPatch) -> list[FakeEmbedder]:
    """`open_knowledge_base` loads its embedder through knowledge.embedder.load_embedder: a fake instead."""
    import knowledge.embedder as embedder_mod

    made: list[FakeEmbedder] = []

    def fake_load_embedder(settings, **kwargs):  # noqa: ANN001, ANN003, ANN202
        made.append(FakeEmbedder())
        return made[-1]

    def no_build(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the search CLI must not build or load the real model in unit tests")

    monkeypatch.setattr(embedder_mod, "load_embedder", fake_load_embedder)
    monkeypatch.setattr(embedder_mod, "resolve_model_dir", no_build)
    monkeypatch.setattr(embedder_mod, "_load_sentence_transformer", no_build)
    return made


@pytest.fixture
def ingested(no_real_model: list[FakeEmbedder]) -> int:
    chunks = [Chunk(chunk_id=f"c{i}", text=text, source="training.txt", title=title, section=section,
                    position=i) for i, (title, section, text) in enumerate(_PASSAGES)]
    open_chunk_store(get_settings(), FakeEmbedder()).upsert(chunks)
    return len(chunks)


def _run(args: list[str], stdin: str | None = None):  # noqa: ANN202
    return CliRunner().invoke(main, args, input=stdin)


def test_json_prints_a_list_of_hits_with_exactly_the_promised_keys(ingested: int,
                                                                   no_real_model: list) -> None:
    result = _run(["search", "家族信托", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert isinstance(payload, list) and 1 <= len(payload) <= 5
    for hit in payload:
        assert set(hit) == HIT_KEYS
        assert isinstance(hit["score"], float)
    assert payload[0]["section"] == "家族信托"
    assert payload[0]["title"] == "高净值客户经营" and payload[0]["source"] == "training.txt"
    assert [h["score"] for h in payload] == sorted((h["score"] for h in payload), reverse=True)
    assert len(no_real_model) == 1


def test_json_is_utf8_not_escaped(ingested: int) -> None:
    result = _run(["search", "基金定投", "--json"])
    assert result.exit_code == 0, result.output
    assert "基金" in result.stdout and "\\u" not in result.stdout


@pytest.mark.parametrize("k", [1, 2, 4])
def test_k_option(ingested: int, k: int) -> None:
    result = _run(["search", "客户 风险", "--k", str(k), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == k


def test_k_out_of_range_is_a_usage_error(ingested: int) -> None:
    assert _run(["search", "基金", "--k", "0"]).exit_code == 2
    assert _run(["search", "基金", "--k", "51"]).exit_code == 2


def test_empty_query_argument_is_a_usage_error(ingested: int) -> None:
    result = _run(["search", "   ", "--json"])
    assert result.exit_code == 2
    assert "查询是空的" in result.output


def test_stdin_mode_prints_one_json_line_per_query(ingested: int) -> None:
    result = _run(["search", "--json", "--k", "2"], stdin="家族信托\n\n保险 保障\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    parsed = [json.loads(line) for line in lines]
    assert parsed[1] == []  # a blank line gets an empty answer, not an error
    assert parsed[0][0]["section"] == "家族信托"
    assert parsed[2][0]["section"] == "保障"
    for answer in (parsed[0], parsed[2]):
        assert 1 <= len(answer) <= 2
        assert all(set(hit) == HIT_KEYS for hit in answer)


def test_readable_output_names_title_section_and_source(ingested: int) -> None:
    result = _run(["search", "家族信托"])
    assert result.exit_code == 0, result.output
    assert "1. 高净值客户经营 · 家族信托" in result.stdout
    assert "training.txt" in result.stdout
    assert "财富传承" in result.stdout


def test_empty_knowledge_base_warns_and_returns_nothing(no_real_model: list) -> None:
    result = _run(["search", "基金", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert "adviser ingest" in result.stderr

    readable = _run(["search", "基金"])
    assert readable.exit_code == 0
    assert "培训资料里没有找到相关的段落。" in readable.stdout


def test_search_help_mentions_json(no_real_model: list) -> None:
    result = _run(["search", "--help"])
    assert result.exit_code == 0
    assert "--json" in result.output and "stdin" in result.output
    assert no_real_model == []
