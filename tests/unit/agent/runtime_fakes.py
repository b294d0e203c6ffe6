"""Fakes for the agent runtime tests: knowledge hits, a tracker, the COACH tools and brain.

The runtime is tested against these so its behaviour (routing, fallback, guardrails after generation,
audit, memory) is pinned down independently of the COACH composer and the TRACKER database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.agent.brain import Brain
from bot.agent.reply import Reply, Source
from bot.tracker.note import ParsedNote
from bot.tracker.service import (
    AuditRecord,
    ClientProfile,
    ClientRequired,
    ClientSummary,
    DueItem,
    SavedNote,
)
from knowledge.types import Hit

HITS = [
    Hit(text="面对抗拒型客户，先认同情绪，再了解过往经历，最后正向引导。", source="course-objections.txt",
        title="异议处理", section="抗拒型客户", score=0.82, chunk_id="c-obj-1"),
    Hit(text="首次拜访企业主，先破冰，再用开放式问题了解企业与家庭资产。", source="course-discovery.txt",
        title="需求挖掘", section="企业主", score=0.74, chunk_id="c-disc-1"),
]


class FakeKnowledge:
    def __init__(self, hits: list[Hit] | None = None) -> None:
        self.hits = list(HITS if hits is None else hits)
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5) -> list[Hit]:
        self.queries.append(query)
        return self.hits[:k]


class FakeTracker:
    """In-memory stand-in for bot.tracker.service.Tracker (only what the runtime touches)."""

    def __init__(self) -> None:
        self.notes: dict[int, list[SavedNote]] = {}
        self.audits: list[AuditRecord] = []
        self.advisers: set[int] = set()
        self.risk: dict[str, str] = {}
        self._next_id = 1

    def ensure_adviser(self, adviser_id: int, display_name: str | None = None) -> None:
        self.advisers.add(adviser_id)

    def log_note(self, adviser_id: int, note: ParsedNote, *, client_name: str | None = None,
                 at: datetime | None = None) -> SavedNote:
        name = client_name or note.client
        if not name:
            raise ClientRequired("这条拜访记录是哪位客户的？")
        saved = SavedNote(note_id=self._next_id, client_id=1, client_name=name, created_client=True,
                          note=note, created_at=at or datetime.now())
        self._next_id += 1
        self.notes.setdefault(adviser_id, []).append(saved)
        return saved

    def undo_last(self, adviser_id: int) -> SavedNote | None:
        notes = self.notes.get(adviser_id) or []
        return notes.pop() if notes else None

    def _summary(self, name: str) -> ClientSummary:
        return ClientSummary(client_id=1, name=name, tier=None, risk_level=self.risk.get(name), notes_count=1,
                             last_contact=None, sentiment="neutral", familiarity="new")

    def clients(self, adviser_id: int) -> list[ClientSummary]:
        names = {n.client_name for n in self.notes.get(adviser_id, [])}
        return [self._summary(name) for name in sorted(names)]

    def client_profile(self, adviser_id: int, name: str) -> ClientProfile | None:
        notes = [n for n in self.notes.get(adviser_id, []) if n.client_name == name]
        if not notes and name not in self.risk:
            return None
        return ClientProfile(summary=self._summary(name), aliases=[], notes=notes[::-1],
                             open_objections=[], products=["基金"], max_amount_cny=None)

    def due_followups(self, adviser_id: int, *, within_days: int = 7,
                      today: date | None = None) -> list[DueItem]:
        return [DueItem(client=c, due_on=today or date.today(), reason="cadence", overdue_days=0)
                for c in self.clients(adviser_id)]

    def grid(self, adviser_id: int) -> dict:
        return {("new", "neutral"): self.clients(adviser_id)}

    def record_audit(self, record: AuditRecord) -> None:
        self.audits.append(record)

    def audit_records(self, adviser_id: int, since: datetime | None = None) -> list[AuditRecord]:
        return [r for r in self.audits if r.adviser_id == adviser_id and (since is None or r.at >= since)]

    def close(self) -> None:
        pass


@dataclass
class LogResult:
    saved: SavedNote | None
    text: str


@dataclass
class Rendered:
    text: str
    hits: list[Hit] = field(default_factory=list)


_CLIENT = re.compile(r"([王李张刘陈][总姐哥先生女士]{1,2})")


def fake_client_name(text: str) -> str | None:
    match = _CLIENT.search(text)
    return match.group(1) if match else None


class FakeTools:
    """AgentTools-shaped: structured results with a `.text` rendering."""

    def __init__(self, knowledge: FakeKnowledge, tracker: FakeTracker) -> None:
        self.knowledge = knowledge
        self.tracker = tracker
        self.calls: list[str] = []

    def search_knowledge(self, query: str, k: int = 5) -> Rendered:
        self.calls.append("search_knowledge")
        hits = self.knowledge.search(query, k)
        return Rendered("\n".join(f"《{h.title}/{h.section}》{h.text}" for h in hits), hits)

    def log_visit(self, adviser_id: int, text: str, now: datetime,
                  client_name: str | None = None) -> LogResult:
        self.calls.append("log_visit")
        note = ParsedNote(raw_text=text, client=fake_client_name(text), sentiment="positive")
        saved = self.tracker.log_note(adviser_id, note, client_name=client_name, at=now)
        return LogResult(saved, f"已记录：{saved.client_name}，情绪 positive。")

    def client_profile(self, adviser_id: int, name: str) -> Rendered:
        self.calls.append("client_profile")
        profile = self.tracker.client_profile(adviser_id, name)
        return Rendered(f"{name}：{len(profile.notes)} 条记录" if profile else f"没有客户 {name}")

    def due_followups(self, adviser_id: int, days: int, today: date) -> Rendered:
        self.calls.append("due_followups")
        due = self.tracker.due_followups(adviser_id, within_days=days, today=today)
        return Rendered("待跟进：" + "、".join(d.client.name for d in due))

    def client_grid(self, adviser_id: int) -> Rendered:
        self.calls.append("client_grid")
        return Rendered("九宫格：" + str(len(self.tracker.clients(adviser_id))) + " 位客户")


def fake_classify(text: str) -> str:
    if "刚见完" in text or "拜访了" in text:
        return "log"
    if "准备" in text:
        return "prep"
    if "跟进" in text or "最近怎么样" in text:
        return "tracker"
    if "客户说" in text or "嫌" in text:
        return "objection"
    if "问哪些" in text:
        return "discovery"
    return "knowledge"


def fake_compose(tools: FakeTools, adviser_id: int, text: str, intent: str, now: datetime) -> Reply:
    if intent == "tracker":
        name = fake_client_name(text)
        if name:
            rendered = tools.client_profile(adviser_id, name)
        else:
            rendered = tools.due_followups(adviser_id, 7, now.date())
        return Reply(intent=intent, text=f"离线：{rendered.text}")
    result = tools.search_knowledge(text, 3)
    sources = [Source(h.title, h.section, h.source, h.chunk_id) for h in result.hits]
    return Reply(intent=intent, text=f"离线：{result.hits[0].text}", sources=sources)


def fake_check_request(text: str) -> str | None:
    return "不能推荐个股：这超出理财经理的合规范围。" if "荐股" in text or "哪只股票" in text else None


def fake_apply_guardrails(answer: str, *, client_risk=None, product_risk=None, products=()):
    fired = []
    for word in ("保本保收益", "保本", "稳赚"):
        if word in answer:
            answer = answer.replace(word, "（不能承诺收益）")
            fired.append("no_guarantee")
    return answer, sorted(set(fired))


def fake_brain() -> Brain:
    return Brain(classify_intent=fake_classify, extract_client_name=fake_client_name,
                 compose_offline=fake_compose, check_request=fake_check_request,
                 apply_guardrails=fake_apply_guardrails)
