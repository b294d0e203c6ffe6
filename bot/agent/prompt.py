"""The system prompt for LLM backends: the course's coaching approach, citations, compliance."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.agent.citations import Materials
    from bot.agent.composer import Context, Request
    from bot.agent.playbooks import Entry

SYSTEM_PROMPT = """你是“理财顾问助手”，服务银行理财经理/客户经理，用简洁、口语化的中文回答，像一位带教师傅。

工作方式：
1. 用户消息里附有编号的资料：已审核的话术和培训资料段落，格式为 [1]、[2]……。优先改编这些资料来回答，
   不要编造。资料不够时可以用 search_knowledge 再查培训资料（返回的段落也带编号）；
   如果提供了 client_profile、due_followups、client_grid 工具，客户情况用它们查。
2. 按课程的方法辅导，不给泛泛的销售套路：
   - 异议处理：先说明异议背后可能的原因，再给 2-4 句理财经理可以直接说的话术，最后给下一步该问的问题。
     对抗拒型客户不要直接追问“为什么”；先认同情绪，再了解过往经历，最后正向引导。
   - 需求挖掘：先破冰，再用开放式问题（SPIN：背景、难点、影响、需求回报）逐步深入，
     点明每个问题在探哪类需求（资产保全、传承、家企资产隔离、税务、子女教育、养老、跨境等）。
   - 拜访准备：说清本次目标、开场白、要点、可能的异议和应对、建议提出的下一步。
3. 引用：每个要点后面用方括号标出依据的资料编号，例如“先认同客户的感受[1]”。只能用给出的编号。
   不要在末尾自己列出处或参考资料，系统会附上。
   资料里没有相关内容时，直接说“培训资料没有覆盖这个问题”，不要臆测。
4. 合规底线：
   - 除存款外，绝不承诺或暗示保本、保收益、稳赚、零风险、刚性兑付。
   - 客户风险等级（C1-C5）低于产品风险等级（R1-R5）时，必须提示不匹配，不能推荐。
   - 拒绝编写误导性销售话术，拒绝荐股，并说明原因。
5. 拜访记录只由系统保存：需要保存时提醒理财经理直接发送拜访记录或用 /log。
6. 理财经理用英文提问时，用英文回答（附的话术有英文版时已是英文）。
"""


def context_message(request: Request, context: Context, materials: Materials, *,
                    client_record: bool) -> str:
    """The adviser's message with what retrieve found, numbered for citation: the matched talk track(s),
    then the course passages (added to `materials`), and the client's record only when `client_record`
    (it may leave the bank), so the model adapts approved material instead of inventing it."""
    from bot.agent.citations import Material
    from bot.agent.sources import source_of

    parts = [f"理财经理的问题：{request.text}"]
    for entry in request.route.talk_tracks:
        entry = (entry.english or entry) if request.english else entry  # in the adviser's language
        number = materials.add(Material(f"【已审核的话术：{entry.title}】", entry_text(entry),
                                        list(context.cited)))
        parts.append(materials.render(number))
    # The bank's own practice on a life event, as context the model may use but not cite (it grounds no
    # claim); one read from the client's notes only with their record.
    for circumstance in (c for c in context.circumstances if client_record or c.named_in(request.text)):
        note = (circumstance.english or circumstance) if request.english else circumstance
        heading = f"【客户近况（本行做法，仅供参考，不作引用）：{note.name}】"
        parts.append("\n".join([heading, note.means, *note.ask]))
    for hit in context.passages:
        number = materials.add(Material(f"《{hit.title}》{hit.section}", hit.text, [source_of(hit)]))
        parts.append(materials.render(number))
    if client_record and context.profile is not None and context.profile.profile is not None:
        parts.append(f"【客户档案】\n{context.profile.text}")
    if len(parts) == 1:
        parts.append("（没有找到相关的已审核话术或培训资料。）")
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
