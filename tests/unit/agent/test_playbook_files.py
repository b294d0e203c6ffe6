"""The talk-track library: the shipped one is complete and true to the course; a trainer's mistake is
named by file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.agent.playbook_files import load_playbooks, read_entries
from bot.agent.playbooks import DEFAULT_DIR, Entry, PlaybookError

SOURCES = Path(DEFAULT_DIR).parent / "sources"


def test_the_shipped_library_covers_what_advisers_need() -> None:
    library = load_playbooks()
    counts = {kind: len(library.of_kind(kind)) for kind in
              ("objection", "client_type", "first_meeting", "compliance", "method")}
    assert counts["objection"] >= 30 and counts["client_type"] >= 15 and counts["compliance"] >= 15
    assert counts["first_meeting"] >= 10 and counts["method"] >= 8
    assert all(len(e.examples) >= 5 for e in library.entries)
    assert set(library.routes) == {"log", "tracker", "prep", "other", "off_topic"}
    assert library.entry("general") is not None  # the client type of a first meeting with nothing known


def test_every_course_quote_is_verbatim_in_its_source() -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in SOURCES.glob("*.txt")}
    library = load_playbooks()
    missing = [(e.id, c.quote) for e in library.entries for c in e.citations
               if c.quote not in texts.get(c.source, "")]
    assert missing == []


def test_every_shipped_entry_has_its_english_version() -> None:
    # An adviser who writes English gets English talk tracks: a trainer adding an entry adds its en: block.
    assert [e.id for e in load_playbooks().entries if e.english is None] == []


def test_first_meetings_name_objections_that_exist() -> None:
    library = load_playbooks()
    ids = {e.id for e in library.objections}
    assert all(set(e.likely_objections) <= ids for e in library.of_kind("first_meeting"))


def write(tmp_path: Path, entry: dict, kind: str = "objection") -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"kind": kind, "entries": [entry]}, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {"id": "x", "title": "标题", "examples": ["一", "二", "三", "四", "五"], "source": "house",
        "why": "原因", "say": ["甲", "乙"], "ask_next": ["问？"], "never": ["别"]}


@pytest.mark.parametrize(("change", "message"), [
    ({"why": None}, "缺少字段“why”"),
    ({"examples": ["一"]}, "examples"),
    ({"say": ["甲"]}, "say"),
    ({"source": "course"}, "citations"),
    ({"source": "course", "citations": [{"source": "a.txt", "quote": "客户", "经理": None}]}, "引号"),
])
def test_mistakes_are_named(tmp_path: Path, change: dict, message: str) -> None:
    with pytest.raises(PlaybookError, match=message) as raised:
        read_entries(write(tmp_path, {**GOOD, **change}))
    assert "bad.yaml" in str(raised.value) and "（x）" in str(raised.value)


def test_a_good_entry_reads(tmp_path: Path) -> None:
    [entry] = read_entries(write(tmp_path, GOOD))
    assert entry.kind == "objection" and entry.say == ("甲", "乙")


def test_a_compliance_verdict_must_be_one_of_three(tmp_path: Path) -> None:
    rule = {"id": "c", "title": "t", "examples": list("一二三四五"), "source": "house", "verdict": "也许",
            "rule": "r", "why": "w", "instead": ["i"]}
    with pytest.raises(PlaybookError, match="verdict"):
        read_entries(write(tmp_path, rule, kind="compliance"))


def test_industries_need_terms_of_two_characters(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(DEFAULT_DIR, library)
    (library / "industries.yaml").write_text(
        "kind: industry\nentries:\n  - {id: x, name: 渔业, terms: [鱼], money: 看天, ask: [几季？]}\n",
        encoding="utf-8")
    with pytest.raises(PlaybookError, match="industries.yaml 第 1 条（x）"):
        load_playbooks(library)


def test_product_notes_need_every_field(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(DEFAULT_DIR, library)
    (library / "product_notes.yaml").write_text(
        "kind: product_note\nentries:\n"
        "  - {id: y, name: 黄金, terms: [黄金], facts: 会波动, liquidity: 随时卖}\n",  # no `never`
        encoding="utf-8")
    with pytest.raises(PlaybookError, match="product_notes.yaml 第 1 条（y）"):
        load_playbooks(library)


ENGLISH = {"title": "Title", "why": "Because", "say": ["One", "Two"], "ask_next": ["Ask?"],
           "never": ["Don't"]}


def test_an_entry_reads_its_english_version_over_the_chinese_fields(tmp_path: Path) -> None:
    [entry] = read_entries(write(tmp_path, {**GOOD, "en": ENGLISH}))
    assert entry.english is not None and entry.english.say == ("One", "Two")
    assert entry.english.examples == entry.examples and entry.english.id == "x"  # routed as the Chinese one
    [plain] = read_entries(write(tmp_path, GOOD))
    assert plain.english is None


@pytest.mark.parametrize(("english", "message"), [
    ({**ENGLISH, "examples": ["a"]}, "en：只能包含"),
    ({**ENGLISH, "say": ["only one"]}, "say"),
    ({**ENGLISH, "why": None}, "why"),
])
def test_english_mistakes_are_named(tmp_path: Path, english: dict, message: str) -> None:
    with pytest.raises(PlaybookError, match=message) as raised:
        read_entries(write(tmp_path, {**GOOD, "en": english}))
    assert "（x） en" in str(raised.value)


def test_a_client_types_english_questions_keep_the_chinese_stages(tmp_path: Path) -> None:
    spin = [{"stage": s, "ask": "问？", "probes": "需求"} for s in ("situation", "problem", "implication",
                                                                 "need_payoff")]
    client_type = {"id": "t", "title": "医生", "examples": list("一二三四五"), "source": "house",
                   "name": "医生", "traits": "忙", "icebreaker": ["您好"], "spin": spin,
                   "en": {"name": "Doctor", "traits": "Busy", "icebreaker": ["Hello"],
                          "spin": [{"ask": f"Q{i}?", "probes": "need"} for i in range(4)]}}
    [entry] = read_entries(write(tmp_path, client_type, kind="client_type"))
    assert [q.stage for q in entry.english.spin] == [q.stage for q in entry.spin]
    assert entry.english.spin[0].ask == "Q0?"
    with pytest.raises(PlaybookError, match="spin"):
        short = {**client_type, "en": {**client_type["en"], "spin": client_type["en"]["spin"][:3]}}
        read_entries(write(tmp_path, short, kind="client_type"))


def _english_text(entry: Entry) -> list[str]:
    """The texts an entry's English version gives (its en: fields), SPIN questions included."""
    from bot.agent.playbook_files import ENGLISH_FIELDS
    from bot.agent.playbooks import SpinQuestion

    texts: list[str] = []
    for name in ENGLISH_FIELDS[entry.kind]:
        value = getattr(entry, name)
        items = value if isinstance(value, tuple) else (value,)
        texts += [t for item in items
                  for t in ((item.ask, item.probes) if isinstance(item, SpinQuestion) else (item,))]
    return texts


def test_english_versions_write_chinese_only_in_parentheses() -> None:
    # "large-denomination CD (大额存单)" helps an adviser in China; a Chinese sentence left in is a slip.
    import re

    outside = re.compile(r"[（(][^()（）]*[)）]|\{\w+(\|[^{}]*)?\}")
    slips = [(e.id, t) for e in load_playbooks().entries if e.english is not None
             for t in _english_text(e.english) if re.search(r"[\u4e00-\u9fff]", outside.sub("", t))]
    assert slips == []


def test_english_talk_tracks_pass_the_compliance_patterns_unchanged() -> None:
    # The patterns read every answer, reviewed ones included: a warning written so that it reads as a
    # promise ("…, can't lose or are risk-free" after a comma) would be cut out of the adviser's answer.
    from bot.agent.guardrails import Guardrails, split_sentences

    library = load_playbooks()
    guard = Guardrails.load(product_risk=library.product_risk)
    tripped = [(e.id, t) for e in library.entries if e.english is not None for t in _english_text(e.english)
               if any(guard.violating(split_sentences(t), semantic=False))]
    assert tripped == []
