"""Knowledge answers are an extract of content sentences, not a dump of outlines, quizzes and headings."""

from __future__ import annotations

from bot.agent.extract import best_sentences, clean_sentence
from knowledge.types import Hit


def _hit(text: str, section: str = "要点") -> Hit:
    return Hit(text=text, source="course.txt", title="课程", section=section, score=0.5, chunk_id=section)


def test_leading_numbering_is_dropped():
    assert clean_sentence("(1)提供一对一的财富管理服务,包括投资咨询、资产配置。").startswith("提供")
    assert clean_sentence("2、信任是营销活动的基石,专业是营销活动的保障。").startswith("信任")
    assert clean_sentence("三、(二)做好客户分层,按资产规模配置服务资源。").startswith("做好")


def test_quiz_items_outlines_and_headings_are_not_content():
    assert clean_sentence("3、沙龙活动举办的步骤(6.67 分)A正确B错误正确答案:A B") is None
    assert clean_sentence("一、客户分类二、客户维护三、客户开发四、课程回顾") is None
    assert clean_sentence("财富管理客户分层服务体系建设方案") is None
    assert clean_sentence("第 12 页") is None


def test_pdf_spaces_between_chinese_characters_are_repaired():
    repaired = clean_sentence("家族 信托 可以 隔离 企业 与 家庭 的 资产,实现 传承。")
    assert repaired == "家族信托可以隔离企业与家庭的资产,实现传承。"


def test_the_sentences_sharing_most_with_the_question_come_first():
    hits = [
        _hit("课程大纲:一、开发二、维护\n高净值客户重视隐私,沟通时要注意保密。", "大纲"),
        _hit("家族信托可以把家庭资产与企业资产隔离,企业出事时家庭资产不受牵连。\n"
             "信托还能按委托人的意愿分期传承给子女。", "家族信托"),
    ]
    chosen = best_sentences("家族信托对企业主有什么好处", hits)
    assert chosen[0].sentence.startswith("家族信托可以把家庭资产与企业资产隔离")
    assert all("大纲" not in e.sentence for e in chosen)
    assert len({e.hit.section for e in chosen}) >= 1


def test_at_most_two_sentences_from_one_passage():
    text = "。".join(f"资产配置原则第{i}条,分散投资降低风险" for i in range(6)) + "。"
    assert len(best_sentences("资产配置原则", [_hit(text)])) == 2


def test_course_page_furniture_and_run_on_lists_are_not_content():
    assert clean_sentence("课程名称《高净值客户经营》主讲:某老师6时课程大纲/要点:") is None
    bio = ("某某—私人银行、财富管理专家社科院在读金融学博士金融方向工商管理硕士国际经济法学士"
           "法国某商学院交换生国际认证专业培训师瑞士财富管理培训中心项目主任")
    assert clean_sentence(bio) is None


def test_statements_from_a_quiz_page_are_never_quoted():
    quiz = Hit(text="中小企业主的特点是风险承受力高,要求复杂。\n(6.67 分)A正确B错误正确答案:错误",
               source="course.txt", title="高净值客户课后测试答案", section="", score=0.5, chunk_id="q")
    assert best_sentences("企业主的风险承受力", [quiz]) == []
