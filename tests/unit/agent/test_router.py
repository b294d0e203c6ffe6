"""route: hard signals first, then the nearest labelled phrasings (words and meaning)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.agent.cues import clauses, without_ask
from bot.agent.guard_patterns import Refusal
from bot.agent.phrase_match import PhraseMatcher
from bot.agent.playbook_files import load_playbooks
from bot.agent.route import Route
from bot.agent.router import Router
from bot.agent.service import Agent
from knowledge.phrases import Neighbour


@pytest.fixture
def router(agent: Agent) -> Router:
    return agent.router


def known(name: str) -> bool:
    return name == "王总"


@pytest.mark.parametrize(("text", "kind"), [
    ("刚见完王总，对家族信托有兴趣，下周二再约", "log"),
    ("王总签了，50万", "log"),
    ("刚见完王总 他嫌收益低 怎么回", "confirm"),
    ("明天见王总 帮我准备一下", "prep"),
    ("周五见王总", "prep"),
    ("客户风险等级C2 想买R4的产品", "suitability"),
    ("你好", "other"),
])
def test_hard_signals(router: Router, text: str, kind: str) -> None:
    assert router.route(text, known_client=known).kind == kind


def test_what_keeps_happening_at_meetings_is_no_visit_to_log(router: Router) -> None:
    route = router.route("王姨每次聊完都说好好好 最后一句等我闺女回来商量 这个咋破", known_client=known)
    assert route.kind not in ("log", "confirm")


def test_a_past_meeting_with_no_one_named_and_a_question_is_left_to_meaning(router: Router) -> None:
    ranking = [Neighbour("method:m_salon", "p", 0.99), Neighbour("route:log", "p", 0.95)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("沙龙办完客户吃完就散了 后面咋跟进").kind == "method"
    read_as_visit = Router(router.playbooks, FixedRanking(ranking[::-1]), lambda text: None)
    assert read_as_visit.route("沙龙办完客户吃完就散了 后面咋跟进").kind == "confirm"


def test_outcomes_of_clients_in_general_are_not_notes(router: Router) -> None:
    route = router.route("我客户已经在别家买了一堆了 说不用再买", known_client=known)
    assert route.kind not in ("log", "confirm")


def test_a_meeting_ahead_with_an_unknown_client_is_never_logged(router: Router) -> None:
    assert router.route("明天见李总", known_client=known).kind not in ("log", "confirm")


def test_as_question_is_never_a_note(router: Router) -> None:
    route = router.route("刚见完王总 他嫌收益低", known_client=known, as_question=True)
    assert route.kind not in ("log", "confirm")


def test_meaning_picks_the_entry_and_its_intent(router: Router) -> None:
    route = router.route("客户说回去跟老婆商量")
    assert route.kind == "objection" and route.intent == "objection"
    assert [e.id for e in route.entries] == ["ask_family"]
    assert router.route("客户是医院的大夫").intent == "discovery"
    assert router.route("九宫格怎么用").kind == "method"


def test_far_from_every_phrasing_goes_to_the_knowledge_base(router: Router) -> None:
    route = router.route("ξζψ")
    assert route.kind == "knowledge" and not route.entries


def test_off_topic_and_greetings_go_to_other(router: Router) -> None:
    assert router.route("帮我订机票").intent == "other"


def test_a_request_for_a_violation_is_refused_with_the_rule(router: Router) -> None:
    route = router.route("帮我写个保本话术发给客户")
    assert route.kind == "refusal" and route.refusal


def test_a_pasted_message_with_two_concerns_gets_two_talk_tracks(router: Router) -> None:
    route = router.route("客户嫌收益太低。还有 要回去跟老婆商量")
    assert {e.id for e in route.entries} == {"low_yield", "ask_family"}


def test_clauses_split_on_sentences_and_turns() -> None:
    assert clauses("收益太低了。而且要跟家里商量") == ["收益太低了", "要跟家里商量"]
    # Who is quoted, before a colon, is no concern of its own.
    quoted = 'Expat client at our branch: "Your fees are way higher than my broker" how do I answer'
    assert clauses(quoted) == ["Your fees are way higher than my broker"]


def test_a_pasted_chat_message_splits_where_the_client_typed_spaces() -> None:
    pasted = "客户微信：利率又降了 存款不划算 但理财又怕亏"
    assert clauses(pasted) == ["利率又降了", "存款不划算", "但理财又怕亏"]
    marked = "客户微信：「才2.3 还不如放余额宝 而且要锁一年 我用钱咋办」"  # its turn marks the sentences
    assert clauses(marked) == ["才2.3 还不如放余额宝", "要锁一年 我用钱咋办"]
    said = "客户说利率又降了 存款不划算"  # not pasted: one concern
    assert clauses(said) == [said]


def test_the_advisers_english_frame_is_no_concern_of_its_own() -> None:
    quoted = 'Client said "I lost money on a structured note, nothing complex for me", how do I respond'
    assert clauses(quoted) == ["I lost money on a structured note, nothing complex for me"]
    # Who the client is stays: it may be what the concern is about.
    assert clauses('young client in crypto says "your products are a joke"') == [
        "young client in crypto says", "your products are a joke"]


def test_the_advisers_own_ask_at_the_end_is_left_out_of_matching() -> None:
    assert without_ask("客户说收益太低 咋回") == "客户说收益太低"
    assert without_ask("client says fees too high, how do I respond?") == "client says fees too high"
    assert without_ask("客户说不需要 我该怎么回复呢？") == "客户说不需要"
    assert without_ask("怎么办") == "怎么办"  # nothing else to match on


def test_counted_points_are_concerns_of_their_own() -> None:
    assert clauses("他说一是费用高 二是锁得久 三是怕亏") == ["一是费用高", "二是锁得久", "三是怕亏"]
    assert clauses("第一收益太低 第二期限太长") == ["第一收益太低", "第二期限太长"]
    assert clauses("他说这个二是二的 不太懂") == ["他说这个二是二的 不太懂"]  # nothing counted first


def test_a_meeting_ahead_with_nobody_known_gets_a_first_meeting_plan(router: Router) -> None:
    route = router.route("明天第一次见开厂的 帮我准备下")
    assert route.kind == "first_meeting" and route.intent == "prep"
    assert router.route("钱早就准备好了 不用操心").kind != "first_meeting"


def test_a_clients_quoted_words_are_not_a_visit(router: Router) -> None:
    # 买了 inside what the client said is no purchase the adviser is reporting
    route = router.route("李阿姨说去年买的基金亏了 再也不碰了 怎么回", known_client=known)
    assert route.kind not in ("log", "confirm")
    route = router.route("李阿姨说年底要用钱 一分都不能动", known_client=known)
    assert route.kind not in ("log", "confirm")


def test_planning_a_call_is_prep_not_an_objection(router: Router) -> None:
    route = router.route("明天要打电话给王总 电话里怎么说", known_client=known)
    assert route.kind == "prep"


@pytest.mark.parametrize("text", ["课程里客户分层分哪几层 帮我捋一下", "九宫格那套 每个阶段怎么用 捋一下"])
def test_a_course_question_is_not_a_meeting_plan(router: Router, text: str) -> None:
    route = router.route(text, known_client=known)
    assert route.kind not in ("prep", "first_meeting")



class FixedRanking(PhraseMatcher):
    """The real matcher with a ranking given by the test (no model)."""

    def __init__(self, ranking: list[Neighbour]) -> None:
        super().__init__([], lambda: None)
        self.ranking = ranking

    def rank(self, text: str) -> list[Neighbour]:
        return list(self.ranking)

    def prime(self, texts: Sequence[str]) -> None:
        """Nothing to embed ahead: the ranking is given."""


@pytest.mark.parametrize(("runner_up", "offered"), [(0.94, True), (0.90, False)])
def test_a_near_second_objection_is_offered_as_another_reading(router: Router, runner_up: float,
                                                               offered: bool) -> None:
    ranking = [Neighbour("objection:low_yield", "p", 0.95), Neighbour("objection:ask_family", "p", runner_up)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    route = fixed.route("客户嫌收益低")
    assert [e.id for e in route.entries] == ["low_yield"]
    assert (route.alternative is not None and route.alternative.id == "ask_family") is offered


def test_asking_what_to_say_is_no_quote(router: Router) -> None:
    from bot.agent.cues import CLIENT_SAYS_RE

    assert not CLIENT_SAYS_RE.search("客户生日要打电话 说啥")
    assert not CLIENT_SAYS_RE.search("电话里怎么说")
    assert CLIENT_SAYS_RE.search("王总说收益低")


def test_an_outcome_that_is_the_premise_of_asking_leave_is_no_note(router: Router) -> None:
    route = router.route("客户上周签了年金险 现在反悔了 我能帮他撤吗", known_client=known)
    assert route.kind not in ("log", "confirm")
    # Without asking leave, an outcome plus a question is still asked about (note or question?).
    assert router.route("王总签了 下一步咋跟", known_client=known).kind == "confirm"


def test_meeting_a_known_client_again_is_prep(router: Router) -> None:
    assert router.route("王总那边没进展 下周再约他 这次怎么聊", known_client=known).kind == "prep"


@pytest.mark.parametrize("text", ["周医生 我发产品给她 她就回一句 在忙 是不是不感兴趣",
                                  "陈总回了一句 没闲钱 别烦我"])
def test_a_clients_reply_or_a_yes_no_question_is_never_logged_unasked(router: Router, text: str) -> None:
    fixed = Router(router.playbooks, FixedRanking([Neighbour("route:log", "p", 0.99)]), lambda text: None)
    assert fixed.route(text).kind == "confirm"


def test_a_meeting_ahead_with_a_weekday_before_the_name_is_prep(router: Router) -> None:
    route = router.route("周六张医生来网点 帮我列个面谈提纲", known_client=lambda name: name == "张医生")
    assert (route.kind, route.client) == ("prep", "张医生")


def test_a_refusal_is_explained_by_the_nearest_rule_its_request_rule_names() -> None:
    ranking = [Neighbour("compliance:c_advance_or_misuse_funds", "p", 0.98),
               Neighbour("compliance:c_private_compensation", "p", 0.95),
               Neighbour("compliance:c_private_promise", "p", 0.93)]
    refusal = Refusal("不行。", ("c_private_promise", "c_private_compensation"))
    shipped = load_playbooks()
    fixed = Router(shipped, FixedRanking(ranking), lambda text: refusal)
    route = fixed.route("私下保证最少4% 不到我补差价 能这么干吗")
    assert (route.kind, [e.id for e in route.entries]) == ("refusal", ["c_private_compensation"])
    unranked = Router(shipped, FixedRanking(ranking[:1]), lambda text: refusal)
    assert [e.id for e in unranked.route("私下保证最少4%").entries] == ["c_private_promise"]


def test_a_named_clients_words_alone_are_never_logged_unasked(router: Router) -> None:
    fixed = Router(router.playbooks, FixedRanking([Neighbour("route:log", "p", 0.99)]), lambda text: None)
    assert fixed.route("钱老板说年底要结工程款 这笔钱不能动").kind == "confirm"
    assert fixed.route("钱老板 签了50万 下月回访").kind == "log"  # what happened, no words quoted


def test_a_first_meeting_plan_for_a_client_the_tracker_knows_is_a_call_prep(router: Router) -> None:
    ranking = [Neighbour("first_meeting:owner_first_visit", "p", 0.99)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("王总下月有笔钱到账 咋弄", known_client=known).kind == "prep"
    assert fixed.route("李总下月有笔钱到账 咋弄", known_client=known).kind == "first_meeting"
    assert router.route("王总下月钱到账 想提前约他 咋弄", known_client=known).kind == "prep"


def test_a_cue_lifts_only_a_label_near_in_meaning(router: Router) -> None:
    # "不愿意" quotes someone, but the only objection ranked shares a word and none of its phrasings is
    # among the nearest (no text): the kind of client stays.
    ranking = [Neighbour("client_type:doctor", "p", 0.957),
               Neighbour("objection:low_yield", "", 0.945)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("张医生的儿子不愿意学医 这咋整").kind == "client_type"
    near = [ranking[0], Neighbour("objection:low_yield", "p", 0.945)]
    fixed = Router(router.playbooks, FixedRanking(near), lambda text: None)
    assert fixed.route("张医生的儿子不愿意学医 这咋整").kind == "objection"


def test_asking_leave_prefers_a_rule_over_the_objection_the_client_raised(router: Router) -> None:
    ranking = [Neighbour("objection:low_yield", "p", 0.99),
               Neighbour("compliance:c_dual_recording", "p", 0.95), Neighbour("route:off_topic", "p", 0.90)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("客户嫌麻烦 能不能先办了回头再补").kind == "compliance"
    assert fixed.route("客户嫌麻烦 怎么回").kind == "objection"
    assert fixed.route("Client wants me to do it today. Is that OK?").kind == "compliance"
    off_topic_first = [Neighbour("route:off_topic", "p", 0.99), ranking[1]]
    fixed = Router(router.playbooks, FixedRanking(off_topic_first), lambda text: None)
    assert fixed.route("这只股票现在能上车吗 我自己想买点").kind == "off_topic"


def test_asking_what_to_ask_prefers_a_client_type(router: Router) -> None:
    ranking = [Neighbour("objection:low_yield", "p", 0.99),
               Neighbour("client_type:young_professional", "p", 0.97)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("回老家开小厂的这种客户 问点啥").kind == "client_type"
    assert fixed.route("客户说问啥都没用 收益太低").kind == "objection"  # the client's words
    # The adviser's own ask after a client's words: explicit, so it is read first.
    assert fixed.route("她说有空来网点坐坐 第一次见她问点啥合适").kind == "client_type"


def test_hearsay_and_the_course_are_no_client_quote() -> None:
    from bot.agent.cues import CLIENT_SAYS_RE

    assert not CLIENT_SAYS_RE.search("听说这两年往光伏转")
    assert not CLIENT_SAYS_RE.search("课上说别直接问为啥不买")
    assert CLIENT_SAYS_RE.search("张老师说理财都是忽悠人的")


@pytest.mark.parametrize(("plan", "kind"), [(0.90, "objection"), (0.975, "first_meeting")])
def test_a_clear_concern_outweighs_a_weak_meeting_cue(router: Router, plan: float, kind: str) -> None:
    ranking = [Neighbour("objection:low_yield", "p", 0.99),
               Neighbour("first_meeting:owner_first_visit", "p", plan)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("客户要装修 不想理财 怎么聊").kind == kind


@pytest.mark.parametrize(("plan", "kind"), [(0.95, "objection"), (0.995, "first_meeting")])
def test_the_clients_words_to_answer_outweigh_the_meeting_ahead(router: Router, plan: float,
                                                                 kind: str) -> None:
    ranking = [Neighbour("route:prep", "p", 1.0), Neighbour("objection:low_yield", "p", 0.97),
               Neighbour("first_meeting:owner_first_visit", "p", plan)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("约了刘姐周五来网点 她一直说收益太低 怎么整").kind == kind
    # No question of how to answer her: the meeting is what to prepare.
    assert fixed.route("约了刘姐周五来网点 她说收益太低 帮我准备一下").kind == "first_meeting"
    assert fixed.route("约了刘姐周五来网点 她说下周回她老家 帮我准备一下").kind == "first_meeting"


def test_a_visit_that_mentions_a_violation_is_asked_about_not_lectured(router: Router) -> None:
    text = "刚见完李姐 她儿子想替她签字 下周再约"
    assert router.route(text, known_client=known).kind == "confirm"  # nothing lost, nothing logged unasked
    assert router.route(text, known_client=known, as_question=True).kind == "refusal"
    assert router.route("帮我替客户签个字", known_client=known).kind == "refusal"
    # The adviser said no themselves: an honest visit report, logged.
    assert router.route("刚见完李姐 她儿子想替她签字 我拒绝了 下周再约", known_client=known).kind == "log"


def test_a_call_to_make_is_prep(router: Router) -> None:
    assert router.route("王总那边国债快到期了 这周打个电话 咋说", known_client=known).kind == "prep"
    assert router.route("王总刚添了孙子 准备给他打个电话 咋把握", known_client=known).kind == "prep"


def test_whom_a_meeting_is_with_is_read_apart_from_the_occasion() -> None:
    from bot.agent.cues import meeting_with

    assert meeting_with("明天陪支行长去见一个上市公司董秘 行长让我准备") == "上市公司董秘"
    assert meeting_with("新调来网点 要去拜访个退休老干部 是存量客户") == "退休老干部"
    assert meeting_with("见面前准备啥") is None and meeting_with("我有个意见") is None


def test_a_meeting_plan_brings_the_kind_of_client_it_is_with(router: Router) -> None:
    ranking = [Neighbour("first_meeting:owner_first_visit", "p", 0.99),
               Neighbour("client_type:doctor", "p", 0.95)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    route = fixed.route("明天陪行长去见一个医院的主任 帮我准备下")
    assert route.intent == "prep" and [e.id for e in route.entries] == ["owner_first_visit", "doctor"]


@pytest.mark.parametrize(("type_similarity", "joins"), [(0.97, True), (0.94, False)])
def test_without_whom_a_near_client_type_joins_the_plan(router: Router, type_similarity: float,
                                                        joins: bool) -> None:
    ranking = [Neighbour("first_meeting:owner_first_visit", "p", 0.99),
               Neighbour("client_type:doctor", "p", type_similarity)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    route = fixed.route("周五那个会 帮我准备下")
    expected = ["owner_first_visit", "doctor"] if joins else ["owner_first_visit"]
    assert [e.id for e in route.entries] == expected


@pytest.mark.parametrize(("runner_up", "joins"), [(0.90, True), (0.97, False)])
def test_a_known_clients_call_prep_takes_an_occasion_only_when_named_clearly(router: Router, runner_up: float,
                                                                              joins: bool) -> None:
    ranking = [Neighbour("first_meeting:owner_first_visit", "p", 0.99),
               Neighbour("route:prep", "p", runner_up), Neighbour("first_meeting:other_plan", "p", runner_up)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    route = fixed.route("明天见王总 帮我准备一下", known_client=known)
    assert route.kind == "prep" and route.client == "王总"
    assert [e.id for e in route.entries] == (["owner_first_visit"] if joins else [])


@pytest.mark.parametrize("text", ["领导让我重新维护 怎么聊需求又不踩雷", "想了解下她家情况 怎么开口",
                                  "first meeting, what questions should I ask", "怎么自然聊到他家的理财需求",
                                  "饭桌上能打听出啥需求"])
def test_asking_what_to_ask_in_other_words(text: str) -> None:
    from bot.agent.cues import WHAT_TO_ASK_RE

    assert WHAT_TO_ASK_RE.search(text)


@pytest.mark.parametrize(("nearer", "type_similarity", "text", "kind"), [
    # over a meeting plan much nearer (by its words and class) ...
    (Neighbour("first_meeting:owner_first_visit", "p", 1.04), 0.96, "开诊所的医生 第一次坐下来聊 问啥合适",
     "client_type"),
    (Neighbour("first_meeting:owner_first_visit", "p", 1.04), 0.90, "开诊所的医生 第一次坐下来聊 问啥合适",
     "first_meeting"),
    # ... over a near objection the client voiced, in the band asking leave has over one ...
    (Neighbour("objection:low_yield", "p", 0.97), 0.93, "医生客户刚离婚 说家里情况复杂 咋开口问需求",
     "client_type"),
    (Neighbour("objection:low_yield", "p", 0.97), 0.90, "医生客户刚离婚 说家里情况复杂 咋开口问需求",
     "objection"),
    # ... and, with no words of the client's at all, as widely as over a meeting plan
    (Neighbour("objection:low_yield", "p", 0.97), 0.90, "医生客户刚离婚 家里情况复杂 咋开口问需求",
     "client_type"),
])
def test_asking_what_to_ask_prefers_a_client_type_in_a_wider_band(
        router: Router, nearer: Neighbour, type_similarity: float, text: str, kind: str) -> None:
    ranking = [nearer, Neighbour("client_type:doctor", "p", type_similarity)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route(text).kind == kind


def test_xingbu_at_the_end_asks_leave_but_xingbutong_does_not() -> None:
    from bot.agent.cues import asks_permission

    assert asks_permission("我帮他填行不") and asks_permission("先用我的卡转给他 过两天还我 行不")
    assert not asks_permission("客户说行不通")
    assert asks_permission("给存50万的客户送超市卡 算不算违规")


def test_the_colloquial_neng_bu_at_a_clause_end_asks_leave_when_the_adviser_acts() -> None:
    from bot.agent.cues import asks_permission

    # The client's words quoted first do not hide the adviser's own question closing the message.
    assert asks_permission("客户说看着眼花 叫我替他把问卷勾完 能替他勾不")
    assert asks_permission("表哥让我把他们的私募推给我客户 有提成 可以私下推不")
    assert asks_permission("微信里跟客户讲稳拿4个点 算违规不")
    assert not asks_permission("客户说这笔钱年底能取出来不")  # the client asks about his money
    assert not asks_permission("他说收益能赚不少")  # "能…不少" is no question
    assert not asks_permission("比特币现在还能买不 客户问我")  # the adviser is the one asked
    assert not asks_permission("我没注意 她直接挂了 后面还能联系吗")  # a chance asked about, not leave
    assert asks_permission("风险揭示那段我可以念给他听 再解释一遍吗 还是只能他自己来")


def test_words_in_quotation_marks_after_whoever_said_them_are_a_clients_words() -> None:
    from bot.agent.cues import CLIENT_SAYS_RE

    assert CLIENT_SAYS_RE.search("男的就摆手 “保险屋里有七八份了 再买我老婆要骂的”")
    assert not CLIENT_SAYS_RE.search("帮我发“这个产品很稳健”给他")  # words to send
    assert not CLIENT_SAYS_RE.search("他要“家族信托”")  # a term in quotes


def test_a_clients_words_prefer_an_objection_over_a_client_type_in_a_wider_band(router: Router) -> None:
    ranking = [Neighbour("client_type:doctor", "p", 0.99), Neighbour("objection:ask_family", "p", 0.95)]
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: None)
    assert fixed.route("张医生说要回去问问儿子").kind == "objection"
    assert fixed.route("张医生说话很直 怎么问需求").kind == "client_type"  # asks what to ask


def test_only_a_refusal_that_may_be_asked_for_oneself_is_read_as_off_topic(router: Router) -> None:
    ranking = [Neighbour("route:off_topic", "p", 0.97), Neighbour("compliance:c_sign_for_client", "p", 0.93)]
    signing = Refusal("不行。", ("c_sign_for_client",))
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: signing)
    assert fixed.route("老表眼睛花 让我帮他签 应该没问题吧").kind == "refusal"
    stock_tip = Refusal("不行。", ("c_stock_tips",), outside_the_job=True)
    fixed = Router(router.playbooks, FixedRanking(ranking), lambda text: stock_tip)
    assert fixed.route("茅台明天还能涨吗").kind == "off_topic"
    # A stock tip asked for oneself may read nearer a concern, by a little: still off topic.
    nearer_concern = [Neighbour("objection:wait_for_unlock_ipo", "p", 0.956),
                      Neighbour("route:off_topic", "p", 0.939)]
    asked = "should I buy Alibaba stock before earnings"
    assert routed(router, nearer_concern, asked, stock_tip).kind == "off_topic"


def routed(router: Router, ranking: list[Neighbour], text: str, refusal: Refusal | None = None) -> Route:
    """How `text` routes when the matcher ranks `ranking` (and the request guard says `refusal`)."""
    return Router(router.playbooks, FixedRanking(ranking), lambda _: refusal).route(text)


def test_naming_the_course_prefers_its_method_over_a_much_nearer_plan(router: Router) -> None:
    ranking = [Neighbour("first_meeting:hosting_client_salon", "p", 1.05),
               Neighbour("method:m_salon", "p", 0.99)]
    assert routed(router, ranking, "想办个客户沙龙 课程里讲会前会中会后各要做啥").kind == "method"


def test_a_question_about_no_one_named_is_answered_not_offered_as_a_note(router: Router) -> None:
    ranking = [Neighbour("route:log", "p", 1.04), Neighbour("objection:think_it_over", "p", 0.94)]
    assert routed(router, ranking, "他又说再想想 第三回了 还跟不跟").kind == "objection"
    # A client named: asked.
    assert routed(router, ranking, "刚见完王总 他说再想想 还跟不跟").kind == "confirm"


def test_a_refusal_in_the_clients_words_outweighs_the_meeting_it_refuses(router: Router) -> None:
    ranking = [Neighbour("objection:salon_is_sales", "p", 1.047),
               Neighbour("first_meeting:proposal_presentation_meeting", "p", 0.979)]
    assert routed(router, ranking, "约见面 客户回：你们见面就是推销 不见").kind == "objection"


def test_a_stock_tip_asked_for_oneself_is_off_topic_however_near_a_concern(router: Router) -> None:
    ranking = [Neighbour("objection:fear_buying_after_rally", "p", 0.99),
               Neighbour("route:off_topic", "p", 0.90)]
    stock_tip = Refusal("不行。", ("c_stock_tips",), outside_the_job=True)
    for_oneself = "茅台这价格还能买吗 我自己想买点 不是给客户"
    assert routed(router, ranking, for_oneself, stock_tip).kind == "off_topic"
    assert routed(router, ranking, "客户问茅台这价格还能买吗", stock_tip).kind == "refusal"


class RankingByText(FixedRanking):
    """A ranking per text (the whole message and each clause), the rest ranked as `default`."""

    def __init__(self, rankings: dict[str, list[Neighbour]], default: list[Neighbour]) -> None:
        super().__init__(default)
        self.rankings = rankings

    def rank(self, text: str) -> list[Neighbour]:
        return list(self.rankings.get(text, self.ranking))


def test_the_whole_messages_concern_leads_when_the_clauses_miss_it() -> None:
    whole = "客户微信：抖音上讲小银行爆雷。钞票取不出来。你们会不会也这样"
    rankings = {whole: [Neighbour("objection:bank_safety", "p", 0.99)],
                "抖音上讲小银行爆雷": [Neighbour("objection:p2p_victim_bank_difference", "p", 0.95)],
                "钞票取不出来": [Neighbour("objection:need_cash_soon", "p", 0.95)],
                "你们会不会也这样": [Neighbour("route:off_topic", "p", 0.9)]}
    fixed = Router(load_playbooks(), RankingByText(rankings, []), lambda text: None)  # the shipped library
    entries = [e.id for e in fixed.route(whole).entries]
    assert entries[0] == "bank_safety" and len(entries) == 3


def test_more_ways_of_asking_what_to_ask_and_about_the_course() -> None:
    from bot.agent.cues import COURSE_RE, WHAT_TO_ASK_RE

    for text in ("孩子要上初中 想换房 我能从哪些方面聊", "想知道他心里到底担心啥",
                 "儿子不接班 聊的时候往哪个方向挖", "聊天时怎么往传承上引", "我要先搞清楚啥"):
        assert WHAT_TO_ASK_RE.search(text), text
    assert COURSE_RE.search("老师说的那个月度节奏 提前几周备客户")
    assert COURSE_RE.search("办沙龙好像有五步 其他几步是啥")


def test_digging_deeper_a_client_called_teacher_and_asking_leave_for_the_team() -> None:
    from bot.agent.cues import COURSE_RE, WHAT_TO_ASK_RE, asks_permission

    for text in ("两口子想攒钱 但没说多少 该怎么往下挖", "帮我深挖一下这位的需求",
                 "怎么摸清这一家到底想要什么"):
        assert WHAT_TO_ASK_RE.search(text), text
    assert not COURSE_RE.search("约了李老师明天见 李老师说定投越扣越亏")  # a client called 李老师
    assert asks_permission("他女儿拿着委托书 我们可以帮老人办赎回吗")
    assert asks_permission("her son has a power of attorney, can we process the redemption")


def test_a_follow_up_visit_or_a_review_call_ahead_is_a_meeting_to_prepare() -> None:
    from bot.agent.cues import MEETING_AHEAD_RE, PREP_RE

    for text in ("下周要去回访一个亏了钱的客户", "review call with her on friday",
                 "what's my game plan for this client"):
        assert PREP_RE.search(text), text
    assert MEETING_AHEAD_RE.search("明天去回访")
    # the insurer's verification call, a call already made
    for text in ("犹豫期内保险公司要回访 客户没接怎么办", "client complained the follow-up call was pushy"):
        assert not PREP_RE.search(text), text


def test_dialect_words_keep_their_meaning_where_they_mean_something_else() -> None:
    from bot.agent.cues import asks_permission
    from bot.agent.dialect import standard_wording

    assert not asks_permission(standard_wording("我觉得不得不跟客户讲清风险"))
    assert asks_permission(standard_wording("先办了回头补签 这个中不中"))
    assert asks_permission(standard_wording("我自己掏钱补一点给客户 得唔得"))
    assert standard_wording("他话少 让他讲讲") == "他话少 让他讲讲"


def test_a_refusal_read_by_meaning_is_explained_by_the_nearest_rule_that_forbids() -> None:
    # Meaning knows a violation was asked for, not which: the library's nearest forbidding rule says which,
    # whatever rule the guess named, and never a rule that allows ("可以") however near.
    ranking = [Neighbour("compliance:c_recommend_after_assessment", "p", 0.99),
               Neighbour("compliance:c_cash_structuring", "p", 0.95),
               Neighbour("compliance:c_operate_account", "p", 0.93)]
    refusal = Refusal("不行。", ("c_operate_account",), by_meaning=True)
    fixed = Router(load_playbooks(), FixedRanking(ranking), lambda text: refusal)
    route = fixed.route("七十万现金 今天存一半明天存一半 我能这么帮他弄吗")
    assert (route.kind, [e.id for e in route.entries]) == ("refusal", ["c_cash_structuring"])


def test_a_rule_that_allows_clearly_nearer_answers_instead_of_a_refusal_read_by_meaning() -> None:
    refusal = Refusal("不行。", ("c_operate_account",), by_meaning=True)
    allowed_far_ahead = [Neighbour("compliance:c_staff_personal_investing", "p", 0.97),
                         Neighbour("compliance:c_hold_for_client", "p", 0.90)]
    route = Router(load_playbooks(), FixedRanking(allowed_far_ahead), lambda text: refusal).route(
        "can I buy our R2 product with my own savings")
    assert route.kind == "compliance" and route.refusal is None
    allowed_just_ahead = [Neighbour("compliance:c_recommend_after_assessment", "p", 0.97),
                          Neighbour("compliance:c_fill_risk_assessment", "p", 0.96)]
    route = Router(load_playbooks(), FixedRanking(allowed_just_ahead), lambda text: refusal).route(
        "just tell me which answers to pick in the 问卷")
    assert (route.kind, [e.id for e in route.entries]) == ("refusal", ["c_fill_risk_assessment"])
    pattern_refusal = Refusal("不行。", ("c_operate_account",))
    route = Router(load_playbooks(), FixedRanking(allowed_far_ahead), lambda text: pattern_refusal).route(
        "帮客户登他的手机银行")
    assert route.kind == "refusal"  # the patterns name the deed: no rule overrules them


def test_a_refusal_by_meaning_keeps_to_the_library_it_names_when_no_rule_is_near() -> None:
    refusal = Refusal("不行。", ("c_operate_account",), by_meaning=True)
    far = [Neighbour("compliance:c_staff_personal_investing", "p", 0.5),
           Neighbour("compliance:c_hold_for_client", "p", 0.45)]
    route = Router(load_playbooks(), FixedRanking(far), lambda text: refusal).route("帮我弄一下那个")
    assert (route.kind, [e.id for e in route.entries]) == ("refusal", ["c_operate_account"])


def test_a_hard_signal_is_surer_than_a_refusal_read_by_meaning(router: Router) -> None:
    guessed = Refusal("不行。", ("c_operate_account",), by_meaning=True)
    read = Router(router.playbooks, router.matcher, lambda text: guessed)
    assert read.route("刚见完王总，对家族信托有兴趣，下周二再约", known_client=known).kind == "log"
    named = Router(router.playbooks, router.matcher, lambda text: Refusal("不行。", ("c_operate_account",)))
    assert named.route("刚见完王总，对家族信托有兴趣，下周二再约", known_client=known).kind == "confirm"
