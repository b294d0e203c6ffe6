"""The offline composer: the answer from the matched talk track, the course passages and the tracker,
no model needed. It only dispatches on the route; the renderings live next to what they render.
"""

from __future__ import annotations

from bot.agent.composer import Context, Draft, Request
from bot.agent.extract import best_sentences
from bot.agent.offline_clients import prep_draft, tracker_draft
from bot.agent.playbooks import (
    ClientType,
    ComplianceRule,
    Entry,
    FirstMeeting,
    Method,
    Objection,
    Playbooks,
)
from bot.agent.route import Route
from bot.agent.router import Router
from bot.agent.sources import source_of, unique
from bot.agent.suitability import suitability_draft
from bot.agent.talk_tracks import (
    compliance_text,
    discovery_text,
    first_meeting_text,
    method_text,
    objection_text,
)
from bot.agent.tools import AgentTools
from bot.agent.wording import CHINESE, Wording, wording_for, wording_showing


class OfflineComposer:
    name = "offline"

    def __init__(self, playbooks: Playbooks, tools: AgentTools, router: Router) -> None:
        self.playbooks = playbooks
        self.tools = tools
        self.router = router

    def compose(self, request: Request, context: Context) -> Draft:
        draft = self._draft(request, context)
        # Everything but an extract of the material comes from the reviewed library or the adviser's
        # own records.
        draft.reviewed = request.route.kind != "knowledge"
        return draft

    def _draft(self, request: Request, context: Context) -> Draft:
        route = request.route
        w = wording_for(request.english)
        if route.kind == "prep" and context.profile is not None and context.profile.profile is not None:
            return prep_draft(request, context, self.playbooks, self.router)  # the occasion's plan inside
        tracks = wording_showing(request.english, self._shown(route, context))
        # A refusal the library's rule explains, unless the adviser wrote English and the rule has no English
        # yet while the guard's refusal has: then the refusal in English rather than a Chinese talk track.
        refusal_in_english = (w.english and not tracks.english and route.refusal is not None
                              and route.refusal.english is not None)
        if route.entries and not refusal_in_english:  # a talk track (a refusal carries the rule it breaks)
            text = self._talk_track(route, context, tracks)
            return Draft(text, unique(context.cited), english=tracks.english)
        if route.refusal:
            # The guard's words, in English when the adviser wrote English and the refusal has its English.
            w = w if route.refusal.english is not None else CHINESE
            refusal = route.refusal.english if w.english else route.refusal.text
            text = f"{refusal}\n{w.off_topic}" if route.kind == "off_topic" else refusal
            return Draft(text, english=w.english)
        if route.kind == "suitability":
            return suitability_draft(request, context, self.playbooks)
        if route.kind in ("tracker", "prep"):
            return tracker_draft(request, context, self.tools, self.playbooks)
        if route.kind == "off_topic":
            return Draft(w.off_topic, english=w.english)
        if route.kind == "other":
            return Draft(w.help, english=w.english)
        return knowledge_draft(request.text, context, w)

    def _shown(self, route: Route, context: Context) -> list[Entry]:
        """Every library entry a talk-track answer shows: the route's, and a meeting plan's client type
        questions and likely concerns."""
        meetings = [e for e in route.entries if isinstance(e, FirstMeeting)]
        shown = list(route.talk_tracks) + ([context.client_type] if meetings and context.client_type else [])
        return shown + [e for m in meetings for e in map(self.playbooks.entry, m.likely_objections) if e]

    def _talk_track(self, route: Route, context: Context, w: Wording) -> str:
        slots, entries = context.slots, route.entries
        match entries[0]:
            case Objection():
                alternative = route.alternative if isinstance(route.alternative, Objection) else None
                return objection_text([e for e in entries if isinstance(e, Objection)], slots, alternative,
                                      context.product_note, w, context.circumstances)
            case ClientType() as client_type:
                return discovery_text(client_type, slots, context.industry, w, context.circumstances)
            case FirstMeeting() as meeting:
                also = next((e for e in entries[1:] if isinstance(e, FirstMeeting)), None)
                return first_meeting_text(meeting, context.client_type, self.playbooks, slots,
                                          context.industry, context.product_note, also=also, w=w,
                                          circumstances=context.circumstances)
            case ComplianceRule() as rule:
                # "不行" (or 可以 / 看情况) first, then why and what to do instead.
                return compliance_text(rule, slots, w)
            case Method() as method:
                other = route.alternative if isinstance(route.alternative, Method) else None
                return method_text(method, slots, other, w)
        raise ValueError(f"no talk track for {type(entries[0]).__name__}")


def knowledge_draft(question: str, context: Context, w: Wording = CHINESE) -> Draft:
    """Whole sentences from the relevant passages, about the question; else "not covered". The passages
    are the course's Chinese: an English answer says so in English before them."""
    extracts = best_sentences(question, context.passages, limit=4, min_overlap=0.15)
    if not extracts:
        return Draft(w.not_covered, english=w.english)
    lines = [w.material_says] + [f"{i}. {e.sentence}" for i, e in enumerate(extracts, 1)]
    return Draft("\n".join(lines), unique(source_of(e.hit) for e in extracts))
