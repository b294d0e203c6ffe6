"""The talk-track library (knowledge/playbooks/): what the coach says, as data a bank's trainers own.

Typed entries per kind (objection, client_type, first_meeting, compliance, method), the example phrasings
the router learns from, and the course tables (tiers, cadence, nine-grid, product risk levels). Loaded
and validated by `bot.agent.playbook_files.load_playbooks`; one `Playbooks` object is injected wherever
it is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from knowledge.errors import DataFileError

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "playbooks"
KINDS = ("objection", "client_type", "first_meeting", "compliance", "method")
ROUTE_NAMES = ("log", "tracker", "prep", "other", "off_topic")


class PlaybookError(DataFileError):
    """A playbook file is missing a field or malformed: the message names the file, entry and field."""


@dataclass(frozen=True)
class Citation:
    source: str  # the course file the quote comes from (resolved to 《title》· section for people)
    quote: str


@dataclass(frozen=True)
class Entry:
    """What every talk-track entry has: who it is, how advisers ask for it, where it comes from."""

    id: str
    kind: str
    title: str
    examples: tuple[str, ...]
    source: str  # "course" (citations required) or "house" (the bank's own practice)
    citations: tuple[Citation, ...]
    file: str
    # The same entry in English (its `en:` block), for an adviser who writes English; None when the
    # trainers have not written one.
    english: Entry | None = None


@dataclass(frozen=True)
class Objection(Entry):
    why: str = ""
    say: tuple[str, ...] = ()
    ask_next: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpinQuestion:
    stage: str  # situation, problem, implication, need_payoff
    ask: str
    probes: str  # the need this question probes


@dataclass(frozen=True)
class ClientType(Entry):
    name: str = ""
    traits: str = ""
    icebreaker: tuple[str, ...] = ()
    spin: tuple[SpinQuestion, ...] = ()
    never: tuple[str, ...] = ()


@dataclass(frozen=True)
class FirstMeeting(Entry):
    goal: str = ""
    opener: str = ""
    points: tuple[str, ...] = ()
    likely_objections: tuple[str, ...] = ()
    next_step: str = ""


# A compliance rule's verdict on the deed asked about.
FORBIDDEN = "不行"
VERDICTS = (FORBIDDEN, "可以", "看情况")


@dataclass(frozen=True)
class ComplianceRule(Entry):
    verdict: str = ""  # one of VERDICTS
    rule: str = ""
    why: str = ""
    instead: tuple[str, ...] = ()


@dataclass(frozen=True)
class Method(Entry):
    answer: tuple[str, ...] = ()
    ask_next: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    min_cny: int
    name: str
    gets: tuple[str, ...]


@dataclass(frozen=True)
class GridCell:
    familiarity: str
    emotion: str
    approach: str
    approach_en: str  # the same in English (the cell's `en` in cadence.json), for an adviser writing English

    def approach_in(self, english: bool) -> str:
        return self.approach_en if english else self.approach


@dataclass(frozen=True)
class Industry:
    """What a line of business means for a client's money (knowledge/playbooks/industries.yaml)."""

    id: str
    name: str
    terms: tuple[str, ...]  # how advisers name it: 养鸡, 鱼塘, 包工头 ...
    money: str  # when money comes in and goes out, what can go wrong
    ask: tuple[str, ...]  # open questions about this line of business
    # The same in English (its `en:` block: name, money, ask; the terms stay Chinese), for an adviser who
    # writes English; None when the trainers have not written one.
    english: Industry | None = None


@dataclass(frozen=True)
class Circumstance:
    """A life event or family situation an adviser mentions (离婚, 怕裁员, 孩子出国读书 ...): what it means
    for the client's money and the conversation (knowledge/playbooks/circumstances.yaml)."""

    id: str
    name: str
    terms: tuple[str, ...]  # how advisers write it: 离异, 老伴走了, 学区房 ...
    means: str  # what it changes for the money and the talk, and what to do
    ask: tuple[str, ...]  # open questions only this situation raises
    english: Circumstance | None = None  # its `en:` block (name, means, ask), like an industry's

    def named_in(self, text: str) -> bool:
        return any(_term_at(text, term) >= 0 for term in self.terms)


@dataclass(frozen=True)
class ProductNote:
    """What a kind of product is, how money comes out early, what never to say
    (knowledge/playbooks/product_notes.yaml)."""

    id: str
    name: str
    terms: tuple[str, ...]  # how advisers name it: 增额寿, 定投, 大额存单 ...
    facts: str
    liquidity: str
    never: str
    english: ProductNote | None = None  # its `en:` block (name, facts, liquidity, never), like an industry's


@dataclass(frozen=True)
class SuitabilityAnswers:
    """The suitability answer's words in one language (knowledge/playbooks/suitability_answers.yaml): lines
    with slots the code fills ({who}, {level}, {product}, {product_level}, {client_level}, {elderly})."""

    client: str  # who, when the question names nobody
    product: str  # what, when the question gives only an R level
    client_types: dict[int, str]  # 1-5: 保守型 ... / conservative ...
    level: str  # "{client_level}（{client_type}）"
    missing: str  # asked without both levels
    elderly_suitable: tuple[str, ...]
    suitable: tuple[str, ...]
    unsuitable: tuple[str, ...]
    unsuitable_elderly: str
    suitable_elderly: str  # after a suitable low-risk (R1-R2) answer for an elderly client
    insists: tuple[str, ...] = ()  # words saying the client insists on buying (非要, 签字自愿 ...)
    insisted: tuple[str, ...] = ()  # the answer when they insist on one of `insist_products` (or an R level)
    insisted_elderly: str = ""  # after `insisted` for an elderly client; required with `insisted`
    # Products a client above the lowest level may buy above their level after a special written warning
    # (the securities suitability rules); never a bank wealth-management product.
    insist_products: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallPlan:
    """The call plan's words in one language (knowledge/playbooks/call_plan.yaml): the goal, the opening
    line and the next step by the client's mood (resistant / neutral / positive), with slots the code fills
    ({name}, {topic}, {risk_level})."""

    goals: dict[str, str]
    openers: dict[str, str]
    next_steps: dict[str, str]
    default_topic: str  # the opener's {topic} when no product was talked about
    compliance: str
    names: dict[str, str] = field(default_factory=dict)  # the tracker's product and concern names, translated

    def name(self, term: str) -> str:
        """A product or concern as the tracker names it (Chinese), in this language where the file says."""
        return self.names.get(term, term)


Termed = TypeVar("Termed", Industry, ProductNote, Circumstance)


def _term_at(text: str, term: str) -> int:
    """Where the text writes the term, or -1: a Chinese term anywhere, an English one as a whole word or
    phrase in any case, plural too ("restaurants"), so "trust" is never found in "trustee"."""
    if not term.isascii():
        return text.find(term)
    found = re.search(rf"(?<![a-z]){re.escape(term.lower())}(?:s|es)?(?![a-z])", text.lower())
    return found.start() if found else -1


def _named(text: str, items: Sequence[Termed]) -> list[Termed]:
    """The items whose terms the text writes, in the order written (the longest term at one place first)."""
    found = sorted((at, -len(term), i) for i, item in enumerate(items) for term in item.terms
                   if (at := _term_at(text, term)) >= 0)
    return [items[i] for i in dict.fromkeys(i for _, _, i in found)]


def _named_first(text: str, items: Sequence[Termed]) -> Termed | None:
    """The item whose term the text writes first (the longest at one place)."""
    named = _named(text, items)
    return named[0] if named else None


@dataclass(frozen=True)
class Playbooks:
    entries: tuple[Entry, ...]
    routes: dict[str, tuple[str, ...]]  # route name (ROUTE_NAMES) -> example phrasings
    tiers: tuple[Tier, ...]
    contacts_per_month: dict[str, int]  # tier label -> contacts
    familiarity_names: dict[str, str]
    emotion_names: dict[str, str]
    grid: dict[tuple[str, str], GridCell]
    product_risk: dict[str, str]  # product type -> R1..R5
    deposit_products: tuple[str, ...]
    suitability: dict[str, SuitabilityAnswers]  # "zh" / "en"
    call_plan: dict[str, CallPlan]  # "zh" / "en"
    industries: tuple[Industry, ...] = ()
    product_notes: tuple[ProductNote, ...] = ()
    circumstances: tuple[Circumstance, ...] = ()
    directory: Path = field(default=DEFAULT_DIR)

    def of_kind(self, kind: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == kind)

    @property
    def objections(self) -> tuple[Objection, ...]:
        return self.of_kind("objection")  # type: ignore[return-value]

    @property
    def client_types(self) -> tuple[ClientType, ...]:
        return self.of_kind("client_type")  # type: ignore[return-value]

    @property
    def forbidding_rules(self) -> frozenset[str]:
        """The ids of the compliance rules whose verdict forbids the deed they are about."""
        return frozenset(e.id for e in self.entries
                         if isinstance(e, ComplianceRule) and e.verdict == FORBIDDEN)

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def industry_in(self, text: str) -> Industry | None:
        """The line of business a message names: the term written first (the longest at one place)."""
        return _named_first(text, self.industries)

    def product_note_in(self, text: str) -> ProductNote | None:
        """The kind of product a message names, the same way."""
        return _named_first(text, self.product_notes)

    def circumstances_in(self, texts: Sequence[str], limit: int = 2) -> tuple[Circumstance, ...]:
        """The life events the texts name, in the order written (the first text first), at most `limit`."""
        found = [c for text in texts for c in _named(text, self.circumstances)]
        return tuple(dict.fromkeys(found))[:limit]

    def tier_for(self, amount_cny: int | None) -> Tier | None:
        if amount_cny is None:
            return None
        eligible = [t for t in self.tiers if amount_cny >= t.min_cny]
        return max(eligible, key=lambda t: t.min_cny) if eligible else None


def most_specific(names: list[str]) -> list[str]:
    """Product names with those contained in another dropped: "私募基金" covers "基金"."""
    return [name for name in names if not any(name != other and name in other for other in names)]
