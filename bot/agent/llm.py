"""The LLM path: a langchain v1 `create_agent` graph over tools that wrap AgentTools.

Tools are closures bound to one adviser and one request, so an adviser's tool calls can only ever see
their own clients, and the knowledge hits the model actually looked at become the reply's sources.

"Never logged twice": a message the classifier reads as a visit note is logged deterministically by
the Agent before any backend runs, and the LLM is not called for it. On the LLM path the `log_visit`
tool is therefore read-only: it previews how the note would be parsed and tells the model to let the
adviser send it as a note (or /log). Whatever the model does, nothing is saved from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.agent.adapters import hits_of, render_hit, text_of
from bot.agent.prompt import SYSTEM_PROMPT
from knowledge.types import Hit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.agent.memory import Turn


@dataclass
class LLMAnswer:
    text: str
    hits: list[Hit] = field(default_factory=list)
    tool_calls: list[str] = field(default_factory=list)


class EmptyAnswer(RuntimeError):
    """The model ended without any text."""


class LLMBackend:
    """Answers one message with a chat model and our tools."""

    def __init__(self, chat_model: BaseChatModel, tools: Any, *, name: str = "llm",
                 system_prompt: str = SYSTEM_PROMPT, search_k: int = 5, max_steps: int = 12) -> None:
        self.chat_model = chat_model
        self.tools = tools
        self.name = name
        self.system_prompt = system_prompt
        self.search_k = search_k
        self.max_steps = max_steps

    def answer(self, adviser_id: int, text: str, *, now: datetime, history: list[Turn] = (),
               tools: Any = None) -> LLMAnswer:
        """`tools` overrides the backend's own (the agent passes KnowledgeOnlyTools for group chats)."""
        from langchain.agents import create_agent
        from langchain_core.messages import AIMessage, HumanMessage

        run = _RunLog()
        graph = create_agent(self.chat_model, self._lc_tools(adviser_id, now, run, tools or self.tools),
                             system_prompt=self.system_prompt)
        messages: list = []
        for turn in history:
            messages.append(HumanMessage(turn.user_text))
            messages.append(AIMessage(turn.answer))
        messages.append(HumanMessage(text))
        state = graph.invoke({"messages": messages}, config={"recursion_limit": self.max_steps * 2 + 1})
        final = state["messages"][-1]
        answer = final.text if isinstance(final, AIMessage) else ""
        if not answer.strip():
            raise EmptyAnswer("the model returned no text")
        return LLMAnswer(text=answer.strip(), hits=run.hits, tool_calls=run.calls)

    def _lc_tools(self, adviser_id: int, now: datetime, run: _RunLog, tools: Any) -> list:
        from langchain_core.tools import StructuredTool

        k = self.search_k

        def search_knowledge(query: str) -> str:
            """在培训资料中检索（异议处理、需求挖掘、产品、合规等），返回带标题和章节的段落。"""
            run.calls.append("search_knowledge")
            result = tools.search_knowledge(query, k)
            hits = hits_of(result)
            run.hits.extend(hits)
            if isinstance(result, list):
                rendered = "\n\n".join(render_hit(i, h) for i, h in enumerate(hits, 1))
                return rendered or "培训资料中没有找到相关内容。"
            return text_of(result)

        def client_profile(name: str) -> str:
            """查看一位客户的档案：层级、风险等级、历次拜访记录、未解决的异议、情绪、待跟进事项。"""
            run.calls.append("client_profile")
            return text_of(tools.client_profile(adviser_id, name)) or f"没有找到客户“{name}”。"

        def due_followups(days: int = 7) -> str:
            """列出未来若干天内到期或已逾期需要跟进的客户。"""
            run.calls.append("due_followups")
            return text_of(tools.due_followups(adviser_id, days, now.date())) or "近期没有需要跟进的客户。"

        def client_grid() -> str:
            """按熟悉度和情绪（九宫格）列出理财经理自己的客户分布。"""
            run.calls.append("client_grid")
            return text_of(tools.client_grid(adviser_id)) or "还没有客户记录。"

        def log_visit(note: str) -> str:
            """预览一条拜访记录会被如何解析（客户、金额、情绪、跟进日期）。此处不会保存。"""
            run.calls.append("log_visit")
            return _preview_note(note, now)

        return [StructuredTool.from_function(fn) for fn in
                (search_knowledge, client_profile, due_followups, client_grid, log_visit)]


@dataclass
class _RunLog:
    hits: list[Hit] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)


def _preview_note(note: str, now: datetime) -> str:
    saving_hint = "未保存：拜访记录由系统保存，请提醒理财经理直接发送这条拜访记录，或用 /log 加原文。"
    try:
        from bot.tracker.parser import parse_note
    except ImportError:
        return saving_hint
    parsed = parse_note(note, now).as_json()
    summary = "，".join(f"{key}={value}" for key, value in parsed.items() if value not in (None, [], ""))
    return f"解析预览：{summary}\n{saving_hint}"
