"""The tools the agent uses (offline composer and LLM alike): plain typed methods over the knowledge
base, the tracker and the playbooks. Each returns a structured result with `.text`, a short rendering
fit to hand an LLM as a tool result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.agent.reply import writes_english
from bot.agent.wording import CHINESE, Wording
from bot.tracker.cn_calendar import format_day
from bot.tracker.currency import format_money
from bot.tracker.note import ParsedNote
from bot.tracker.records import ClientProfile, ClientSummary, DueItem, SavedNote
from knowledge.types import Hit

# Dense cosine (query vs passage, multilingual-e5-small) below which a passage is "not about this".
# Measured with the real model (bench/coach_relevance.py, 17 Chinese in-domain vs 13 out-of-domain
# questions of ours): in-domain best cosine 0.873-0.936, out-of-domain 0.813-0.855. English queries
# score lower across languages (in-domain 0.814, out-of-domain 0.752), hence their own threshold.
RELEVANCE_THRESHOLD = 0.86
RELEVANCE_THRESHOLD_LATIN = 0.79
# Without a dense score, a passage must share this share of the query's content bigrams.
LEXICAL_THRESHOLD = 0.2

UNDO_HINT = "有记错的地方？发 /undo 撤销（命令行：adviser undo），再把正确内容重发一遍。"
EMOTION_CN = CHINESE.emotions
FAMILIARITY_CN = CHINESE.familiarities
STOP_CHARS = frozenset("的了吗呢吧啊是在有和与我你他她们这那个怎么如何什么哪些为什么请问一下可以能")


def char_bigrams(text: str, stop: frozenset[str] = STOP_CHARS) -> set[str]:
    """Pairs of adjacent characters, function words and punctuation left out: a cheap overlap measure."""
    chars = [c for c in re.sub(r"\s+", "", text) if c not in stop and not re.match(r"[\W_]", c)]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _overlap(query: str, passage: str) -> float:
    q = char_bigrams(query)
    return len(q & char_bigrams(passage)) / len(q) if q else 0.0


def threshold_for(query: str) -> float:
    """English queries get the cross-lingual threshold."""
    return RELEVANCE_THRESHOLD_LATIN if writes_english(query) else RELEVANCE_THRESHOLD


def is_relevant(hit: Hit, query: str) -> bool:
    """Dense cosine when the search measured it; else (a lexical-only hit) the share of shared bigrams."""
    if hit.relevance is not None:
        return hit.relevance >= threshold_for(query)
    return _overlap(query, hit.text) >= LEXICAL_THRESHOLD


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]  # relevant hits only, best first
    dropped: int = 0  # hits below the relevance threshold

    @property
    def found(self) -> bool:
        return bool(self.hits)

    @property
    def text(self) -> str:
        if not self.hits:
            return "培训资料中没有找到与此相关的内容。"
        parts = []
        for i, hit in enumerate(self.hits, 1):
            where = " / ".join(p for p in (hit.title, hit.section) if p)
            parts.append(f"[{i}] 《{where}》（{hit.source}）\n{hit.text}")
        return "\n\n".join(parts)


@dataclass
class LogResult:
    saved: SavedNote
    note: ParsedNote  # as parsed

    @property
    def warning(self) -> str | None:
        """Amounts the parser refused (negative, absurd): said once, the rest of the note is saved."""
        return self.note.amount_warning()

    @property
    def text(self) -> str:
        warning = f"\n⚠️ {self.warning}" if self.warning else ""
        return "✅ 已记录：\n" + "\n".join(saved_lines(self.saved)) + warning + "\n" + UNDO_HINT


@dataclass
class ProfileResult:
    name: str
    profile: ClientProfile | None

    @property
    def text(self) -> str:
        if self.profile is None:
            return f"客户记录里没有“{self.name}”。"
        return render_profile(self.profile)


@dataclass
class DueResult:
    items: list[DueItem]
    days: int

    @property
    def text(self) -> str:
        if not self.items:
            return f"未来 {self.days} 天没有到期或逾期的跟进。"
        return "\n".join(render_due(item) for item in self.items)


@dataclass
class GridResult:
    grid: dict[tuple[str, str], list[ClientSummary]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        w = CHINESE
        lines = [w.grid_row.format(familiarity=w.familiarities.get(fam, fam),
                                   emotion=w.emotions.get(emo, emo),
                                   names=w.listing.join(c.name for c in clients))
                 for (fam, emo), clients in sorted(self.grid.items()) if clients]
        return "\n".join(lines) or w.no_clients


def saved_lines(saved: SavedNote, today: date | None = None) -> list[str]:
    """What was understood from a visit message, one field a line (every channel's confirmation)."""
    note = saved.note
    lines = [f"客户：{saved.client_name}" + ("（新建客户）" if saved.created_client else "")]
    if note.amount_cny:
        lines.append(f"金额：{format_money(note.amount_cny, note.currency)}")
    if note.products:
        lines.append("产品：" + "、".join(note.products))
    lines.append("情绪：" + EMOTION_CN.get(note.sentiment, note.sentiment))
    if note.objections:
        lines.append("顾虑：" + "、".join(note.objections))
    if note.risk_level:
        lines.append(f"风险等级：{note.risk_level}")
    if note.next_step:
        lines.append(f"下一步：{note.next_step}")
    lines.append("跟进：" + (format_day(note.follow_up_on, today) if note.follow_up_on else "未设置"))
    return lines


def format_cny(amount: int) -> str:
    if amount >= 100_000_000 and amount % 10_000_000 == 0:
        return f"{amount / 100_000_000:g}亿"
    if amount >= 10_000:
        return f"{amount / 10_000:g}万"
    return f"{amount}元"


def format_amount(amount: int, w: Wording = CHINESE) -> str:
    """A CNY amount in the answer's language: "50万", or "500,000 yuan" as an English talk track's slot."""
    return f"{amount:,} yuan" if w.english else format_cny(amount)


def tier_label(tier: str | None, w: Wording = CHINESE) -> str:
    """A tier as the tracker names it from its thresholds ("20万+", "<20万"), in the answer's language."""
    if not tier:
        return w.tier_unknown
    found = re.fullmatch(r"(<?)(\d+(?:\.\d+)?)(万|亿)(\+?)", tier)
    if found is None or not w.english:
        return tier
    amount = round(float(found[2]) * (100_000_000 if found[3] == "亿" else 10_000))
    return f"{found[1]}{amount:,}{found[4]} yuan"


def render_profile(profile: ClientProfile, w: Wording = CHINESE,
                   names: Mapping[str, str] | None = None) -> str:
    """The client's record in the answer's language (`names`: the tracker's product and concern names in
    it); the notes are quoted as the adviser wrote them."""
    s, names = profile.summary, names or {}
    lines = [w.profile_head.format(
        name=s.name, tier=tier_label(s.tier, w) if s.tier else w.unknown,
        risk=s.risk_level or w.unknown, familiarity=w.familiarities.get(s.familiarity, s.familiarity),
        emotion=w.emotions.get(s.sentiment or "", w.unknown), notes=s.notes_count)
        + (w.last_contact.format(day=s.last_contact) if s.last_contact else "")]
    if profile.products:
        lines.append(w.products_named + w.listing.join(names.get(p, p) for p in profile.products))
    if profile.max_amount_cny:
        lines.append(w.largest_amount + format_amount(profile.max_amount_cny, w))
    if profile.open_objections:
        lines.append(w.open_concerns + w.listing.join(names.get(o, o) for o in profile.open_objections))
    if profile.open_follow_ups:
        lines.append(w.follow_ups + w.listing.join(d.isoformat() for d in profile.open_follow_ups))
    for saved in profile.notes[:3]:
        lines.append(f"- {saved.created_at:%m-%d} {saved.note.raw_text[:60]}")
    return "\n".join(lines)


def render_due(item: DueItem, w: Wording = CHINESE) -> str:
    """One client to follow up: when, why, and the latest note as written."""
    overdue = item.overdue_days > 0
    when = w.overdue.format(days=item.overdue_days) if overdue else w.due_on.format(day=item.due_on)
    why = w.follow_up_set if item.reason == "follow_up" else w.cadence_due
    last = w.last_note + item.last_note[:30] if item.last_note else ""
    return w.due_item.format(name=item.client.name, tier=tier_label(item.client.tier, w), when=when, why=why,
                             last=last)


class AgentTools:
    """knowledge: `.search(query, k) -> list[Hit]`; tracker: bot.tracker.service.Tracker;
    playbooks: bot.agent.playbooks.Playbooks."""

    def __init__(self, knowledge: Any, tracker: Any, playbooks: Any) -> None:
        self.knowledge = knowledge
        self.tracker = tracker
        self.playbooks = playbooks

    def search_knowledge(self, query: str, k: int = 5) -> SearchResult:
        """Passages from the training material that really are about `query` (others dropped)."""
        hits = list(self.knowledge.search(query, k=k)) if query.strip() else []
        relevant = [h for h in hits if is_relevant(h, query)]
        return SearchResult(query=query, hits=relevant, dropped=len(hits) - len(relevant))

    def log_visit(self, adviser_id: int, text: str, now: datetime,
                  client_name: str | None = None) -> LogResult:
        """Parse and save a visit note. Raises ClientRequired when no client is named."""
        from bot.tracker.parser import parse_note

        note = parse_note(text, now)
        saved = self.tracker.log_note(adviser_id, note, client_name=client_name, at=now)
        return LogResult(saved=saved, note=note)

    def client_profile(self, adviser_id: int, name: str) -> ProfileResult:
        return ProfileResult(name=name, profile=self.tracker.client_profile(adviser_id, name))

    def due_followups(self, adviser_id: int, days: int = 7, today: date | None = None) -> DueResult:
        return DueResult(items=list(self.tracker.due_followups(adviser_id, within_days=days, today=today)),
                         days=days)

    def client_grid(self, adviser_id: int) -> GridResult:
        return GridResult(grid=dict(self.tracker.grid(adviser_id)))

    def client_names(self, adviser_id: int) -> list[str]:
        return [c.name for c in self.tracker.clients(adviser_id)]
