"""The LLM composer: a langchain v1 `create_agent` graph over tools that wrap AgentTools, given the
same route and retrieved context as the offline composer.

Tools are closures bound to one adviser and one request, so an adviser's tool calls can only ever see
their own clients, and the knowledge hits the model actually looked at become the draft's sources.
Visit notes never reach the model: the Agent logs them itself before any composer runs.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.agent.composer import Context, Draft, Request
from bot.agent.prompt import SYSTEM_PROMPT, context_message
from bot.agent.sources import source_of, unique
from bot.agent.tools import AgentTools, KnowledgeOnlyTools
from knowledge.types import Hit

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from knowledge.settings import Settings


class EmptyAnswer(RuntimeError):
    """The model ended without any text."""


@dataclass
class _RunLog:
    hits: list[Hit] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)


class LLMComposer:
    """Answers one request with a chat model and our tools; raises on any failure (the fallback
    wrapper then answers offline)."""

    def __init__(self, chat_model: BaseChatModel, tools: AgentTools, *, name: str, settings: Settings,
                 search_k: int = 5, max_steps: int = 12) -> None:
        self.chat_model = chat_model
        self.tools = tools
        self.name = name
        self.timeout = settings.llm_timeout_seconds
        self.search_k = search_k
        self.max_steps = max_steps
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")

    def compose(self, request: Request, context: Context) -> Draft:
        return self._pool.submit(self._run, request, context).result(timeout=self.timeout)

    def _run(self, request: Request, context: Context) -> Draft:
        from langchain.agents import create_agent
        from langchain_core.messages import AIMessage, HumanMessage

        run = _RunLog()
        tools = self.tools if request.client_data else KnowledgeOnlyTools(self.tools)
        graph = create_agent(self.chat_model, self._lc_tools(request, run, tools),
                             system_prompt=SYSTEM_PROMPT)
        messages: list = []
        for turn in request.history:
            messages += [HumanMessage(turn.user_text), AIMessage(turn.answer)]
        messages.append(HumanMessage(context_message(request, context)))
        state = graph.invoke({"messages": messages}, config={"recursion_limit": self.max_steps * 2 + 1})
        final = state["messages"][-1]
        answer = final.text if isinstance(final, AIMessage) else ""
        if not answer.strip():
            raise EmptyAnswer("the model returned no text")
        sources = unique([*context.cited, *(source_of(h) for h in [*context.passages, *run.hits])])
        return Draft(answer.strip(), sources, backend=self.name, model_calls=len(run.calls) + 1)

    def _lc_tools(self, request: Request, run: _RunLog, tools: AgentTools | KnowledgeOnlyTools) -> list:
        from langchain_core.tools import StructuredTool

        adviser_id, now, k = request.adviser_id, request.now, self.search_k

        def search_knowledge(query: str) -> str:
            """在培训资料中检索（异议处理、需求挖掘、产品、合规等），返回带标题和章节的段落。"""
            run.calls.append("search_knowledge")
            result = tools.search_knowledge(query, k)
            run.hits.extend(result.hits)
            return result.text

        def client_profile(name: str) -> str:
            """查看一位客户的档案：层级、风险等级、历次拜访记录、未解决的异议、情绪、待跟进事项。"""
            run.calls.append("client_profile")
            return tools.client_profile(adviser_id, name).text

        def due_followups(days: int = 7) -> str:
            """列出未来若干天内到期或已逾期需要跟进的客户。"""
            run.calls.append("due_followups")
            return tools.due_followups(adviser_id, days, now.date()).text

        def client_grid() -> str:
            """按熟悉度和情绪（九宫格）列出理财经理自己的客户分布。"""
            run.calls.append("client_grid")
            return tools.client_grid(adviser_id).text

        return [StructuredTool.from_function(fn) for fn in
                (search_knowledge, client_profile, due_followups, client_grid)]

