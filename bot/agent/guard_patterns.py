"""The pattern half of the guardrails: promises an answer must not make (knowledge/compliance/promises.yaml)
and requests an adviser may not get help with (knowledge/compliance/requests.yaml), read on normalised text.

Normalised: Traditional -> Simplified, full-width -> half-width, lower case, whitespace and markdown
emphasis dropped, so one pattern covers "穩賺不賠", "稳　赚　不　赔" and "**稳赚**不赔".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import zhconv

from knowledge.errors import DataFileError

# Dropped before checking: whitespace, zero-width characters and markdown emphasis used to space words out.
_FILLER_RE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff*_~`·•]+")
# Dropped between two Chinese characters: the slashes, bars and dots used to break a word up so a keyword
# list misses it ("本/金/安/全", "保|本"); a Chinese sentence never puts them inside a word.
_SPLITTER_RE = re.compile(r"(?<=[\u4e00-\u9fff])[/|\\.・\-]+(?=[\u4e00-\u9fff])")
# Sentences end at Chinese stops, ! ? ; line breaks, or an English full stop followed by a space or the end.
_SENTENCE_RE = re.compile(r"(?:[^。！？!?\n；;.]|\.(?!\s|$))*(?:[。！？!?；;]+|\.(?=\s|$))?\s*|\n")
CLAUSE_RE = re.compile(r"[，,；;（(]")
_QUESTION_RE = re.compile(r"[?？]|吗|呢$")
_NEGATION_WINDOW = 20
_CONCESSIVE_RE = re.compile(r"[的了]?(都|也|反正|照样|一样)")  # after A-not-A: "whether or not"
_QUOTES = "\"'“”‘’「」『』《》"
_QUOTED_RE = re.compile(r"[\"'“‘「『]([^\"'”’」』]{1,40})[\"'”’」』]")


CLAUSE_SPACE_RE = re.compile(r"(?<=[\u4e00-\u9fff]{2})\s+(?=[\u4e00-\u9fff]{2})")


def normalise(text: str) -> str:
    """The form every pattern is written for: Simplified, half-width, lower case, no whitespace."""
    half = unicodedata.normalize("NFKC", text)
    return _SPLITTER_RE.sub("", _FILLER_RE.sub("", zhconv.convert(half, "zh-cn"))).lower()


def split_sentences(text: str) -> list[str]:
    """Sentences with their own punctuation and trailing space, so joining them gives the text back."""
    return [piece for piece in _SENTENCE_RE.findall(text) if piece]


def asks_a_not_a(norm: str, start: int, end: int) -> bool:
    """norm[start:end] holds, or begins with the 不 of, an A-not-A question ("会不会亏", "能不能保本",
    "亏不亏"): it asks, it does not claim. "亏不亏都有银行兜着" (whether or not) claims."""
    return any(norm[i] == "不" and norm[i - 1] == norm[i + 1] and not _CONCESSIVE_RE.match(norm, i + 2)
               for i in range(max(start, 1), min(end, len(norm) - 1)))


def any_of(words: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of the words, the longest first."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


class ComplianceDataError(DataFileError):
    """A compliance data file is malformed: the message names the file and the key."""


@dataclass(frozen=True)
class Refusal:
    """A request refused: the refusal to say (in Chinese, and in English for an adviser who wrote English),
    and the library's compliance rules that may explain it (the router picks the one the message is nearest
    to)."""

    text: str  # Chinese
    library: tuple[str, ...] = ()
    english: str | None = None  # for an adviser who wrote English; None: the refusal has no English version
    outside_the_job: bool = False  # asked for oneself too ("哪只股票明天涨停"): off topic as well as refused
    # Read by meaning, not by a rule's patterns: the rule is the nearest labelled request's, a guess; the
    # library's rule that forbids what the message is nearest to explains it.
    by_meaning: bool = False


@dataclass(frozen=True)
class _Rule:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    deposit_exempt: bool = True
    refusal: Refusal | None = None  # a request rule's
    promise_in_text: bool = False  # a request rule that also needs a promise (answer patterns) in the text
    quotes_exempt: bool = False    # a request rule that reads the request without someone else's words


class PromisePatterns:
    """promises.yaml: the promise rules and the words that make a match a warning, a negation or a deposit."""

    def __init__(self, promises: dict) -> None:
        self.rules = tuple(_Rule(r["id"], _compile(r["patterns"]),
                                 deposit_exempt=r.get("deposit_exempt", True)) for r in promises["rules"])
        self.deposit_words = any_of(promises["deposit_words"])
        self.investment_words = any_of(promises["investment_words"])
        self.negations = any_of(promises["negations"])
        self.adjacent_markers = tuple(promises["adjacent_markers"])
        self.not_negations = any_of(promises["not_negations"])
        self.warning_markers = _compile(promises["warning_markers"])
        self.rhetorical = any_of(promises["rhetorical_markers"])
        self.contrasts = any_of(promises["contrast_markers"])
        self.loss_question = re.compile(promises["loss_question"])
        self.bare_denial = re.compile(promises["bare_denial"])
        self.product_pointers = any_of(promises["product_pointers"])
        self.deposit_comparisons = any_of(promises["deposit_comparisons"])
        self.deposit_equivalence = tuple(r for r in self.rules if not r.deposit_exempt)

    def is_warning(self, norm: str, *, questions_exempt: bool = True) -> bool:
        """A disclosure or a warning as a whole, or a (non-rhetorical) question: never a promise."""
        if any(p.search(norm) for p in self.warning_markers):
            return True
        return questions_exempt and bool(_QUESTION_RE.search(norm)) and not self.rhetorical.search(norm)

    def negated(self, norm: str, start: int) -> bool:
        """A negation or a warning word before the match in its clause ("不能承诺保本")."""
        before = norm[:start]
        if before.rstrip(_QUOTES).endswith(self.adjacent_markers):
            return True
        clause = CLAUSE_RE.split(before)[-1]
        # English words are longer: look further back in an English clause.
        english = re.search(r"[a-z]{6}", clause[-_NEGATION_WINDOW:])
        window = _NEGATION_WINDOW * 3 if english else _NEGATION_WINDOW
        return self.has_negation(clause[-window:])

    def has_negation(self, norm: str) -> bool:
        """A negation or warning word anywhere in the text ("别人" is no "别")."""
        return bool(self.negations.search(self.not_negations.sub("", norm)))

    def deposit_only(self, norm: str) -> bool:
        """Names a deposit and no investment (deposit insurance is no investment)."""
        plain = norm.replace("存款保险", "")
        return bool(self.deposit_words.search(plain)) and not self.investment_words.search(plain)

    def promise_rule(self, sentence: str, *, deposit_ok: bool = False,
                     questions_exempt: bool = True) -> str | None:
        """The id of the promise pattern a sentence makes (not negated, not a warning), else None.
        In an answer a question is the client's; in a request ("能跟客户说保本吗？") it is not.
        A disclaimer does not cover the promise it turns away from ("产品有风险，不过这款本金肯定安全")."""
        norm = normalise(sentence)
        if not norm:
            return None
        if self.is_warning(norm, questions_exempt=questions_exempt):
            norm = self.after_disclaimer(norm, questions_exempt=questions_exempt)
        return self._rule_matching(norm, deposit_ok) if norm else None

    def after_disclaimer(self, norm: str, *, questions_exempt: bool = True) -> str:
        """What a sentence says after turning away from its warning ("但", "不过", "说实话"), when that
        part warns of nothing itself; else ""."""
        for contrast in self.contrasts.finditer(norm):
            head, tail = norm[:contrast.start()], norm[contrast.end():]
            if self.is_warning(head, questions_exempt=questions_exempt) \
                    and not self.is_warning(tail, questions_exempt=questions_exempt):
                return tail
        return ""

    def _rule_matching(self, norm: str, deposit_ok: bool) -> str | None:
        for rule in self.rules:
            for pattern in rule.patterns:
                for match in pattern.finditer(norm):
                    # one past the match: "赔不赔" asks too when the match ends at its first 赔
                    asks = asks_a_not_a(norm, match.start(), match.end() + 1)
                    if asks or self.negated(norm, match.start()):
                        continue
                    if rule.deposit_exempt and self._about_deposit(norm, match.start(), deposit_ok):
                        continue
                    if not rule.deposit_exempt and self._deposit_before(norm, match.start()):
                        continue  # a deposit likened to a deposit ("大额存单跟定期差不多")
                    return rule.id
        return None

    def _deposit_before(self, norm: str, at: int) -> bool:
        """The clause before `at` speaks of a deposit only (the thing likened is a deposit itself)."""
        return self.deposit_only(CLAUSE_RE.split(norm[:at])[-1])

    def likens_to_deposit(self, norm: str) -> bool:
        """Says something other than a deposit is like one ("这个产品跟定期一样保本")."""
        return any(not self._deposit_before(norm, m.start())
                   for rule in self.deposit_equivalence for p in rule.patterns for m in p.finditer(norm))

    def denies_a_loss_question(self, question: str, reply: str) -> bool:
        """`reply` is a bare denial of a question about losing money just before it ("亏钱？不存在的。")."""
        asked, said = normalise(question), normalise(reply)
        return (bool(_QUESTION_RE.search(asked)) and bool(self.loss_question.search(asked))
                and bool(self.bare_denial.match(said)))

    def about_deposit_only(self, norm: str) -> bool:
        """Names a deposit and no investment, and does not liken something else to a deposit
        ("大额存单保本保息" may be said; "这个产品跟定期一样保本" may not)."""
        return self.deposit_only(norm) and not self.likens_to_deposit(norm)

    def speaks_of_deposits_only(self, norm: str) -> bool:
        """About deposits only, pointing at no other product, comparing nothing but a deposit with them
        ("大额存单比定期利率高" is about deposits; "收益还比存款高" compares something else): a claim
        anywhere in it is the deposit's."""
        if not self.about_deposit_only(norm) or self.product_pointers.search(norm):
            return False
        for comparison in self.deposit_comparisons.finditer(norm):
            if not self.deposit_words.search(CLAUSE_RE.split(norm[:comparison.start()])[-1]):
                return False
        return True

    def _about_deposit(self, norm: str, at: int, deposit_ok: bool) -> bool:
        """Deposits are principal-protected: a claim in a clause about a deposit (no investment) stands,
        whatever the other clauses compare it with ("存款保本，但利率比理财低"), and so does a claim in a
        sentence about deposits only ("定期存款利率1.5%，到期本息一分不少")."""
        if deposit_ok:  # the answer is about deposits only: unless the sentence names an investment
            return not self.investment_words.search(norm.replace("存款保险", ""))
        start = max((m.end() for m in CLAUSE_RE.finditer(norm, 0, at)), default=0)
        end = next((m.start() for m in CLAUSE_RE.finditer(norm, at)), len(norm))
        clause = norm[start:end]
        return self.speaks_of_deposits_only(clause) or self.speaks_of_deposits_only(norm)


def refusals_in_english(requests: dict) -> dict[str, str]:
    """requests.yaml's `refusals_english`: each refusal of `refusals` in English, under the same name."""
    chinese, english = requests.get("refusals") or {}, requests.get("refusals_english")
    english = english if isinstance(english, dict) else {}
    missing = "、".join(name for name in chinese if not str(english.get(name) or "").strip())
    if missing:
        raise ComplianceDataError(f"requests.yaml：refusals_english 缺少 {missing} 的英文拒绝语")
    unknown = "、".join(sorted(set(english) - set(chinese)))
    if unknown:
        raise ComplianceDataError(f"requests.yaml：refusals_english 里的 {unknown} 在 refusals 里没有")
    return {name: str(english[name]).strip() for name in chinese}


class RequestRules:
    """requests.yaml: what an adviser may not get help with, each rule with its refusal."""

    def __init__(self, requests: dict, promises: PromisePatterns) -> None:
        english = refusals_in_english(requests)
        self.rules = tuple(
            _Rule(r["id"], _compile(r["patterns"]), _compile(r.get("unless") or ()),
                  deposit_exempt=r.get("deposit_exempt", False),
                  refusal=Refusal(requests["refusals"][r["refusal"]], tuple(r.get("library") or ()),
                                  english[r["refusal"]], r.get("outside_the_job", False)),
                  promise_in_text=r.get("promise_in_text", False),
                  quotes_exempt=r.get("quotes_exempt", False))
            for r in requests["rules"])
        self.promises = promises
        self.claim_negations = any_of(requests["claim_negations"])
        self.reported, self.adopts_quote, self.reported_quote, self.declines = (
            re.compile(requests[key])
            for key in ("reported_speech", "adopts_quote", "reported_quote", "declines"))
        self.honest_asks = _compile(requests["honest_asks"])
        self.honest_asks_unless = re.compile(requests["honest_asks_unless"])

    def declined(self, text: str) -> bool:
        """The adviser says no themselves, or asks whether to report someone else: nothing to refuse."""
        norm = normalise(text or "")
        return bool(self.declines.search(norm)) and not self.honest_asks_unless.search(norm)

    def rule(self, text: str) -> str | None:
        """The id of the request rule the text breaks, else None."""
        norm = normalise(text or "")
        # Advisers end a clause with a space as often as with a comma: "客户说这款不会亏 帮我写条回复" (a
        # space between Chinese words; "帮 我 写" spaced out character by character is one clause).
        own_words = self.without_quotes(normalise(CLAUSE_SPACE_RE.sub("，", (text or "").strip())))
        for rule in self.rules:
            read = own_words if rule.quotes_exempt else norm
            if rule.deposit_exempt and self.promises.speaks_of_deposits_only(norm):
                continue  # a deposit may be called principal-protected, in a message too
            if not any(self._asks(p, read) for p in rule.patterns):
                continue
            if any(p.search(norm) for p in rule.unless) or self.honest_ask(norm):
                continue
            if rule.promise_in_text and not self._words_promise(read):
                continue
            return rule.id
        return None

    def honest_ask(self, norm: str) -> bool:
        """An honest ask the patterns would take for a violation (reporting one, saying no, what the rule is),
        with no way round asked for: no pattern refuses it."""
        return any(p.search(norm) for p in self.honest_asks) and not self.honest_asks_unless.search(norm)

    def refusal_of(self, rule_id: str) -> Refusal | None:
        """The refusal (Chinese and English) of the request rule with this id."""
        return next((r.refusal for r in self.rules if r.id == rule_id), None)

    def _words_promise(self, read: str) -> bool:
        """The words asked for promise: by the promise patterns, or as a quoted bare denial given to the
        client's question about losing money ("客户问会不会亏，帮我回一句“放心，不会的”")."""
        if self.promises.promise_rule(read, questions_exempt=False) is not None:
            return True
        return "问" in read and bool(self.promises.loss_question.search(read)) and any(
            self.promises.bare_denial.match(quoted) for quoted in _QUOTED_RE.findall(read))

    def without_quotes(self, norm: str) -> str:
        """The request without the clauses that report someone else's words ("听说这款保本，是真的吗",
        "客户说隔壁行保本，帮我写个回复"), unless the adviser means to pass them on ("我能这么跟客户讲吗")."""
        if self.adopts_quote.search(norm):
            return norm
        clauses = re.split(r"(?<=[,;。!?:])", self.reported_quote.sub("", norm))
        return "".join(c for c in clauses if not self.reported.match(c))

    def _asks(self, pattern: re.Pattern[str], norm: str) -> bool:
        """The pattern matches, and the promise words it names as `claim` (or the words it quotes as
        `quoted`) are not negated or warned against in their clause ("帮我写句话：稳健不等于保本",
        "别用“保本”这种说法"). Quoted words count only when they promise ("用“到期一分不少”这种说法")."""
        for match in pattern.finditer(norm):
            group = next((g for g in ("claim", "quoted") if g in pattern.groupindex and match.group(g)), None)
            if group is not None:
                clause = CLAUSE_RE.split(norm[:match.start(group)])[-1]
                if self.claim_negations.search(clause[-_NEGATION_WINDOW:]):
                    continue
            quoted = match.group(group) if group == "quoted" else None
            if quoted is not None and self.promises.promise_rule(quoted, questions_exempt=False) is None:
                continue
            return True
        return False
