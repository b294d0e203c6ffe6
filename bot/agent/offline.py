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

NOT_COVERED = ("培训资料里没有找到和这个问题相关的内容，我不想凭空编一个答案给你。\n"
               "我能帮你的是：异议处理、按客户类型挖需求、见客户前的准备、合规问题、课程里的方法"
               "（九宫格、客户分层、转介绍、沙龙……），以及记录拜访和提醒跟进。")
OFF_TOPIC = ("这个不在培训资料的范围里，我就不乱说了（培训资料里没有相关内容）。\n"
             "我能帮你的是：异议处理、按客户类型挖需求、见客户前的准备、合规问题、课程里的方法，"
             "以及记录拜访和提醒跟进。")
HELP = ("我是你的理财经理助手，可以：\n"
        "1. 异议处理：把客户的原话发给我，我给你话术和接下来要问的问题\n"
        "2. 需求挖掘：告诉我客户是做什么的，我给你破冰和 SPIN 问题\n"
        "3. 见客户前准备：“明天见王总，帮我准备一下”\n"
        "4. 合规：“能不能……”我直接告诉你行不行、为什么\n"
        "5. 记录拜访：直接发“刚见完王总，50万年金有兴趣，下周五再约”\n"
        "6. 客户跟进：“这周要跟进谁？”“王总最近怎么样？”\n"
        "命令：/prep 名字、/log 内容、/followups、/undo")


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
        if route.kind == "prep" and context.profile is not None and context.profile.profile is not None:
            return prep_draft(request, context, self.playbooks, self.router)  # the occasion's plan inside
        if route.entries:  # a talk track of the library (a refusal carries the rule it breaks)
            return Draft(self._talk_track(route, context), unique(context.cited))
        if route.refusal:
            return Draft(f"{route.refusal}\n{OFF_TOPIC}" if route.kind == "off_topic" else route.refusal)
        if route.kind == "suitability":
            return suitability_draft(request, context, self.playbooks)
        if route.kind in ("tracker", "prep"):
            return tracker_draft(request, context, self.tools, self.playbooks)
        if route.kind == "off_topic":
            return Draft(OFF_TOPIC)
        if route.kind == "other":
            return Draft(HELP)
        return knowledge_draft(request.text, context)

    def _talk_track(self, route: Route, context: Context) -> str:
        slots, entries = context.slots, route.entries
        match entries[0]:
            case Objection():
                alternative = route.alternative if isinstance(route.alternative, Objection) else None
                return objection_text([e for e in entries if isinstance(e, Objection)], slots, alternative,
                                      context.product_note)
            case ClientType() as client_type:
                return discovery_text(client_type, slots, context.industry)
            case FirstMeeting() as meeting:
                also = next((e for e in entries[1:] if isinstance(e, FirstMeeting)), None)
                return first_meeting_text(meeting, context.client_type, self.playbooks, slots,
                                          context.industry, context.product_note, also=also)
            case ComplianceRule() as rule:
                # "不行" (or 可以 / 看情况) first, then why and what to do instead.
                return compliance_text(rule, slots)
            case Method() as method:
                other = route.alternative if isinstance(route.alternative, Method) else None
                return method_text(method, slots, other)
        raise ValueError(f"no talk track for {type(entries[0]).__name__}")


def knowledge_draft(question: str, context: Context) -> Draft:
    """Whole sentences from the relevant passages, about the question; else "not covered"."""
    extracts = best_sentences(question, context.passages, limit=4, min_overlap=0.15)
    if not extracts:
        return Draft(NOT_COVERED)
    lines = ["培训资料里是这么讲的："] + [f"{i}. {e.sentence}" for i, e in enumerate(extracts, 1)]
    return Draft("\n".join(lines), unique(source_of(e.hit) for e in extracts))
