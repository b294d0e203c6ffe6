"""The LLM composer through the real Agent, with langchain's own fake chat model: numbered context and
citations, the model-call cap, token metering, finish_reason=length, client data kept local."""

from __future__ import annotations

from datetime import datetime

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage

from bot.agent.citations import Material, Materials, strip_own_sources
from bot.agent.composer import FallbackComposer
from bot.agent.llm import CUT_SHORT, KEPT_LOCAL, LLMComposer
from bot.agent.reply import Source
from bot.agent.service import Agent
from knowledge.settings import get_settings

NOW = datetime(2026, 3, 4, 10, 0)
OBJECTION = "收益才两个点客户看不上"
KNOWLEDGE = "九宫格是啥"


class ToolCallingFake(GenericFakeChatModel):
    """langchain's fake chat model, able to take tools (it answers from its script whatever they are);
    it keeps every prompt it was sent."""

    prompts: list[list[BaseMessage]] = []
    tool_names: list[list[str]] = []

    def bind_tools(self, tools, **kwargs):  # noqa: ANN001, ANN201 - BaseChatModel's signature
        self.tool_names.append([t.name for t in tools])
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN201
        self.prompts.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def scripted(*messages: AIMessage) -> ToolCallingFake:
    return ToolCallingFake(messages=iter(messages), prompts=[], tool_names=[])


def said(text: str, *, tokens: int = 30, finish: str = "stop") -> AIMessage:
    return AIMessage(text, usage_metadata={"input_tokens": tokens - 10, "output_tokens": 10,
                                           "total_tokens": tokens},
                     response_metadata={"finish_reason": finish})


def search(query: str, call_id: str = "call_1") -> AIMessage:
    return AIMessage("", tool_calls=[{"name": "search_knowledge", "args": {"query": query}, "id": call_id}],
                     usage_metadata={"input_tokens": 40, "output_tokens": 5, "total_tokens": 45})


def with_llm(agent: Agent, model: ToolCallingFake, monkeypatch: pytest.MonkeyPatch, **env: str) -> Agent:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    llm = LLMComposer(model, agent.tools, name="openai:fake", settings=get_settings())
    agent.composer = FallbackComposer(llm, agent.composer)
    return agent


def test_the_model_gets_the_talk_track_numbered_and_only_cited_sources_are_kept(agent, monkeypatch):
    model = scripted(said("先认同客户对收益的在意[1]，再问资金什么时候要用[7]。\n\n参考资料：\n1. 《编书》"))
    reply = with_llm(agent, model, monkeypatch).answer(1, OBJECTION, now=NOW)
    prompt = model.prompts[0][-1].text
    assert "[1] 【已审核的话术：" in prompt and "理财经理的问题：" + OBJECTION in prompt
    assert reply.backend == "openai:fake" and reply.fallback_reason is None
    assert reply.text.startswith("先认同客户对收益的在意") and "[1]" not in reply.text[12:]
    assert "[7]" not in reply.text and "编书" not in reply.full_text and "参考资料" not in reply.text


def test_a_tool_result_is_numbered_after_the_context_and_becomes_the_cited_source(agent, monkeypatch):
    model = scripted(search("抗拒型客户"), said("不要直接问原因[2]。"))
    reply = with_llm(agent, model, monkeypatch).answer(1, KNOWLEDGE, now=NOW)
    tool_result = next(m for m in model.prompts[1] if m.type == "tool").text
    assert tool_result.startswith("[2] 《中高净值客户拓展与经营》")
    assert reply.text == "不要直接问原因[1]。"
    assert [s.section for s in reply.sources] == ["抗拒型客户"]
    assert reply.model_calls == 2 and reply.tokens == 45 + 30


def test_a_coaching_answer_citing_nothing_falls_back_to_the_offline_answer(agent, monkeypatch):
    reply = with_llm(agent, scripted(said("多跟客户聊聊就好。")), monkeypatch).answer(1, OBJECTION, now=NOW)
    assert reply.backend == "offline" and reply.fallback_reason == "uncited"
    assert "【收益太低】" in reply.text and reply.model_calls == 1 and reply.tokens == 30


def test_an_answer_cut_by_the_token_limit_says_so(agent, monkeypatch):
    model = scripted(said("先认同客户[1]，然后", finish="length"))
    reply = with_llm(agent, model, monkeypatch).answer(1, OBJECTION, now=NOW)
    assert reply.text.endswith(CUT_SHORT) and reply.backend == "openai:fake"


def test_a_tool_call_loop_stops_at_the_cap_without_tools_on_the_last_call(agent, monkeypatch):
    model = scripted(search("a", "c1"), search("b", "c2"), said("不要直接问原因[1]。"))
    reply = with_llm(agent, model, monkeypatch, LLM_MAX_MODEL_CALLS="3").answer(1, KNOWLEDGE, now=NOW)
    assert reply.model_calls == 3 and reply.backend == "openai:fake"
    # Tools were bound for the first two calls only: the third had to answer.
    assert len(model.prompts) == 3 and model.tool_names == [["search_knowledge"]] * 2


def test_with_client_data_local_no_client_tool_and_prep_is_written_offline(agent, monkeypatch):
    agent.answer(1, "刚见完王总，怕亏，下周二再约", now=NOW)
    model = scripted(said("先认同客户[1]。"))
    agent = with_llm(agent, model, monkeypatch)
    reply = agent.answer(1, "明天见王总 帮我准备一下", now=NOW)
    assert reply.backend == "offline" and reply.fallback_reason == "client_data_local"
    assert reply.notice == KEPT_LOCAL and "【王总】" in reply.text and model.prompts == []
    agent.answer(1, OBJECTION, now=NOW)
    assert model.tool_names == [["search_knowledge"]] and "王总" not in model.prompts[0][-1].text


def test_with_client_data_sent_the_model_may_read_the_record(agent, monkeypatch):
    agent.answer(1, "刚见完王总，怕亏，下周二再约", now=NOW)
    model = scripted(said("先确认王总怕亏的原因[1]。"))
    agent = with_llm(agent, model, monkeypatch, LLM_CLIENT_DATA="send")
    reply = agent.answer(1, "明天见王总 帮我准备一下", now=NOW)
    assert reply.backend == "openai:fake", reply.fallback_reason
    assert "【客户档案】" in model.prompts[0][-1].text
    assert set(model.tool_names[0]) == {"search_knowledge", "client_profile", "due_followups", "client_grid"}


def test_refused_requests_never_reach_the_model(agent, monkeypatch):
    model = scripted(said("好的[1]"))
    reply = with_llm(agent, model, monkeypatch).answer(1, "推荐几只明天能涨的股票", now=NOW)
    assert "request_refused" in reply.guardrails and reply.text.startswith("不行")
    assert model.prompts == [] and reply.fallback_reason is None and reply.notice is None


def test_streaming_reports_the_text_as_it_grows(agent, monkeypatch):
    seen: list[str] = []
    # The fake streams word by word (split at spaces).
    model = scripted(said("先认同 客户对收益的在意[1]， 再问 资金用途。"))
    reply = with_llm(agent, model, monkeypatch).answer(1, OBJECTION, now=NOW, on_text=seen.append)
    assert len(seen) > 2 and seen[-1].startswith("先认同") and all(b.startswith(a) for a, b in
                                                                  zip(seen, seen[1:], strict=False))
    assert reply.backend == "openai:fake"


def test_resolve_renumbers_by_first_use_and_drops_markers_pointing_nowhere() -> None:
    a, b = Source("甲", "", "a"), Source("乙", "", "b")
    materials = Materials()
    materials.add(Material("x", "x", [a]))
    materials.add(Material("y", "y", [b]))
    materials.add(Material("talk track without a resolved source", "z", []))
    cited = materials.resolve("先说乙[2][2]，再说甲[1]，然后[3]，还有[9]。")
    assert cited.text == "先说乙[1]，再说甲[2]，然后，还有。" and cited.sources == [b, a] and cited.cited_any
    assert not materials.resolve("什么都没引用[0]").cited_any


def test_a_source_list_the_model_wrote_is_cut() -> None:
    assert strip_own_sources("答案[1]。\n\n**出处：**\n- 《甲》") == "答案[1]。"
    assert strip_own_sources("答案。\nSources:\n[1] x") == "答案。"
    assert strip_own_sources("出处不明的说法要核实。") == "出处不明的说法要核实。"



def test_the_audit_records_model_calls_tokens_model_and_fallback_reason(agent, monkeypatch):
    agent = with_llm(agent, scripted(search("抗拒型客户"), said("不要直接问原因[2]。"), said("没引用")),
                     monkeypatch)
    agent.answer(1, KNOWLEDGE, now=NOW)
    agent.answer(1, OBJECTION, now=NOW)
    cited, fell_back = agent.tracker.audit_records(1)[-2:]
    assert (cited.backend, cited.model, cited.model_calls, cited.tokens) == ("openai:fake", "fake", 2, 75)
    assert cited.fallback_reason is None
    assert (fell_back.backend, fell_back.fallback_reason, fell_back.model_calls) == ("offline", "uncited", 1)


def test_history_goes_along_without_old_markers_and_without_turns_naming_a_client(agent, monkeypatch):
    # Real time: memory keeps turns for MEMORY_RETENTION_DAYS from now.
    agent.answer(1, "刚见完王总，怕亏，下周二再约", chat_id="tg:1")
    model = scripted(said("先认同客户[1]。"), said("再问资金用途[1]。"))
    agent = with_llm(agent, model, monkeypatch)
    agent.answer(1, OBJECTION, chat_id="tg:1")
    agent.answer(1, "客户还是嫌收益低", chat_id="tg:1")
    assert [m.text for m in model.prompts[1][1:-1]] == [OBJECTION, "先认同客户。"]
    assert not any("王总" in message.text for prompt in model.prompts for message in prompt)
