"""The words around a talk track (headings, labels, the not-covered and help texts) in the language the
adviser wrote: Chinese, or English when they wrote English and the library's entries carry an English
version (`en:` in knowledge/playbooks/). The talk tracks themselves are the library's data.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    # The library's notes on the client's line of business and on the product talked about.
    industry_note: str  # {name} {money}
    circumstance_note: str  # {name} {means}
    product_note: str  # {name} {facts}
    early_money: str  # how money comes out early: the product's liquidity
    never_say: str
    not_covered: str
    off_topic: str
    help: str
    title_mark: str  # a talk track's title: {}
    quote_mark: str  # a line to say: {}
    joiner: str  # never-lines in a row
    colon: str
    # The adviser's own clients (the call plan from the tracker, tracker answers): the client's record in
    # this language, the talk track of the plan from knowledge/playbooks/call_plan.yaml.
    emotions: dict[str, str]  # the tracker's mood (resistant / neutral / positive) as said to the adviser
    familiarities: dict[str, str]  # new / acquainted / close
    unknown: str
    tier_unknown: str
    listing: str  # between the items of a list in a line
    aside: str  # a remark after a line: {}
    plan_head: str  # {name} {tier} {risk} {familiarity} {emotion}
    earlier_notes: str
    products_discussed: str
    amount_about: str  # {amount}
    follow_ups: str
    occasion: str  # {title} {goal}
    grid_approach: str
    to_find_out: str  # {name} of the kind of client
    likely_objections: str
    ask_again: str
    compliance: str
    contacts_due: str  # {n} contacts a month by tier
    no_record: str  # {name}
    suggestion: str
    nothing_due_today: str
    nothing_due: str  # {days}
    due_heading: str  # {n}
    due_item: str  # {name} {tier} {when} {why} {last}
    overdue: str  # {days}
    due_on: str  # {day}
    follow_up_set: str
    cadence_due: str
    last_note: str
    grid_heading: str
    grid_row: str  # {familiarity} {emotion} {names}
    grid_row_approach: str
    clients_of: str  # {emotion}
    no_clients_of: str  # {emotion}
    no_clients: str
    profile_head: str  # {name} {tier} {risk} {familiarity} {emotion} {notes}
    last_contact: str  # {day}
    products_named: str
    largest_amount: str
    open_concerns: str

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
    industry_note="行业要点（{name}）：{money}", circumstance_note="客户近况（{name}）：{means}",
    product_note="产品要点（{name}）：{facts}",
    early_money="- 急用钱：", never_say="- 别说：",
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
    emotions={"resistant": "抗拒", "neutral": "中立", "positive": "积极"},
    familiarities={"new": "新客户", "acquainted": "一般熟悉", "close": "熟悉"},
    unknown="未知", tier_unknown="层级未知", listing="、", aside="（{}）",
    plan_head="【{name}】{tier}｜风险等级 {risk}｜{familiarity}｜情绪 {emotion}",
    earlier_notes="之前的记录（新的在前）：", products_discussed="谈过的产品：",
    amount_about="，金额约 {amount}",
    follow_ups="待跟进：", occasion="这次是【{title}】：{goal}", grid_approach="打法（九宫格）：",
    to_find_out="要问清楚的（{name}）：", likely_objections="可能的异议和应对：", ask_again="  再问：",
    compliance="合规：", contacts_due="（按层级每月至少联系 {n} 次）",
    no_record="客户记录里没有“{name}”。见完客户发我一句话就能记下来。", suggestion="\n建议：",
    nothing_due_today="今天没有到期或逾期要跟进的客户。",
    nothing_due="未来 {days} 天没有到期或逾期要跟进的客户。",
    due_heading="需要跟进的客户（{n} 位，逾期的在前）：", due_item="{name}（{tier}）：{when}，{why}{last}",
    overdue="逾期 {days} 天", due_on="{day:%m-%d} 到期", follow_up_set="约定的跟进",
    cadence_due="按层级该联系了",
    last_note="｜上次：", grid_heading="客户九宫格（熟悉度 × 情绪）：",
    grid_row="{familiarity} × {emotion}：{names}", grid_row_approach="  打法：",
    clients_of="{emotion}型客户：",
    no_clients_of="目前没有{emotion}型的客户记录。", no_clients="还没有客户记录。",
    profile_head="{name}：层级 {tier}，风险等级 {risk}，{familiarity}，情绪 {emotion}，共 {notes} 条记录",
    last_contact="，上次联系 {day:%m-%d}", products_named="涉及产品：", largest_amount="提到的最大金额：",
    open_concerns="未解决的顾虑：",
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
    industry_note="Line of business ({name}): {money}",
    circumstance_note="What is going on ({name}): {means}", product_note="About {name}: {facts}",
    early_money="- If the money is needed early: ", never_say="- Careful: ",
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
    emotions={"resistant": "resistant", "neutral": "neutral", "positive": "positive"},
    familiarities={"new": "new client", "acquainted": "acquainted", "close": "close"},
    unknown="unknown", tier_unknown="tier unknown", listing=", ", aside=" ({})",
    plan_head="[{name}] {tier} | risk level {risk} | {familiarity} | mood {emotion}",
    earlier_notes="Earlier notes (newest first):", products_discussed="Products discussed: ",
    amount_about=", about {amount}", follow_ups="Follow-ups due: ",
    occasion="This time it's [{title}]: {goal}",
    grid_approach="Approach (nine-grid): ", to_find_out="Find out ({name}):",
    likely_objections="Likely objections and how to answer:", ask_again="  Then ask: ",
    compliance="Compliance: ", contacts_due=" (this tier: contact at least {n} times a month)",
    no_record='There is no record of "{name}" yet. Send me a line after you see the client and I\'ll log it.',
    suggestion="\nSuggested approach: ", nothing_due_today="No follow-ups due or overdue today.",
    nothing_due="No follow-ups due or overdue in the next {days} days.",
    due_heading="Clients to follow up ({n}, overdue first):", due_item="{name} ({tier}): {when}, {why}{last}",
    overdue="{days} day(s) overdue", due_on="due {day:%m-%d}", follow_up_set="a follow-up you set",
    cadence_due="due for contact by tier", last_note=" | last: ",
    grid_heading="Client nine-grid (familiarity × mood):", grid_row="{familiarity} × {emotion}: {names}",
    grid_row_approach="  Approach: ", clients_of="Clients who are {emotion}:",
    no_clients_of="No {emotion} clients on record yet.", no_clients="No client records yet.",
    profile_head="{name}: tier {tier}, risk level {risk}, {familiarity}, mood {emotion}, {notes} note(s)",
    last_contact=", last contact {day:%m-%d}", products_named="Products: ",
    largest_amount="Largest amount mentioned: ", open_concerns="Open concerns: ",
)


def wording_for(english: bool) -> Wording:
    """The words of an answer to an adviser who wrote English (`english`), else Chinese."""
    return ENGLISH if english else CHINESE


def wording_showing(english: bool, entries: Iterable[Entry]) -> Wording:
    """The words of an answer that shows `entries`: English only when the adviser wrote English and every
    one of them has its English version (a trainer's new entry may not yet): one language per answer."""
    return wording_for(english and all(e.english is not None for e in entries))
