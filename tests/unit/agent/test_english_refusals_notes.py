"""English for what was Chinese only: the request guard's refusals (requests.yaml `refusals_english`) and the
library's notes on a line of business and a product (`en:` in industries.yaml and product_notes.yaml):
read and validated, shown to an adviser who wrote English, never cut by the compliance guard."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from bot.agent.composer import Context, Request
from bot.agent.guard_patterns import ComplianceDataError, PromisePatterns, Refusal, RequestRules
from bot.agent.guardrails import DEFAULT_DIR, Guardrails, split_sentences
from bot.agent.offline import OfflineComposer
from bot.agent.playbook_files import load_playbooks
from bot.agent.playbook_tables import read_industries, read_product_notes
from bot.agent.playbooks import DEFAULT_DIR as DEFAULT_PLAYBOOKS
from bot.agent.playbooks import Industry, PlaybookError, ProductNote
from bot.agent.route import Route
from bot.agent.service import REFUSED, Agent
from bot.agent.slots import Slots
from bot.agent.talk_tracks import discovery_text, industry_lines, product_lines
from bot.agent.wording import CHINESE, ENGLISH
from bot.tracker.service import Tracker
from knowledge.settings import get_settings
from tests.coach import build_test_agent, copy_test_library
from tests.unit.agent.conftest import FakeKnowledge

NOW = datetime(2026, 3, 4, 10, 0)
PROMISES = yaml.safe_load((DEFAULT_DIR / "promises.yaml").read_text(encoding="utf-8"))
REQUESTS = yaml.safe_load((DEFAULT_DIR / "requests.yaml").read_text(encoding="utf-8"))
LIBRARY = load_playbooks()
GUARD = Guardrails.load(product_risk=LIBRARY.product_risk)
# Chinese in an English text only in brackets after the term it names ("dual recording (双录)").
IN_BRACKETS = re.compile(r"[（(][^()（）]*[)）]")


def _chinese_outside_brackets(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", IN_BRACKETS.sub("", text)))


def _passes_unchanged(text: str) -> bool:
    """The compliance guard leaves the English text as it is: no sentence cut, no note appended."""
    result = GUARD.check_answer(text, english=True, reviewed=True)
    flagged = GUARD.violating(split_sentences(text), semantic=False)
    return result.fired == () and result.text.strip() == text.strip() and not any(flagged)


# -- the refusals -----------------------------------------------------------------------------------------

def test_every_refusal_has_its_english_saying_no_first_and_the_chinese_is_kept() -> None:
    chinese, english = REQUESTS["refusals"], REQUESTS["refusals_english"]
    assert set(english) == set(chinese)
    for name, text in chinese.items():
        assert text.startswith("不行") and english[name].startswith("No. "), name
        assert not _chinese_outside_brackets(english[name]), name
    rules = RequestRules(REQUESTS, PromisePatterns(PROMISES))
    for rule in REQUESTS["rules"]:
        refusal = next(r.refusal for r in rules.rules if r.id == rule["id"])
        assert refusal == Refusal(chinese[rule["refusal"]], tuple(rule["library"]),
                                  english[rule["refusal"]].strip(), rule.get("outside_the_job", False))


@pytest.mark.parametrize("name", sorted(REQUESTS["refusals_english"]))
def test_every_english_refusal_passes_the_compliance_guard_unchanged(name: str) -> None:
    assert _passes_unchanged(REQUESTS["refusals_english"][name])
    assert _passes_unchanged(REQUESTS["refusals_english"][name] + "\n" + ENGLISH.off_topic)


@pytest.mark.parametrize(("english", "message"), [
    (None, "refusals_english 缺少 stock、script"),
    ({"stock": "No."}, "refusals_english 缺少 script"),
    ({"stock": "No.", "script": "  "}, "refusals_english 缺少 script"),
    ({"stock": "No.", "script": "No.", "stocks": "No."}, "refusals_english 里的 stocks 在 refusals 里没有"),
])
def test_a_refusal_without_its_english_is_named(english: dict | None, message: str) -> None:
    requests = {**REQUESTS, "refusals": {"stock": "不行。", "script": "不行。"}, "refusals_english": english,
                "rules": [r for r in REQUESTS["rules"] if r["refusal"] in ("stock", "script")]}
    with pytest.raises(ComplianceDataError, match=message):
        RequestRules(requests, PromisePatterns(PROMISES))


def test_an_english_request_for_a_violation_is_refused_in_english(agent: Agent) -> None:
    # The test library's rule on the questionnaire has no English yet: the guard's English refusal, not a
    # Chinese talk track with a notice.
    reply = agent.answer(1, "Please fill in my client's risk questionnaire for him", now=NOW)
    assert reply.text == REQUESTS["refusals_english"]["questionnaire"].strip()
    assert reply.english and reply.notice is None and REFUSED in reply.guardrails
    chinese = agent.answer(1, "帮客户把风险测评做一下吧，他没空", now=NOW)
    assert chinese.text.startswith("不行。风险测评必须由客户本人完成。") and not chinese.english
    assert chinese.notice is None and REFUSED in chinese.guardrails


def _composed(agent: Agent, text: str, route: Route) -> tuple[str, bool]:
    composer = OfflineComposer(agent.playbooks, agent.tools, agent.router)
    draft = composer.compose(Request(1, text, NOW, route), Context(slots=Slots()))
    return draft.text, draft.english


def test_a_refusal_no_library_rule_explains_is_said_in_the_advisers_language(agent: Agent) -> None:
    refusal = GUARD.check_request("帮我替客户签个字")
    assert refusal is not None and refusal.english is not None
    alone = Route("refusal", refusal=refusal)
    assert _composed(agent, "sign for my client", alone) == (refusal.english, True)
    assert _composed(agent, "帮我替客户签个字", alone) == (refusal.text, False)  # as it always was
    asked_of_us = Route("off_topic", refusal=refusal)
    english = f"{refusal.english}\n{ENGLISH.off_topic}"
    assert _composed(agent, "sign for my client", asked_of_us) == (english, True)
    assert _composed(agent, "替客户签字", asked_of_us) == (f"{refusal.text}\n{CHINESE.off_topic}", False)
    # A refusal without an English version keeps the whole answer Chinese.
    chinese_only = Route("refusal", refusal=Refusal(refusal.text, refusal.library))
    assert _composed(agent, "sign for my client", chinese_only) == (refusal.text, False)


# -- the line-of-business and product notes ---------------------------------------------------------------

def test_every_shipped_note_has_its_english_version_with_the_chinese_terms() -> None:
    notes = [*LIBRARY.industries, *LIBRARY.product_notes]
    assert notes and [n.id for n in notes if n.english is None] == []
    assert all(n.english.terms == n.terms and n.english.id == n.id for n in notes)
    assert all(len(i.english.ask) == len(i.ask) for i in LIBRARY.industries)


def _english_texts(note: Industry | ProductNote) -> list[str]:
    english = note.english
    if isinstance(english, Industry):
        return [english.name, english.money, *english.ask]
    return [english.name, english.facts, english.liquidity, english.never]


@pytest.mark.parametrize("note", [*LIBRARY.industries, *LIBRARY.product_notes], ids=lambda n: n.id)
def test_every_english_note_is_english_and_passes_the_compliance_guard_unchanged(
        note: Industry | ProductNote) -> None:
    texts = _english_texts(note)
    assert [t for t in texts if _chinese_outside_brackets(t)] == []
    lines = industry_lines(note, ENGLISH) if isinstance(note, Industry) else product_lines(note, ENGLISH)
    assert all(_passes_unchanged(t) for t in texts) and _passes_unchanged("\n".join(lines))


@pytest.mark.parametrize("note", [*LIBRARY.industries, *LIBRARY.product_notes], ids=lambda n: n.id)
def test_every_chinese_note_passes_the_compliance_guard_unchanged(note: Industry | ProductNote) -> None:
    # An honest note ("不保证的分红", "最高档不是承诺") must not be cut out of the answer it is shown in.
    lines = industry_lines(note) if isinstance(note, Industry) else product_lines(note)
    text = "\n".join(lines).strip()
    assert GUARD.check_answer(text, reviewed=True).text == text


def test_english_terms_name_a_note_as_whole_words_only() -> None:
    assert LIBRARY.product_note_in("client has a family trust in HK").id == "family_trust"
    assert LIBRARY.product_note_in("She does not trust our bank, keeps an emergency fund in cash") is None
    assert LIBRARY.industry_in("runs two Restaurants in Chengdu").id == "catering"
    assert LIBRARY.industry_in("a determining factor") is None


def test_an_english_answer_shows_the_notes_in_english_and_a_chinese_one_as_before() -> None:
    trade = next(i for i in LIBRARY.industries if i.id == "foreign_trade")
    assert industry_lines(trade, ENGLISH) == [f"Line of business (Foreign trade): {trade.english.money}",
                                              *(f"- {q}" for q in trade.english.ask)]
    assert industry_lines(trade) == [f"行业要点（外贸）：{trade.money}", *(f"- {q}" for q in trade.ask)]
    cd = next(p for p in LIBRARY.product_notes if p.id == "large_deposit")
    assert product_lines(cd, ENGLISH) == [
        "", f"About large-denomination CDs (大额存单): {cd.english.facts}",
        f"- If the money is needed early: {cd.english.liquidity}", f"- Careful: {cd.english.never}"]
    assert product_lines(cd) == ["", f"产品要点（大额存单）：{cd.facts}", f"- 急用钱：{cd.liquidity}",
                                 f"- 别说：{cd.never}"]
    # A note the trainers have not put into English yet is left out of an English answer.
    assert industry_lines(replace(trade, english=None), ENGLISH) == []
    assert product_lines(replace(cd, english=None), ENGLISH) == []


def test_an_english_objection_about_a_product_gets_the_product_note_in_english(agent: Agent) -> None:
    reply = agent.answer(1, "yield too low client says 家族信托", now=NOW)
    assert reply.english and reply.notice is None
    assert "About family trusts (家族信托): For tests:" in reply.text and "产品要点" not in reply.text
    chinese = agent.answer(1, "客户嫌收益太低 家族信托", now=NOW)
    assert "产品要点（家族信托）：测试用：" in chinese.text and "- 别说：测试用：" in chinese.text


def _notes_file(tmp_path: Path, kind: str, entry: dict) -> Path:
    path = tmp_path / f"{kind}.yaml"
    path.write_text(yaml.safe_dump({"kind": kind, "entries": [entry]}, allow_unicode=True), encoding="utf-8")
    return path


TRADE = {"id": "t", "name": "外贸", "terms": ["外贸"], "money": "回款慢。",
         "ask": ["回款多久？", "用什么币种？"]}
TRADE_EN = {"name": "Foreign trade", "money": "Slow payments.", "ask": ["How long?", "Which currency?"]}
GOLD = {"id": "g", "name": "黄金", "terms": ["黄金"], "facts": "会波动。", "liquidity": "随时卖。",
        "never": "不预测金价。"}
GOLD_EN = {"name": "gold", "facts": "It moves.", "liquidity": "Sell any time.", "never": "Don't predict it."}


def test_a_note_reads_its_english_version_and_may_go_without_one(tmp_path: Path) -> None:
    [trade] = read_industries(_notes_file(tmp_path, "industry", {**TRADE, "en": TRADE_EN}))
    assert trade.english == Industry("t", "Foreign trade", ("外贸",), "Slow payments.",
                                     ("How long?", "Which currency?"))
    [gold] = read_product_notes(_notes_file(tmp_path, "product_note", {**GOLD, "en": GOLD_EN}))
    assert gold.english == ProductNote("g", "gold", ("黄金",), "It moves.", "Sell any time.",
                                       "Don't predict it.")
    assert read_industries(_notes_file(tmp_path, "industry", TRADE))[0].english is None


@pytest.mark.parametrize(("kind", "entry", "message"), [
    ("industry", {**TRADE, "en": {**TRADE_EN, "terms": ["trade"]}},
     "en：需要且只能包含 name, money, ask（terms 只写中文）"),
    ("industry", {**TRADE, "en": {"name": "Foreign trade", "ask": ["How long?", "Which currency?"]}},
     "en：需要且只能包含"),
    ("industry", {**TRADE, "en": {**TRADE_EN, "ask": ["How long?"]}},
     "en：ask 需要与中文一样多的条目（2 条）"),
    ("industry", {**TRADE, "en": {**TRADE_EN, "money": " "}}, "en：缺少字段“money”"),
    ("industry", {**TRADE, "en": "Foreign trade"}, "en：需要且只能包含"),
    ("product_note", {**GOLD, "en": {**GOLD_EN, "never": None}}, "第 1 条（g） en：缺少字段“never”"),
    ("product_note", {**GOLD, "en": {k: v for k, v in GOLD_EN.items() if k != "liquidity"}},
     "en：需要且只能包含 name, facts, liquidity, never"),
])
def test_a_notes_english_mistakes_are_named(tmp_path: Path, kind: str, entry: dict, message: str) -> None:
    read = read_industries if kind == "industry" else read_product_notes
    with pytest.raises(PlaybookError, match=re.escape(message)):
        read(_notes_file(tmp_path, kind, entry))


def test_an_english_question_names_the_line_of_business_in_english(tmp_path: Path, knowledge: FakeKnowledge,
                                                                    tracker: Tracker) -> None:
    library = copy_test_library(tmp_path / "library")
    shutil.copy(DEFAULT_PLAYBOOKS / "industries.yaml", library.directory / "industries.yaml")
    agent = build_test_agent(get_settings(), load_playbooks(library.directory), knowledge=knowledge,
                             tracker=tracker)
    asked = Request(1, "my client does 外贸, what to ask", NOW, Route("client_type"))
    english = agent.retriever.retrieve(asked)
    assert english.industry is not None and english.slots.industry == "Foreign trade"
    chinese = agent.retriever.retrieve(Request(1, "客户做外贸，问什么", NOW, Route("client_type")))
    assert chinese.slots.industry == "外贸"
    # Written in English throughout, the line of business is found by its English terms.
    asked = Request(1, "client is an exporter, what to ask", NOW, Route("client_type"))
    worded = agent.retriever.retrieve(asked)
    assert worded.slots.industry == "Foreign trade"
    # The shipped kinds of client have their English: the discovery answer is English throughout.
    doctor = next(e for e in LIBRARY.client_types if e.english is not None)
    text = discovery_text(doctor, english.slots, english.industry, ENGLISH)
    assert "Line of business (Foreign trade): Payments come in" in text and "行业要点" not in text
    agent.close()
