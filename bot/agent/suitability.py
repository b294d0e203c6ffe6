"""Suitability (适当性): a client's risk level (C1-C5) against a product's (R1-R5).

"客户C2想买R4的私募怎么说" is answered as a suitability case, not as a generic knowledge search:
the rule (a product's R level may not exceed the client's C level), what to say, what never to do.
Levels come from the question itself, or from the tracker when the client is known there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.agent.composer import Context, Draft, Request
from bot.agent.playbooks import Playbooks, SuitabilityAnswers, most_specific
from bot.agent.slots import AGE_RE, age_in_years
from bot.agent.sources import source_of, unique
from bot.tracker.lexicon import RISK_TYPE_PATTERN, RISK_TYPES

_PRODUCT_LEVEL_RE = re.compile(r"(?<![A-Za-z])R([1-5])(?![0-9])", re.I)
_CLIENT_LEVEL_RE = re.compile(r"(?<![A-Za-z0-9])C\s?([1-5])(?![0-9])", re.I)
# Some banks write the client's level with an R too ("客户测评R2 非要买R4的基金"): an R level right after
# the assessment or the client is the client's; the product's is another one.
_CLIENT_R_LEVEL_RE = re.compile(r"(测评|风评|评估|客户的?(风险)?(等级|测评)?)(结果)?(是|为|只有|才|只)?\s?"
                                r"R(?P<level>[1-5])(?![0-9])", re.I)
# Regulators and banks treat clients from 65 on as elderly: matching levels is then not enough.
ELDERLY_AGE = 65
_ELDERLY_WORDS_RE = re.compile(r"(高龄|老年|老人|老太太|老太|老爷子|老大爷|大爷|老奶奶|老两口|老干部|"
                               r"elderly)", re.I)
_CHINESE_DECADES = {"六": 60, "七": 70, "八": 80, "九": 90}
# What retrieve searches for, to cite the course on suitability.
KNOWLEDGE_QUERY = "客户风险承受能力 产品风险等级 相匹配 保守型客户只能配置中低风险产品"


@dataclass(frozen=True)
class SuitabilityCase:
    client_level: int
    product_level: int
    product: str  # what the adviser called it ("私募"), or "" when they gave only its R level
    client: str | None
    elderly: str | None = None  # how the question says the client is elderly ("80岁", "老太太")
    insists: bool = False  # the question says the client insists on buying it ("非要买", "签字自愿")

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
    client's own level written as an R) with the product named if it is, else ""."""
    clients = _client_r_level(text)
    explicit = next((m for m in _PRODUCT_LEVEL_RE.finditer(text)
                     if clients is None or m.start(1) != clients.start("level")), None)
    named = most_specific([name for name in product_risk if name in text])
    if explicit:
        return (named[0] if named else ""), int(explicit.group(1))  # "": the answer says "这类产品"
    if not named:
        return None
    levels = {n: int(product_risk[n][1]) for n in named}
    riskiest = max(levels, key=levels.get)
    return riskiest, levels[riskiest]


def elderly_in(text: str) -> str | None:
    """How `text` says the client is 65 or older ("80岁", "七十多", "高龄"), or None."""
    for age in AGE_RE.finditer(text):
        said = age.group(0)
        digits = age_in_years(age)
        years = int(digits) if digits else _CHINESE_DECADES.get(said[0], 0)
        if years >= ELDERLY_AGE:
            return said
    word = _ELDERLY_WORDS_RE.search(text)
    return word.group(0) if word else None


def find_case(text: str, product_risk: dict[str, str], *, client: str | None = None,
              client_level: str | None = None, insists: Sequence[str] = ()) -> SuitabilityCase | None:
    """The case a question states: a product (or an R level) and the client's level (from the question,
    else `client_level` from the tracker); `insists`: words saying the client insists on it."""
    product = product_in(text, product_risk)
    level = client_level_in(text) or client_level
    if product is None or level is None:
        return None
    return SuitabilityCase(client_level=int(level[1]), product_level=product[1], product=product[0],
                           client=client, elderly=elderly_in(text),
                           insists=any(word in text.lower() for word in insists))


def compose_suitability(case: SuitabilityCase, words: SuitabilityAnswers) -> str:
    """The answer body (the caller adds the sources), in the words of `words` (Chinese or English)."""
    slots = {"who": case.client or words.client, "product": case.product or words.product,
             "elderly": case.elderly or "",
             "product_level": f"R{case.product_level}", "client_level": f"C{case.client_level}"}
    slots["level"] = words.level.format(client_level=slots["client_level"],
                                        client_type=words.client_types[case.client_level])
    if case.suitable and case.elderly and case.product_level >= 3:
        lines = words.elderly_suitable
    elif case.suitable:
        lines = words.suitable + ((words.suitable_elderly,) if case.elderly else ())
    elif case.insists and case.client_level > 1 and case.product in (*words.insist_products, ""):
        # A fund-type product (or one given only by its R level) the client asks for anyway: allowed after a
        # special written warning under the securities suitability rules; never for the lowest level, never
        # a bank wealth-management product (the answer says which is which).
        lines = words.insisted + ((words.insisted_elderly,) if case.elderly else ())
    else:
        lines = words.unsuitable + ((words.unsuitable_elderly,) if case.elderly else ())
    return "\n".join(line.format(**slots) for line in lines)


def suitability_draft(request: Request, context: Context, playbooks: Playbooks) -> Draft:
    """The suitability answer, citing the course passages on matching risk levels when retrieve found any."""
    profile = context.profile.profile if context.profile else None
    words = playbooks.suitability["en" if request.english else "zh"]
    case = find_case(request.text, playbooks.product_risk, client=request.route.client,
                     client_level=profile.summary.risk_level if profile else None, insists=words.insists)
    if case is None:
        return Draft(words.missing, english=request.english)
    return Draft(compose_suitability(case, words), unique(source_of(h) for h in context.passages[:2]),
                 english=request.english)
