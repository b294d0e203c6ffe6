"""Query expansion: English -> Chinese terms, and Chinese domain synonyms (knowledge/synonyms.yaml).

The material is Chinese. multilingual-e5-small matches English to Chinese only loosely, and BM25 over
Chinese tokens not at all, so an adviser typing "family trust for business owners" would miss passages
a Chinese query finds. Adding the Chinese terms of the wealth-management words in the query fixes both
rankings. Longest phrases first, so "family trust" gives 家族信托 and not 家庭 + 信托.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GLOSSARY: dict[str, str] = {
    "high net worth": "高净值", "high-net-worth": "高净值", "hnw": "高净值", "hnwi": "高净值",
    "family trust": "家族信托", "insurance trust": "保险金信托", "asset allocation": "资产配置",
    "wealth management": "财富管理", "relationship manager": "客户经理", "financial adviser": "理财经理",
    "financial advisor": "理财经理", "business owner": "企业主", "business owners": "企业主",
    "needs discovery": "需求挖掘", "follow up": "跟进", "follow-up": "跟进", "risk tolerance": "风险承受能力",
    "risk level": "风险等级", "nine-grid": "九宫格", "nine grid": "九宫格", "9-grid": "九宫格",
    "private banking": "私人银行", "private equity": "私募股权", "principal protection": "保本",
    "principal-protected": "保本", "cross-border": "跨境", "time deposit": "定期存款",
    "client": "客户", "clients": "客户", "customer": "客户", "customers": "客户", "objection": "异议",
    "objections": "异议", "familiarity": "熟悉程度", "emotion": "情绪", "emotions": "情绪",
    "sentiment": "情绪", "resistant": "抗拒", "neutral": "中立", "positive": "积极", "fund": "基金",
    "funds": "基金", "insurance": "保险", "annuity": "年金", "trust": "信托", "trusts": "信托",
    "deposit": "存款", "deposits": "存款", "inheritance": "传承", "succession": "传承", "tax": "税务",
    "retirement": "养老", "retiree": "退休", "retirees": "退休", "pension": "养老金", "education": "教育金",
    "risk": "风险", "return": "收益", "returns": "收益", "yield": "收益", "tier": "分层", "tiers": "分层",
    "segmentation": "分层", "cadence": "频率", "visit": "拜访", "visits": "拜访", "meeting": "面谈",
    "icebreaker": "破冰", "rapport": "信任", "trust-building": "信任", "referral": "转介绍",
    "referrals": "转介绍", "salon": "沙龙", "marketing": "营销", "service": "服务", "liquidity": "流动性",
    "volatility": "波动", "loss": "亏损", "losses": "亏损", "private": "私募", "stock": "股票",
    "stocks": "股票", "bond": "债券", "bonds": "债券", "wealth": "财富", "asset": "资产", "assets": "资产",
    "protection": "保障", "isolation": "隔离", "course": "课程", "training": "培训", "spin": "SPIN",
}
_PHRASES = sorted(GLOSSARY, key=len, reverse=True)
_PATTERN = re.compile(r"(?<![a-z])(" + "|".join(re.escape(p) for p in _PHRASES) + r")(?![a-z])")


def expand_query(query: str) -> str:
    """The query with the Chinese terms of its English words appended (unchanged when none match)."""
    found: list[str] = []
    for match in _PATTERN.finditer(query.lower()):
        term = GLOSSARY[match.group(1)]
        if term not in found and term not in query:
            found.append(term)
    return f"{query} {' '.join(found)}" if found else query


# --- Chinese domain synonyms (knowledge/synonyms.yaml, reviewed data) ------------------------------
SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.yaml"


class SynonymMap:
    """Words of one group stand for each other: a query naming one also searches the others."""

    def __init__(self, groups: list[list[str]]) -> None:
        self._group_of: dict[str, list[str]] = {}
        for group in groups:
            words = [str(w).strip() for w in group if str(w).strip()]
            for word in words:
                self._group_of.setdefault(word.lower(), []).extend(w for w in words if w != word)
        terms = sorted(self._group_of, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None

    @classmethod
    def from_file(cls, path: Path) -> SynonymMap:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(list(data.get("groups") or []))

    def expansions(self, query: str) -> list[str]:
        """The other words of every group the query names (longest match first), none already in it."""
        if self._pattern is None:
            return []
        found: list[str] = []
        for match in self._pattern.finditer(query):
            for word in self._group_of[match.group().lower()]:
                if word not in found and word.lower() not in query.lower():
                    found.append(word)
        return found


@lru_cache(maxsize=1)
def default_synonyms() -> SynonymMap:
    return SynonymMap.from_file(SYNONYMS_FILE)
