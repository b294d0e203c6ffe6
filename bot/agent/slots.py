"""Slots a talk track is filled with, read from the adviser's question: the product, amount, client,
age, rate and risk level they mention, so two different questions never get the same text.

Talk-track lines write a slot as `{name|default}`: "{product|这类产品}" reads "私募" when the adviser
said so, else "这类产品".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.agent.tools import format_cny
from bot.tracker.amounts import first_amount
from bot.tracker.lexicon import PRODUCT_PATTERN, products_named

CHINESE_LABELS = ("客户", "行业", "产品", "金额", "年龄", "利率/收益", "风险等级")
ENGLISH_LABELS = ("client", "line of business", "product", "amount", "age", "rate/return", "risk level")
SLOT_RE = re.compile(r"\{(\w+)(?:\|([^{}]*))?\}")
# An age as advisers write it: "55岁", "七十多", "82 years old", "aged 82", "78了" standing alone between
# spaces (the years in group 1, 2 or 3).
AGE_RE = re.compile(r"(\d{2})\s*(?:岁|多岁|来岁|-?\s?years?[- ]old)|(?:(?<=aged )|(?<=age ))(\d{2})\b|"
                    r"(?<=[\s，,])(\d{2})了(?=$|[\s，,。])|(?:七|八|六|五|九)十[多几]", re.I)
RATE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|个点|厘)")


@dataclass(frozen=True)
class Slots:
    product: str | None = None
    amount: str | None = None  # as the adviser would say it: "50万"
    client: str | None = None  # a named client, else the client type ("医生")
    age: str | None = None
    rate: str | None = None
    risk: str | None = None
    industry: str | None = None  # the client's line of business (养殖, 外贸 ...)
    extra: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        return getattr(self, name, None) if name in self.__dataclass_fields__ else self.extra.get(name)

    def described(self, english: bool = False) -> str:
        """The situation in a few words, for the opening line: "（客户：医生，产品：年金，金额：50万）"."""
        values = (self.client, self.industry, self.product, self.amount, self.age, self.rate, self.risk)
        labels = ENGLISH_LABELS if english else CHINESE_LABELS
        colon = ": " if english else "："
        parts = [f"{label}{colon}{value}" for label, value in zip(labels, values, strict=True) if value]
        if not parts:
            return ""
        return f" ({', '.join(parts)})" if english else "（" + "，".join(parts) + "）"


def read_slots(text: str, *, client: str | None = None, client_type: str | None = None,
               industry: str | None = None, english: bool = False) -> Slots:
    """`english`: the talk track will be the English one, so a product keeps the adviser's English word."""
    product = PRODUCT_PATTERN.search(text)
    amount = first_amount(text)
    age = AGE_RE.search(text)
    rate = RATE_RE.search(text)
    risk = re.search(r"(?<![A-Za-z])([CR][1-5])(?![0-9])", text, re.I)
    return Slots(product=_product_as_said(product.group(0), english) if product else None,
                 amount=(f"{amount:,} yuan" if english else format_cny(amount)) if amount else None,
                 client=client or client_type,
                 age=_age(age, english),
                 rate=rate.group(0) if rate else None,
                 risk=risk.group(1).upper() if risk else None, industry=industry)


def fill(template: str, slots: Slots) -> str:
    """A talk-track line with its slots filled (or their defaults)."""
    def replace(match: re.Match) -> str:
        return slots.value(match.group(1)) or (match.group(2) or "")

    return SLOT_RE.sub(replace, template)


def age_in_years(found: re.Match) -> str | None:
    """The years of an AGE_RE match written in digits ("82"), else None ("七十多")."""
    return found.group(1) or found.group(2) or found.group(3)


def _age(found: re.Match | None, english: bool) -> str | None:
    if found is None:
        return None
    years = age_in_years(found)
    return years + ("" if english else "岁") if years else found.group(0)


def _product_as_said(form: str, english: bool) -> str:
    """The product as the adviser wrote it: a talk track says 增额寿 when they did, and 基金 for "funds" in a
    Chinese talk track (an English word in its lines reads as a slip); an English one keeps "funds"."""
    return products_named(form)[0] if form.isascii() and not english else form
