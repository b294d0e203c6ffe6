"""The playbooks are reviewable data: they load, validate, and every quote is really in its source."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.agent.playbooks import DEFAULT_DIR, PlaybookError, default_playbooks, load_playbooks

SOURCES = Path(__file__).resolve().parents[3] / "knowledge" / "sources"


def _citations(node):  # noqa: ANN001, ANN202
    if isinstance(node, dict):
        if "source" in node and "quote" in node:
            yield node
        for value in node.values():
            yield from _citations(value)
    elif isinstance(node, list):
        for value in node:
            yield from _citations(value)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", ["objections", "discovery", "tiers", "cadence"])
def test_every_cited_quote_occurs_in_its_source(name: str) -> None:
    data = json.loads((DEFAULT_DIR / f"{name}.json").read_text(encoding="utf-8"))
    cited = [c for c in _citations(data) if c["source"] is not None]
    assert cited, f"{name}.json cites nothing from the material"
    for c in cited:
        source = SOURCES / c["source"]
        assert source.exists(), c
        assert _squash(c["quote"]) in _squash(source.read_text(encoding="utf-8")), c


def test_files_are_pretty_printed_utf8() -> None:
    for path in DEFAULT_DIR.glob("*.json"):
        raw = path.read_text(encoding="utf-8")
        assert "\n  " in raw and "\\u" not in raw, path.name


def test_shipped_playbooks_load_and_cover_what_the_coach_needs() -> None:
    pb = load_playbooks()
    assert len(pb.objections) >= 8
    assert all(2 <= len(o.talk_track) <= 4 and o.ask_next and o.cues for o in pb.objections)
    ids = {c.id for c in pb.client_types}
    assert {"business_owner", "retiree", "executive", "professional", "young_family", "general"} <= ids
    assert all(c.questions[0].stage == "icebreaker" for c in pb.client_types)
    for need in ("asset_protection", "inheritance", "family_business_separation", "tax", "education",
                 "retirement", "cross_border"):
        assert need in pb.needs
    assert [t.min_cny for t in pb.tiers] == [200_000, 1_000_000, 6_000_000]
    assert pb.tier_for(150_000) is None and pb.tier_for(6_000_000).label == "600万+"
    assert len(pb.grid) == 9
    assert pb.product_risk["私募"] == "R5" and "存款" in pb.deposit_products


def test_default_playbooks_are_loaded_once() -> None:
    assert default_playbooks() is default_playbooks()


def test_path_is_overridable_and_bad_entries_are_named(tmp_path: Path) -> None:
    for path in DEFAULT_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    data = json.loads((tmp_path / "objections.json").read_text(encoding="utf-8"))
    data["objections"][0]["talk_track"] = ["只有一句"]
    (tmp_path / "objections.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PlaybookError, match="talk_track"):
        load_playbooks(tmp_path)
    (tmp_path / "tiers.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PlaybookError, match="tiers.json"):
        load_playbooks(tmp_path)


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="not found"):
        load_playbooks(tmp_path / "nowhere")
