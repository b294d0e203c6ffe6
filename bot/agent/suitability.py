"""Suitability (适当性): a client's risk level (C1-C5) against a product's (R1-R5).

"客户C2想买R4的私募怎么说" is answered as a suitability case, not as a generic knowledge search:
the rule (a product's R level may not exceed the client's C level), what to say, what never to do.
Levels come from the question itself, or from the tracker when the client is known there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.agent.composer import Context, Draft, Request
from bot.agent.playbooks import Playbooks, most_specific
from bot.agent.slots import AGE_RE
from bot.agent.sources import source_of, unique
from bot.tracker.lexicon import RISK_TYPE_PATTERN, RISK_TYPES

_PRODUCT_LEVEL_RE = re.compile(r"(?<![A-Za-z])R([1-5])(?![0-9])", re.I)
_CLIENT_LEVEL_RE = re.compile(r"(?<![A-Za-z0-9])C\s?([1-5])(?![0-9])", re.I)
# Some banks write the client's level with an R too ("客户测评R2 非要买R4的基金"): an R level right after
# the assessment or the client is the client's; the product's is another one.
_CLIENT_R_LEVEL_RE = re.compile(r"(测评|风评|评估|客户的?(风险)?(等级|测评)?)(结果)?(是|为|只有|才|只)?\s?"
                                r"R(?P<level>[1-5])(?![0-9])", re.I)
CLIENT_TYPES = {1: "保守型", 2: "谨慎型", 3: "稳健型", 4: "积极型", 5: "激进型"}
# Regulators and banks treat clients from 65 on as elderly: matching levels is then not enough.
ELDERLY_AGE = 65
_ELDERLY_WORDS_RE = re.compile(r"(高龄|老年|老人|老太太|老太|老爷子|老大爷|大爷|老奶奶|老两口|elderly)", re.I)
_CHINESE_DECADES = {"六": 60, "七": 70, "八": 80, "九": 90}
# What retrieve searches for, to cite the course on suitability.
KNOWLEDGE_QUERY = "客户风险承受能力 产品风险等级 相匹配 保守型客户只能配置中低风险产品"


@dataclass(frozen=True)
class SuitabilityCase:
    client_level: int
    product_level: int
    product: str  # what the adviser called it ("私募", or "R4 产品")
    client: str | None
    elderly: str | None = None  # how the question says the client is elderly ("80岁", "老太太")

    @property
    def suitable(self) -> bool:
        return self.product_level <= self.client_level


def client_level_in(text: str) -> str | None:
    """The client's level a question states (C1-C5 or 保守型 ..., or an R level written right after the
    assessment or the client). Any other "R4" in a question is the product's level."""
    named = RISK_TYPE_PATTERN.search(text)
    if named:
        return RISK_TYPES[named[0]]
    code = _CLIENT_LEVEL_RE.search(text)
    if code:
        return f"C{code[1]}"
    written_as_r = _CLIENT_R_LEVEL_RE.search(text)  # neither a named type nor a C level came first
    return f"C{written_as_r['level']}" if written_as_r else None


def _client_r_level(text: str) -> re.Match[str] | None:
    """The client's level written as an R, when the question gives it no other way."""
    if RISK_TYPE_PATTERN.search(text) or _CLIENT_LEVEL_RE.search(text):
        return None
    return _CLIENT_R_LEVEL_RE.search(text)


def product_in(text: str, product_risk: dict[str, str]) -> tuple[str, int] | None:
    """The most specific product named in `text` with its typical R level, or an explicit "R4" (not the
    client's own level written as an R)."""
    clients = _client_r_level(text)
    explicit = next((m for m in _PRODUCT_LEVEL_RE.finditer(text)
                     if clients is None or m.start(1) != clients.start("level")), None)
    named = most_specific([name for name in product_risk if name in text])
    if explicit:
        label = named[0] if named else "这类产品"
        return label, int(explicit.group(1))
    if not named:
        return None
    levels = {n: int(product_risk[n][1]) for n in named}
    riskiest = max(levels, key=levels.get)
    return riskiest, levels[riskiest]


def elderly_in(text: str) -> str | None:
    """How `text` says the client is 65 or older ("80岁", "七十多", "高龄"), or None."""
    for age in AGE_RE.finditer(text):
        said = age.group(0)
        years = int(age.group(1)) if age.group(1) else _CHINESE_DECADES.get(said[0], 0)
        if years >= ELDERLY_AGE:
            return said
    word = _ELDERLY_WORDS_RE.search(text)
    return word.group(0) if word else None


def find_case(text: str, product_risk: dict[str, str], *, client: str | None = None,
              client_level: str | None = None) -> SuitabilityCase | None:
    """The case a question states: a product (or an R level) and the client's level (from the question,
    else `client_level` from the tracker)."""
    product = product_in(text, product_risk)
    level = client_level_in(text) or client_level
    if product is None or level is None:
        return None
    return SuitabilityCase(client_level=int(level[1]), product_level=product[1], product=product[0],
                           client=client, elderly=elderly_in(text))


def compose_suitability(case: SuitabilityCase) -> str:
    """The answer body (the caller adds the sources)."""
    c, r = f"C{case.client_level}", f"R{case.product_level}"
    who = case.client or "客户"
    kind = f"{c}（{CLIENT_TYPES[case.client_level]}）"
    if case.suitable and case.elderly and case.product_level >= 3:
        lines = [f"【适当性】看情况。{who}的风险等级是 {kind}，{case.product}一般为 {r}，等级上不冲突；"
                 f"但客户是高龄客户（{case.elderly}），不能只看等级就直接卖，要按高龄客户的规定更严地办：",
                 "1. 先查本行对高龄客户买中高风险产品的规定（年龄线、可买的风险等级上限、是否要家属陪同或"
                 "主管复核），有限制的照本行执行。",
                 "2. 测评要真实反映他的年龄、收入来源和投资经验；问清这笔钱是不是养老、看病要用的钱，"
                 "先留足这部分。",
                 "3. 用大白话讲清最坏会亏多少、多久不能取，请他自己复述一遍，确认真懂。",
                 "4. 全程双录（录音录像），过程记进客户档案；不承诺保本或收益。"]
    elif case.suitable:
        lines = [f"【适当性】{who}的风险等级是 {kind}，{case.product}一般为 {r}，不高于客户等级：可以推荐。",
                 "但仍要做到：",
                 "1. 以这只产品的正式风险评级为准（同类产品评级可能不同），评级高于客户等级就不能卖。",
                 "2. 讲清收益来源、可能的亏损和期限、赎回限制，不承诺保本或收益。",
                 "3. 单一产品不要占客户资产太大比例，放进整体配置里讲。"]
    else:
        lines = [f"【适当性】{who}的风险等级是 {kind}，{case.product}一般为 {r}，高于客户等级："
                 "不能推荐，也不能办理。",
                 "产品风险等级不得高于客户的风险承受能力等级，这是适当性管理的底线；卖了之后出现亏损，"
                 "责任在银行和你。",
                 "可以这样说：",
                 f"1. “您对这类产品感兴趣我理解，收益弹性确实更大。但按您的风险测评结果（{c}），"
                 "它的风险超出了您能承受的范围，我不能给您办理。”",
                 f"2. “我们可以在{c}以内的产品里配一个稳健的底仓，再看看收益和流动性怎么平衡，"
                 "我给您做个对比。”",
                 "3. “如果您的财务状况或投资经验确实变了，可以按流程重新做一次风险测评，"
                 "以测评结果为准。”",
                 "不要做：引导客户改测评答案、拆单、代客户填写或签字、先买后评；重新测评必须如实并留痕。",
                 "客户写承诺书、签“自愿购买、后果自负”也不行：适当性是银行的义务，客户的声明免不了。"]
        if case.elderly:
            lines.append(f"客户是高龄客户（{case.elderly}）：就算重新测评，也要按本行对高龄客户的规定办，"
                         "全程双录，先留足养老和看病的钱。")
    return "\n".join(lines)


def suitability_draft(request: Request, context: Context, playbooks: Playbooks) -> Draft:
    """The suitability answer, citing the course passages on matching risk levels when retrieve found any."""
    profile = context.profile.profile if context.profile else None
    case = find_case(request.text, playbooks.product_risk, client=request.route.client,
                     client_level=profile.summary.risk_level if profile else None)
    if case is None:
        return Draft("要判断能不能推荐，需要客户的风险等级（C1-C5）和产品的风险等级（R1-R5）。"
                     "告诉我这两个，我直接告诉你行不行。")
    return Draft(compose_suitability(case), unique(source_of(h) for h in context.passages[:2]))
