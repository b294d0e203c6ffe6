"""The words around a talk track (headings, labels, the not-covered and help texts) in the language the
adviser wrote: Chinese, or English when they wrote English and the library's entries carry an English
version (`en:` in knowledge/playbooks/). The talk tracks themselves are the library's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.agent.playbooks import Entry


@dataclass(frozen=True)
class Wording:
    english: bool
    concerns: str  # several concerns in one message, answered point by point: {n} is how many
    why: str
    behind: str  # why, in the short form of one concern among several
    say: str
    ask_next: str
    ask_next_inline: str  # the same before the question on its line
    never: str
    if_client_means: str  # another reading of the concern: {title}
    if_you_mean: str  # another of the course's methods: {title}
    icebreaker: str
    spin: str
    stage_names: dict[str, str]
    probes: str  # what a SPIN question probes: {probes}
    discovery_reminders: tuple[str, ...]
    do_not: str
    meeting: str  # a meeting plan's heading: {title}
    goal: str
    opener: str
    points: str
    also: str  # a second occasion of the same meeting: {title}
    have_questions: str  # the kind of client's questions: {name}
    likely_concerns: str
    next_step: str
    verdicts: dict[str, str]  # the library's verdict (不行 / 可以 / 看情况) as said to the adviser
    verdict: str  # the verdict, then the rule: {verdict} {rule}
    because: str
    instead: str
    make_sure: str
    think_about: str
    material_says: str
    not_covered: str
    off_topic: str
    help: str
    title_mark: str  # a talk track's title: {}
    quote_mark: str  # a line to say: {}
    joiner: str  # never-lines in a row
    colon: str

    def of(self, entry: Entry) -> Entry:
        """The entry in this language: its English version when it has one and the adviser wrote English."""
        return entry.english if self.english and entry.english is not None else entry


_OFFER_ZH = "异议处理、按客户类型挖需求、见客户前的准备、合规问题、课程里的方法"
_OFFER_EN = ("objections, needs discovery by kind of client, preparing a meeting, compliance questions, "
             "the course's methods")

CHINESE = Wording(
    english=False,
    concerns="客户这段话里有 {n} 个顾虑，逐条接：", why="背后原因：", behind="背后：", say="可以这样说：",
    ask_next="接着问：", ask_next_inline="接着问：", never="千万别：",
    if_client_means="如果客户其实是【{title}】：",
    if_you_mean="如果你问的是【{title}】：", icebreaker="破冰：",
    spin="再按 SPIN 顺序问（背景→难点→影响→价值），多用开放式问题：",
    stage_names={"situation": "背景", "problem": "难点", "implication": "影响", "need_payoff": "价值"},
    probes="（摸：{probes}）",
    discovery_reminders=("提醒：客户认可了需求再讲方案；不方便说的不追问。",
                         "下一步：把听到的需求用客户自己的话复述一遍请他确认，约下次带着方案再谈。"),
    do_not="别做：", meeting="【{title}】见面前的准备", goal="目标：", opener="开场：", points="要点：",
    also="这次还是{title}，也要做到：", have_questions="备好这几个问题（{name}）：",
    likely_concerns="可能听到的顾虑：", next_step="下一步：",
    verdicts={"不行": "不行", "可以": "可以", "看情况": "看情况"}, verdict="{verdict}。{rule}",
    because="为什么：", instead="可以这样做：", make_sure="要做到：",
    think_about="可以想一想：", material_says="培训资料里是这么讲的：",
    not_covered=("培训资料里没有找到和这个问题相关的内容，我不想凭空编一个答案给你。\n"
                 f"我能帮你的是：{_OFFER_ZH}（九宫格、客户分层、转介绍、沙龙……），以及记录拜访和提醒跟进。"),
    off_topic=("这个不在培训资料的范围里，我就不乱说了（培训资料里没有相关内容）。\n"
               f"我能帮你的是：{_OFFER_ZH}，以及记录拜访和提醒跟进。"),
    help=("我是你的理财经理助手，可以：\n"
          "1. 异议处理：把客户的原话发给我，我给你话术和接下来要问的问题\n"
          "2. 需求挖掘：告诉我客户是做什么的，我给你破冰和 SPIN 问题\n"
          "3. 见客户前准备：“明天见王总，帮我准备一下”\n"
          "4. 合规：“能不能……”我直接告诉你行不行、为什么\n"
          "5. 记录拜访：直接发“刚见完王总，50万年金有兴趣，下周五再约”\n"
          "6. 客户跟进：“这周要跟进谁？”“王总最近怎么样？”\n"
          "命令：/prep 名字、/log 内容、/followups、/undo"),
    title_mark="【{}】", quote_mark="“{}”", joiner="；", colon="：",
)

ENGLISH = Wording(
    english=True,
    concerns="The client raised {n} concerns here; take them one by one:", why="Why the client says it: ",
    behind="Behind it: ", say="You could say:", ask_next="Then ask:", ask_next_inline="Then ask: ",
    never="Never: ",
    if_client_means="If the client really means [{title}]:", if_you_mean="If you meant [{title}]:",
    icebreaker="Icebreakers:",
    spin="Then ask in SPIN order (situation → problem → implication → need-payoff), with open questions:",
    stage_names={"situation": "situation", "problem": "problem", "implication": "implication",
                 "need_payoff": "need-payoff"},
    probes=" (probes: {probes})",
    discovery_reminders=("Remember: propose a solution only once the client agrees on the need; don't "
                         "press on what they'd rather not say.",
                         "Next step: repeat the needs you heard in the client's own words, have them "
                         "confirm, and book the next meeting to bring a proposal."),
    do_not="Don't: ", meeting="[{title}] Preparing the meeting", goal="Goal: ", opener="Opening: ",
    points="Key points:", also="This is also {title}; make sure to:",
    have_questions="Have these questions ready ({name}):", likely_concerns="Concerns you may hear:",
    next_step="Next step: ", verdicts={"不行": "Not allowed", "可以": "Yes, you may", "看情况": "It depends"},
    verdict="{verdict}. {rule}", because="Why: ",
    instead="What to do instead:", make_sure="Make sure to:", think_about="Think about:",
    material_says="The training material (in Chinese) says:",
    not_covered=("The training material does not cover this, and I won't make up an answer.\n"
                 f"I can help with {_OFFER_EN} (nine-grid, client tiers, referrals, salons …), logging "
                 "visits and reminding you of follow-ups."),
    off_topic=("That is outside the training material, so I won't guess (the material does not cover it).\n"
               f"I can help with {_OFFER_EN}, logging visits and reminding you of follow-ups."),
    help=("I'm your wealth adviser's assistant. I can help with:\n"
          "1. Objections: send me what the client said; I give you a talk track and what to ask next\n"
          "2. Needs discovery: tell me what the client does; I give you icebreakers and SPIN questions\n"
          "3. Meeting prep: \"Seeing Mr Wang tomorrow, help me prepare\"\n"
          "4. Compliance: \"Can I …?\" I tell you straight whether you may, and why\n"
          "5. Logging a visit: \"Just met Mr Wang, interested in a 500k annuity, meet again next Friday\"\n"
          "6. Follow-ups: \"Who do I need to follow up this week?\"\n"
          "Commands: /prep name, /log text, /followups, /undo"),
    # English never-lines are sentences of their own: a space joins them.
    title_mark="[{}]", quote_mark='"{}"', joiner=" ", colon=": ",
)


def wording_for(english: bool) -> Wording:
    """The words of an answer to an adviser who wrote English (`english`), else Chinese."""
    return ENGLISH if english else CHINESE
