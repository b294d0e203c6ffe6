"""Suitability (适当性): a client's risk level (C1-C5) against a product's (R1-R5).

"客户C2想买R4的私募怎么说" is answered as a suitability case, not as a generic knowledge search:
the rule (a product's R level may not exceed the client's C level), what to say, what never to do.
Levels come from the question itself, or from the tracker when the client is known there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.agent.intents import extract_client_name
from bot.agent.playbooks import most_specific
from bot.agent.reply import Reply
from bot.tracker.parser import risk_level_in

_PRODUCT_LEVEL_RE = re.compile(r"(?<![A-Za-z])R([1-5])(?![0-9])", re.I)
CLIENT_TYPES = {1: "保守型", 2: "谨慎型", 3: "稳健型", 4: "积极型", 5: "激进型"}
KNOWLEDGE_QUERY = "客户风险承受能力 产品风险等级 相匹配 保守型客户只能配置中低风险产品"


@dataclass(frozen=True)
class SuitabilityCase:
    client_level: int
    product_level: int
    product: str  # what the adviser called it ("私募", or "R4 产品")
    client: str | None

    @property
    def suitable(self) -> bool:
        return self.product_level <= self.client_level


def product_in(text: str, product_risk: dict[str, str]) -> tuple[str, int] | None:
    """The most specific product named in `text` with its typical R level, or an explicit "R4"."""
    explicit = _PRODUCT_LEVEL_RE.search(text)
    named = most_specific([name for name in product_risk if name in text])
    if explicit:
        label = named[0] if named else "这类产品"
        return label, int(explicit.group(1))
    if not named:
        return None
    levels = {n: int(product_risk[n][1]) for n in named}
    riskiest = max(levels, key=levels.get)
    return riskiest, levels[riskiest]


def find_case(text: str, product_risk: dict[str, str], *, tools: Any = None,
              adviser_id: int | None = None) -> SuitabilityCase | None:
    product = product_in(text, product_risk)
    if product is None:
        return None
    client = extract_client_name(text)
    level = risk_level_in(text)
    if level is None and client and tools is not None:
        profile = tools.client_profile(adviser_id, client).profile
        level = profile.summary.risk_level if profile is not None else None
    if level is None:
        return None
    return SuitabilityCase(client_level=int(level[1]), product_level=product[1], product=product[0],
                           client=client)


def compose_suitability(case: SuitabilityCase) -> str:
    """The answer body (the caller adds the sources)."""
    c, r = f"C{case.client_level}", f"R{case.product_level}"
    who = case.client or "客户"
    kind = f"{c}（{CLIENT_TYPES[case.client_level]}）"
    if case.suitable:
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
                 "不要做：引导客户改测评答案、拆单、代客户填写或签字、先买后评；重新测评必须如实并留痕。"]
    return "\n".join(lines)


def search_hits(tools: Any) -> list:
    try:
        return tools.search_knowledge(KNOWLEDGE_QUERY, 3).hits
    except Exception:  # no knowledge base yet: the rule itself still answers
        return []


def suitability_reply(tools: Any, adviser_id: int, text: str, intent: str) -> Reply | None:
    """A suitability answer when `text` names a client risk level and a product, else None."""
    from bot.agent.offline import _with_sources, hit_sources

    case = find_case(text, tools.playbooks.product_risk, tools=tools, adviser_id=adviser_id)
    if case is None:
        return None
    sources = hit_sources(search_hits(tools)[:2])
    return Reply(intent=intent, text=_with_sources(compose_suitability(case), sources), sources=sources)
