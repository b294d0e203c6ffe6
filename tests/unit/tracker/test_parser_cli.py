"""`adviser notes parse`: JSON lines in and out, blank lines kept aligned, nothing saved."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main
from bot.tracker.note import NOTE_JSON_KEYS


def _run(stdin: str, *args: str):
    return CliRunner().invoke(main, ["notes", "parse", *args], input=stdin)


def test_json_lines_with_now():
    result = _run("王总对私募很有兴趣，先投200万，周五签合同\n\nMr. Wang 500k fund tomorrow\n",
                  "--now", "2026-03-04T10:00:00", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 3
    assert all(tuple(row) == NOTE_JSON_KEYS for row in rows)
    assert rows[0]["client"] == "王总" and rows[0]["amount_cny"] == 2_000_000
    assert rows[0]["follow_up_on"] == "2026-03-06" and rows[0]["sentiment"] == "positive"
    assert rows[1] == {"client": None, "amount_cny": None, "products": [], "sentiment": "neutral",
                       "objections": [], "next_step": None, "follow_up_on": None, "risk_level": None,
                       "currency": "CNY", "rejected_amounts": []}
    assert rows[2]["client"] == "Mr. Wang" and rows[2]["follow_up_on"] == "2026-03-05"
    assert "王总" in result.output  # ensure_ascii=False


def test_default_now_and_readable_output():
    result = _run("李阿姨 50万 理财\n")
    assert result.exit_code == 0, result.output
    assert "李阿姨" in result.output and "500000" in result.output


def test_bad_now_is_a_usage_error():
    result = _run("王总\n", "--now", "yesterday-ish", "--json")
    assert result.exit_code != 0
    assert "ISO" in result.output


def test_does_not_write_to_tracker(tmp_path):
    before = sorted(p.name for p in tmp_path.rglob("*"))
    _run("王总 50万 周五\n", "--json")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
