"""The offline composer: answers from playbooks, the knowledge base and the tracker, no model needed.

Written the way an adviser would say it, in short lines that read on a phone, with sources.
Client-facing intents (prep, log, tracker) live in offline_clients.py.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.agent.extract import best_sentences
from bot.agent.reply import Reply, Source
from bot.agent.tools import AgentTools, char_bigrams
from knowledge.types import Hit

NOT_COVERED = ("培训资料里没有找到和这个问题相关的内容，我不想凭空编一个答案给你。\n"
               "可以换个说法再问，或者问我异议处理、需求挖掘、客户分层、跟进节奏、见客户前的准备。")
HELP = ("我是你的理财经理助手，可以：\n"
        "1. 异议处理：“客户说保险都是骗人的，怎么回？”\n"
        "2. 需求挖掘：“第一次见企业主，问哪些问题？”\n"
        "3. 见客户前准备：“明天见王总，帮我准备一下”\n"
        "4. 记录拜访：直接发“刚见完王总，50万年金有兴趣，下周五再约”\n"
        "5. 客户跟进：“这周要跟进谁？”“王总最近怎么样？”“哪些客户是抗拒型的？”\n"
        "6. 培训资料里的其他问题，我会注明出处。\n"
        "命令：/prep 名字、/log 内容、/followups、/undo")
STAGE_TAG = {"icebreaker": "破冰", "situation": "背景", "problem": "难点", "implication": "影响",
             "need_payoff": "价值"}


SOURCES_HEADER = "📚 出处："


def compose_offline(tools: AgentTools, adviser_id: int, text: str, intent: str, now: datetime) -> Reply:
    """The offline answer to `text`, already routed to `intent`."""
    from bot.agent import offline_clients

    composers = {"objection": compose_objection, "discovery": compose_discovery,
                 "knowledge": compose_knowledge, "prep": offline_clients.compose_prep,
                 "log": offline_clients.compose_log, "tracker": offline_clients.compose_tracker}
    if intent in ("objection", "knowledge", "other"):
        from bot.agent.suitability import suitability_reply

        suitable = suitability_reply(tools, adviser_id, text, intent)
        if suitable is not None:
            return suitable
    composer = composers.get(intent)
    if composer is None:
        return Reply(intent="other", text=HELP)
    reply = composer(tools, adviser_id, text, now)
    reply.intent = intent
    return reply


# -- shared helpers ---------------------------------------------------------------------------------

def citation_sources(citations) -> list[Source]:  # noqa: ANN001 - playbook Citation tuples
    """Playbook citations as sources (our own content, source None, is not cited)."""
    out = []
    for c in citations:
        if c.source:
            out.append(Source(title="培训资料", section=c.quote[:24], source=c.source))
    return out


def hit_sources(hits: list[Hit]) -> list[Source]:
    seen, out = set(), []
    for h in hits:
        key = (h.source, h.title, h.section)
        if key not in seen:
            seen.add(key)
            out.append(Source(title=h.title, section=h.section, source=h.source, chunk_id=h.chunk_id))
    return out


def merge_sources(*groups: list[Source]) -> list[Source]:
    seen, out = set(), []
    for group in groups:
        for s in group:
            key = (s.source, s.title, s.section)
            if key not in seen:
                seen.add(key)
                out.append(s)
    return out


def render_sources(sources: list[Source], limit: int = 4) -> str:
    if not sources:
        return ""
    lines = []
    for s in sources[:limit]:
        where = " · ".join(p for p in (s.title, s.section) if p)
        lines.append(f"- {where}（{s.source}）")
    return f"{SOURCES_HEADER}\n" + "\n".join(lines)


def key_sentences(query: str, passage: str, limit: int = 2, max_chars: int = 160) -> str:
    """The sentences of a passage that share the most with the query: a gist, not a dump."""
    sentences = [s.strip() for s in re.split(r"(?<=[。！？；!?;])|\n", passage) if len(s.strip()) >= 8]
    if not sentences:
        return passage[:max_chars]
    q = char_bigrams(query)
    ranked = sorted(range(len(sentences)), key=lambda i: -len(q & char_bigrams(sentences[i])))[:limit]
    gist = "".join(sentences[i] for i in sorted(ranked))
    gist = re.sub(r"\s+", "", gist) if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", gist) else gist
    return gist if len(gist) <= max_chars else gist[:max_chars] + "…"


def search(tools: AgentTools, query: str, k: int = 4) -> list[Hit]:
    try:
        return tools.search_knowledge(query, k).hits
    except Exception:  # the knowledge base may be missing (not ingested): playbooks still answer
        return []


# -- objection ------------------------------------------------------------------------------------

def match_objections(playbooks, text: str, limit: int = 1) -> list:  # noqa: ANN001
    scored = []
    for o in playbooks.objections:
        score = sum(len(cue) for cue in o.cues if cue.lower() in text.lower())
        if score:
            scored.append((score, o))
    scored.sort(key=lambda pair: -pair[0])
    return [o for _, o in scored[:limit]]


def objection_block(o, *, short: bool = False) -> list[str]:  # noqa: ANN001
    lines = [f"【{o.name}】", f"背后原因：{o.behind}", "可以这样说："]
    talk = o.talk_track[:2] if short else o.talk_track
    lines += [f"{i}. “{line}”" for i, line in enumerate(talk, 1)]
    if not short:
        lines.append("接着问：")
        lines += [f"- {q}" for q in o.ask_next[:3]]
        if o.avoid:
            lines.append(f"注意：{o.avoid}")
    return lines


def compose_objection(tools: AgentTools, adviser_id: int, text: str, now: datetime) -> Reply:
    matches = match_objections(tools.playbooks, text)
    hits = search(tools, text, k=3)
    if matches:
        o = matches[0]
        lines = objection_block(o)
        sources = merge_sources(hit_sources(hits[:2]), citation_sources(o.citations))
    else:
        lines = ["【客户有抵触时】",
                 "背后原因：抗拒往往来自过去不愉快的经历或身边人的影响，当场追问“为什么”只会加深负面情绪。",
                 "可以这样说：",
                 "1. “您的顾虑我完全理解，谨慎是对的。”",
                 "2. “以前有没有遇到过不太满意的理财经历？我想先听听。”",
                 "3. “今天不谈产品，我先帮您把现有的安排梳理一下。”",
                 "接着问：", "- 您最看重的是安全、收益还是随时能用？", "- 这笔钱大概多久内用不到？",
                 "注意：不要直接问客户为什么抗拒，先接住情绪，再引导到正面的需求上。"]
        extracts = best_sentences(text, hits, limit=1, min_overlap=0.3)  # only a passage on this point
        lines += [f"资料要点：{e.sentence}" for e in extracts]
        sources = hit_sources([e.hit for e in extracts])
    body = "\n".join(lines)
    return Reply(intent="objection", text=_with_sources(body, sources), sources=sources)


# -- discovery ------------------------------------------------------------------------------------

def match_client_type(playbooks, text: str):  # noqa: ANN001, ANN201
    best, best_score = None, 0
    for ct in playbooks.client_types:
        score = sum(len(cue) for cue in ct.cues if cue.lower() in text.lower())
        if score > best_score:
            best, best_score = ct, score
    return best or playbooks.client_type("general") or playbooks.client_types[-1]


def discovery_lines(playbooks, ct, limit: int = 7) -> list[str]:  # noqa: ANN001
    lines = ["先破冰，再按 SPIN 顺序问（背景→难点→影响→价值），多用开放式问题："]
    for i, q in enumerate(ct.questions[:limit], 1):
        lines.append(f"{i}. [{STAGE_TAG.get(q.stage, q.stage)}] {q.question}")
    needs = "、".join(playbooks.needs[n] for n in ct.needs)
    lines.append(f"这些问题在摸的需求：{needs}")
    return lines


def compose_discovery(tools: AgentTools, adviser_id: int, text: str, now: datetime) -> Reply:
    pb = tools.playbooks
    ct = match_client_type(pb, text)
    lines = [f"【{ct.name}】{ct.traits}"] + discovery_lines(pb, ct)
    lines.append("提醒：先确认客户需求，客户认可了再讲方案；不方便说的不追问。")
    hits = search(tools, text, k=3)
    sources = merge_sources(hit_sources(hits[:2]), citation_sources(ct.citations))
    return Reply(intent="discovery", text=_with_sources("\n".join(lines), sources), sources=sources)


# -- knowledge ------------------------------------------------------------------------------------

def compose_knowledge(tools: AgentTools, adviser_id: int, text: str, now: datetime) -> Reply:
    hits = search(tools, text, k=5)
    if not hits:
        return Reply(intent="knowledge", text=NOT_COVERED)
    extracts = best_sentences(text, hits)
    if extracts:
        lines = ["培训资料里的要点："] + [f"{i}. {e.sentence}" for i, e in enumerate(extracts, 1)]
        used = list({id(e.hit): e.hit for e in extracts}.values())
    else:  # only headings and outlines matched: show the passages' gist
        used = hits[:3]
        lines = ["培训资料里是这么说的："]
        lines += [f"{i}. {key_sentences(text, h.text)}" for i, h in enumerate(used, 1)]
    sources = hit_sources(used)
    return Reply(intent="knowledge", text=_with_sources("\n".join(lines), sources), sources=sources)


def _with_sources(body: str, sources: list[Source]) -> str:
    tail = render_sources(sources)
    return f"{body}\n\n{tail}" if tail else body
