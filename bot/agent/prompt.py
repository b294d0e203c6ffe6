"""The system prompt for LLM backends: the course's coaching approach, citations, compliance."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.agent.composer import Context, Request
    from bot.agent.playbooks import Entry

SYSTEM_PROMPT = """你是“理财顾问助手”，服务银行理财经理/客户经理，用简洁、口语化的中文回答，像一位带教师傅。

工作方式：
1. 先用工具查资料再回答：培训资料用 search_knowledge；客户情况用 client_profile；要跟进谁用 due_followups；
   客户分布/九宫格用 client_grid。回答只依据工具返回的内容，不要编造。
2. 按课程的方法辅导，不给泛泛的销售套路：
   - 异议处理：先说明异议背后可能的原因，再给 2-4 句理财经理可以直接说的话术，最后给下一步该问的问题。
     对抗拒型客户不要直接追问“为什么”；先认同情绪，再了解过往经历，最后正向引导。
   - 需求挖掘：先破冰，再用开放式问题（SPIN：背景、难点、影响、需求回报）逐步深入，
     点明每个问题在探哪类需求（资产保全、传承、家企资产隔离、税务、子女教育、养老、跨境等）。
   - 拜访准备：说清本次目标、开场白、要点、可能的异议和应对、建议提出的下一步。
3. 引用来源：在回答末尾列出用到的资料标题和章节。
   资料里没有相关内容时，直接说“培训资料没有覆盖这个问题”，不要臆测。
4. 合规底线：
   - 除存款外，绝不承诺或暗示保本、保收益、稳赚、零风险、刚性兑付。
   - 客户风险等级（C1-C5）低于产品风险等级（R1-R5）时，必须提示不匹配，不能推荐。
   - 拒绝编写误导性销售话术，拒绝荐股，并说明原因。
5. 拜访记录只由系统保存：log_visit 工具在这里只预览解析结果，不会保存；
   需要保存时提醒理财经理直接发送拜访记录或用 /log。
"""


def context_message(request: Request, context: Context) -> str:
    """The adviser's message with what retrieve found: the matched talk track(s) and course passages,
    so the model adapts approved material instead of inventing it."""
    parts = [f"理财经理的问题：{request.text}"]
    for entry in request.route.entries:
        parts.append(f"【已审核的话术：{entry.title}】\n{entry_text(entry)}")
    for i, hit in enumerate(context.passages, 1):
        parts.append(f"[{i}] 《{hit.title}》{hit.section}\n{hit.text}")
    if context.profile is not None and context.profile.profile is not None:
        parts.append(f"【客户档案】\n{context.profile.text}")
    return "\n\n".join(parts)


def entry_text(entry: Entry) -> str:
    """A talk-track entry's own fields (whatever its kind) as plain lines for the prompt."""
    from bot.agent.playbooks import Entry, SpinQuestion

    common = {f.name for f in fields(Entry)}
    lines = []
    for f in fields(entry):
        value = getattr(entry, f.name)
        if f.name in common or not value:
            continue
        if isinstance(value, str):
            lines.append(f"{f.name}: {value}")
        else:
            lines += [f"- {v.ask}（{v.probes}）" if isinstance(v, SpinQuestion) else f"- {v}" for v in value]
    return "\n".join(lines)
