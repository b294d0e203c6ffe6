"""The LLM composer: a langchain v1 `create_agent` graph over tools that wrap AgentTools, given the
same route and retrieved context as the offline composer, numbered so the answer can cite it.

Tools are closures bound to one adviser and one request, so an adviser's tool calls can only ever see
their own clients. Visit notes and refused requests never reach the model (the Agent logs notes itself,
refusals are answered offline). With LLM_CLIENT_DATA=local no client record reaches it either: no client
tool is offered, the context carries no record, and answers that need one are written offline.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from bot.agent.citations import Material, Materials, strip_markers
from bot.agent.composer import ComposeFailed, Context, Draft, Request
from bot.agent.deadline import CallGovernor, DeadlinePassed, Meter, shared_loop
from bot.agent.prompt import SYSTEM_PROMPT, context_message
from bot.agent.retrieve import WITH_RECORD
from bot.agent.sources import source_of
from bot.agent.tools import AgentTools

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.agent.memory import Turn
    from knowledge.settings import Settings

# Answers that coach from or explain the material: they must cite it, or the offline answer is given.
GROUNDED_INTENTS = ("objection", "discovery", "knowledge", "prep")
KEPT_LOCAL = "客户资料不发送给外部模型：这条回答由本地离线助手根据客户记录生成。"
UNCITED_NOTICE = "注意：这段回答没有引用培训资料，请核实后再用。"
CUT_SHORT = "（回答超出长度上限，后面被截断了。）"


class EmptyAnswer(RuntimeError):
    """The model ended without any text."""


def approx_tokens(text: str) -> int:
    """A tokenizer-free estimate: a CJK character is about one token, English about four bytes."""
    return math.ceil(len(text.encode("utf-8")) / 3)


def within_tokens(text: str, budget: int) -> str:
    if approx_tokens(text) <= budget:
        return text
    keep = max(budget, 0)
    while keep and approx_tokens(text[:keep]) > budget:
        keep = keep * 9 // 10
    return text[:keep] + "……（已截断）"


class LLMComposer:
    """Answers one request with a chat model and our tools, inside one deadline; raises ComposeFailed
    (the fallback wrapper then answers offline) with the calls and tokens already spent."""

    def __init__(self, chat_model: BaseChatModel, tools: AgentTools, *, name: str, settings: Settings,
                 search_k: int = 5) -> None:
        self.chat_model = chat_model
        self.tools = tools
        self.name = name
        self.model = name.partition(":")[2] or None
        self.deadline = settings.llm_deadline_seconds
        self.call_timeout = settings.llm_timeout_seconds
        self.retries = settings.llm_retries
        self.max_calls = settings.llm_max_model_calls
        self.context_tokens = settings.llm_context_tokens
        self.send_client_data = settings.llm_client_data == "send"
        self.search_k = search_k

    def compose(self, request: Request, context: Context) -> Draft:
        route = request.route
        if route.refusal is not None:
            raise ComposeFailed(None, notice=None)  # the request guard's refusal, written offline
        needs_record = route.kind == "tracker" or (route.kind in WITH_RECORD and route.client)
        if needs_record and not self.send_client_data:
            raise ComposeFailed("client_data_local", notice=KEPT_LOCAL)
        meter = Meter(self.deadline)
        try:
            answer, materials = shared_loop().run(lambda: self._run(request, context, meter), self.deadline)
            return self._draft(request, answer, materials, meter)
        except ComposeFailed as exc:
            exc.model_calls, exc.tokens, exc.model = meter.model_calls, meter.tokens, self.model
            raise
        except Exception as exc:
            reason = "deadline" if isinstance(exc, DeadlinePassed) else type(exc).__name__
            raise ComposeFailed(reason, model_calls=meter.model_calls, tokens=meter.tokens,
                                model=self.model) from exc

    def _draft(self, request: Request, answer: str, materials: Materials, meter: Meter) -> Draft:
        cited = materials.resolve(answer)
        if not cited.text:
            raise EmptyAnswer("the model returned no text")
        notice = None
        if not cited.cited_any:
            if request.route.intent in GROUNDED_INTENTS and materials.items:
                raise ComposeFailed("uncited")
            notice = UNCITED_NOTICE
        text = cited.text
        if meter.finish_reason == "length":
            text = f"{text}\n{CUT_SHORT}"
        return Draft(text, cited.sources, backend=self.name, notice=notice, english=request.english,
                     model_calls=meter.model_calls,
                     tokens=meter.tokens, model=self.model)

    def _client_record(self, request: Request) -> bool:
        return self.send_client_data and request.client_data

    async def _run(self, request: Request, context: Context, meter: Meter) -> tuple[str, Materials]:
        from langchain.agents import create_agent
        from langchain_core.messages import AIMessage, HumanMessage

        materials = Materials()
        governor = CallGovernor(meter, call_timeout=self.call_timeout, retries=self.retries,
                                max_calls=self.max_calls)
        graph = create_agent(self.chat_model, self._lc_tools(request, materials), system_prompt=SYSTEM_PROMPT,
                             middleware=[governor])
        messages: list = []
        for turn in self._history(request):
            messages += [HumanMessage(turn.user_text), AIMessage(strip_markers(turn.answer))]
        messages.append(HumanMessage(context_message(request, context, materials,
                                                     client_record=self._client_record(request))))
        # Each model call is one step and each tool round another: the cap stops the loop well before.
        config: Any = {"recursion_limit": self.max_calls * 3 + 1}
        if request.on_text is None:
            state = await graph.ainvoke({"messages": messages}, config=config)
        else:
            state = await self._stream(graph, messages, config, request.on_text)
        final = state["messages"][-1]
        return (final.text if isinstance(final, AIMessage) else ""), materials

    @staticmethod
    async def _stream(graph: Any, messages: list, config: Any, on_text: Any) -> dict:
        """Run the graph streaming tokens: `on_text` gets the current model message's text so far."""
        from langchain_core.messages import AIMessageChunk

        state: dict = {}
        current_id, text = None, ""
        async for mode, data in graph.astream({"messages": messages}, config=config,
                                              stream_mode=["messages", "values"]):
            if mode == "values":
                state = data
                continue
            chunk = data[0]
            if not isinstance(chunk, AIMessageChunk):
                continue
            if chunk.id != current_id:
                current_id, text = chunk.id, ""
            if chunk.text:
                text += chunk.text
                on_text(text)
        return state

    def _history(self, request: Request) -> list[Turn]:
        """The newest turns that fit half the context budget; with client data kept local, turns that
        name one of the adviser's clients stay out."""
        names: list[str] = []
        if not self._client_record(request) and request.history:
            names = self.tools.client_names(request.adviser_id)
        kept, budget = [], self.context_tokens // 2
        for turn in reversed(request.history):
            if any(name in turn.user_text or name in turn.answer for name in names):
                continue
            budget -= approx_tokens(turn.user_text) + approx_tokens(turn.answer)
            if budget < 0:
                break
            kept.append(turn)
        return kept[::-1]

    def _lc_tools(self, request: Request, materials: Materials) -> list:
        from langchain_core.tools import StructuredTool

        tools = self.tools
        adviser_id, now, k = request.adviser_id, request.now, self.search_k
        result_tokens = self.context_tokens // 4

        def search_knowledge(query: str) -> str:
            """在培训资料中检索（异议处理、需求挖掘、产品、合规等），返回带编号、标题和章节的段落。"""
            hits = tools.search_knowledge(query, k).hits
            if not hits:
                return "培训资料里没有找到相关内容。"
            found = [materials.render(materials.add(Material(f"《{h.title}》{h.section}", h.text,
                                                             [source_of(h)]))) for h in hits]
            return within_tokens("\n\n".join(found), result_tokens)

        def client_profile(name: str) -> str:
            """查看一位客户的档案：层级、风险等级、历次拜访记录、未解决的异议、情绪、待跟进事项。"""
            return within_tokens(tools.client_profile(adviser_id, name).text, result_tokens)

        def due_followups(days: int = 7) -> str:
            """列出未来若干天内到期或已逾期需要跟进的客户。"""
            return within_tokens(tools.due_followups(adviser_id, days, now.date()).text, result_tokens)

        def client_grid() -> str:
            """按熟悉度和情绪（九宫格）列出理财经理自己的客户分布。"""
            return within_tokens(tools.client_grid(adviser_id).text, result_tokens)

        offered = [search_knowledge]
        if self._client_record(request):
            offered += [client_profile, due_followups, client_grid]
        return [StructuredTool.from_function(fn) for fn in offered]
