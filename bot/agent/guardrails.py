"""Compliance guardrails on every answer, whatever wrote it (offline composer or an LLM).

- Never promise principal protection or returns unless the product is a deposit: the promising
  sentence is removed and a compliance line added. A sentence that warns against such promises
  ("不要承诺保本") is advice we want, and is left alone.
- When the client's risk level (C1-C5) is known and a product discussed is riskier (R above C): say so.
- Requests for misleading sales scripts or stock picks are refused with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PROMISE_TERMS = (
    "保本保息", "保本", "保收益", "保证收益", "保证回报", "保证本金", "稳赚", "稳赚不赔", "零风险",
    "无风险", "没有风险", "刚兑", "刚性兑付", "一定赚", "肯定赚", "包赚", "只赚不赔", "不会亏",
    "绝不亏", "保底收益", "承诺收益", "本金安全有保障", "guaranteed return", "risk-free",
)
# A promise term is negated when its own clause says so just before it ("不要承诺保本", "没有零风险的").
NEGATION_RE = re.compile(r"(不|没|勿|别|未|非|禁止|严禁|避免|谨防|警惕|误以为|以为|杜绝|拒绝)")
# Sentence-level markers: a question, or the deposit exception stated as a rule.
SENTENCE_EXCEPTIONS = ("？", "?", "吗", "除存款外", "除了存款", "合规提示")
INVESTMENT_WORDS = ("基金", "理财", "保险", "私募", "股票", "信托", "年金")
DEPOSIT_WORDS = ("存款", "大额存单", "定期", "储蓄", "存款保险")
COMPLIANCE_LINE = ("【合规提示】除存款外，任何理财、基金、保险投资部分都不能承诺保本或收益，"
                   "请如实告知产品风险。")
RISK_LINE = ("【适当性提示】客户风险等级为 {c}，{products} 的常见风险等级为 {r}，高于客户等级，"
             "不宜推荐；如客户坚持，须按适当性流程重新评估并留痕。")

SCRIPT_RE = re.compile(
    r"(夸大|隐瞒|(忽悠|骗|哄)(客户|他|她|老人)|误导|虚假|假装|冒充|瞒着|不告诉.{0,6}风险|"
    r"说成.{0,4}(存款|保本)|包装成.{0,4}(存款|保本)|承诺.{0,4}(保本|收益|稳赚)|"
    r"保证.{0,6}(收益|赚钱|不亏))")
SCRIPT_ASK_RE = re.compile(r"(话术|说辞|文案|怎么(跟|和|对|向)?(客户|他|她)?(说|讲)|帮我写|写一段|写个|"
                           r"让客户相信|让他相信|说服|告诉客户)")
_PROMISES = r"(稳赚|保本|零风险|无风险|没有风险|不会亏|保收益|保证收益|刚兑)"
CLAIM_RE = re.compile(r"(说|讲|写|宣传|强调)(成|它|这个|这款|产品)?.{0,8}" + _PROMISES)
# "告诉客户这个基金稳赚不赔": a promise to be put in the client's ears (negations checked separately).
TELL_CLIENT_RE = re.compile(r"(告诉|跟|对|向|让|给)(客户|他|她|老人|阿姨).{0,14}?" + _PROMISES)
STOCK_RE = re.compile(
    r"(荐股|推荐.{0,8}(股票|个股|哪只)|哪只股票|买哪只|哪个股票|什么股票.{0,4}(能涨|会涨|好)|"
    r"(能涨|会涨|要涨|涨停)的?(股票|个股)|"
    r"股票代码|明天.{0,6}(涨|跌)|帮我选.{0,3}股|选几只股|会涨停|牛股|内幕)")
REFUSE_SCRIPT = ("这个我不能帮你写：隐瞒风险、夸大或承诺收益的话术属于误导销售，"
                 "违反适当性和销售合规要求，客户一旦亏损会投诉，你和银行都要担责。\n"
                 "我可以帮你写一段如实讲清产品特点和风险、同时突出配置价值的说法，要吗？")
REFUSE_STOCK = ("个股推荐和涨跌预测我不做：理财经理不具备荐股资质，向客户推荐个股属于违规投资建议，"
                "也无法保证准确。\n"
                "我可以帮你从资产配置角度讲清权益类产品的风险收益特征，并按客户风险等级匹配合适的产品。")

_SENTENCE_RE = re.compile(r"[^。！？!?\n；;]*[。！？!?；;]?|\n")
_RISK_RE = re.compile(r"C([1-5])", re.I)


def check_request(text: str) -> str | None:
    """Refusal text when the adviser asks for a misleading script or stock picks, else None."""
    if not text:
        return None
    if STOCK_RE.search(text):
        return REFUSE_STOCK
    if SCRIPT_RE.search(text) and (SCRIPT_ASK_RE.search(text) or "让客户" in text):
        return REFUSE_SCRIPT
    told = TELL_CLIENT_RE.search(text)
    if told and SCRIPT_ASK_RE.search(text) and not NEGATION_RE.search(told.group(0)):
        return REFUSE_SCRIPT
    claim = CLAIM_RE.search(text)
    # "客户说只要保本" reports what the client said: that is objection handling, not a misleading script.
    if claim and SCRIPT_ASK_RE.search(text) and not re.search(r"客户(说|只|要|问|觉得|担心)", text):
        return REFUSE_SCRIPT
    return None


def _negated(sentence: str, at: int) -> bool:
    clause = re.split(r"[，,：:、（(]", sentence[:at])[-1][-12:]
    return bool(NEGATION_RE.search(clause.replace("无论", "")))


def _is_promise(sentence: str, *, deposit_ok: bool) -> bool:
    lowered = sentence.lower()
    if any(marker in sentence for marker in SENTENCE_EXCEPTIONS):
        return False
    promised = False
    for term in PROMISE_TERMS:
        start = lowered.find(term)
        while start != -1:
            if not _negated(lowered, start):
                promised = True
            start = lowered.find(term, start + 1)
    if not promised:
        return False
    if deposit_ok or any(w in sentence for w in DEPOSIT_WORDS):
        # Deposits really are principal-protected: stating so is allowed, unless an investment is named too.
        plain = sentence.replace("存款保险", "")
        return any(w in plain for w in INVESTMENT_WORDS)
    return True


def _split(text: str) -> list[str]:
    return [piece for piece in _SENTENCE_RE.findall(text) if piece]


def strip_promises(answer: str, *, deposit_only: bool = False) -> tuple[str, bool]:
    """Remove sentences that promise principal or returns. Returns (text, whether anything was removed)."""
    kept, removed = [], False
    for piece in _split(answer):
        if _is_promise(piece, deposit_ok=deposit_only):
            removed = True
            # keep the line break structure of lists
            if piece.endswith("\n"):
                kept.append("\n")
            continue
        kept.append(piece)
    text = "".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"(?m)^\s*([-*•·]|\d+[.、)])\s*$\n?", "", text)  # bullets emptied by the removal
    return text.strip(), removed


def _level(value: str | None, prefix: str) -> int | None:
    if not value:
        return None
    m = re.search(prefix + r"([1-5])", value.upper())
    return int(m.group(1)) if m else None


def _product_levels(products: Iterable[str], answer: str) -> dict[str, int]:
    from bot.agent.playbooks import default_playbooks, most_specific

    table = default_playbooks().product_risk
    found: dict[str, int] = {}
    names = list(products)
    # Products named in the answer itself count too: the LLM may recommend something new.
    names += [name for name in table if len(name) >= 2 and name in answer]
    for name in names:
        level = _level(table.get(name), "R")
        if level is None:
            level = next((_level(r, "R") for key, r in table.items() if key in name), None)
        if level is not None:
            found[name] = level
    return {name: found[name] for name in most_specific(list(found))}


def apply_guardrails(answer: str, *, client_risk: str | None = None, product_risk: str | None = None,
                     products: Iterable[str] = ()) -> tuple[str, list[str]]:
    """The corrected answer and the names of the guardrails that fired."""
    fired: list[str] = []
    products = [p for p in products if p]
    text = answer or ""
    from bot.agent.playbooks import default_playbooks

    deposits = default_playbooks().deposit_products
    deposit_only = bool(products) and all(any(d in p for d in deposits) for p in products)
    text, removed = strip_promises(text, deposit_only=deposit_only)
    if removed:
        fired.append("no_guarantee")
        if COMPLIANCE_LINE not in text:
            text = f"{text}\n\n{COMPLIANCE_LINE}" if text else COMPLIANCE_LINE
    c_level = _level(client_risk, "C")
    if c_level is not None:
        levels = _product_levels(products, text)
        explicit = _level(product_risk, "R")
        riskier = {n: lv for n, lv in levels.items() if lv > c_level}
        if explicit is not None and explicit > c_level:
            riskier.setdefault("所讨论产品", explicit)
        if riskier:
            fired.append("risk_mismatch")
            names = "、".join(riskier)
            r = "/".join(sorted({f"R{lv}" for lv in riskier.values()}))
            line = RISK_LINE.format(c=f"C{c_level}", products=names, r=r)
            if "【适当性" not in text:  # the suitability composer's own answer already says it
                text = f"{text}\n\n{line}"
    return text, fired
