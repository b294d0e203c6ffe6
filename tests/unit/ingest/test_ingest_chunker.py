import re

from ingest.articles import Article
from ingest.chunker import MIN_CHARS, chunk_article, chunk_id, heading_level, split_sentences


def _long_article() -> Article:
    lines = ["一、客户分层"]
    lines += [f"第{n}条说明:客户经理应当按资产规模把客户分成若干层级,并为每层设计联系频率。"
              for n in range(12)]
    lines += ["二、客户维护", "(一)上门拜访"]
    lines += [f"拜访要点{n}:提前准备资料,了解客户近况,记录客户反馈并及时跟进。" for n in range(10)]
    return Article(title="客户经营手册", lines=lines)


def test_heading_levels():
    assert heading_level("一、客户分层") == 1
    assert heading_level("第三讲 客户开发") == 1
    assert heading_level("(二)上门拜访") == 2
    assert heading_level("1、资产的代际传承") == 2
    assert heading_level("2.1 宏观经济简析") == 2
    assert heading_level("1. 个性化服务,银行可以通过分析客户的消费习惯提供服务。") is None
    assert heading_level("2014年我国离婚率") is None


def test_sentences_split_on_chinese_marks_and_long_ones_on_clauses():
    expected = ["第一句。", "第二句!", "第三句?", "第四句;", "尾巴"]
    assert split_sentences("第一句。第二句!第三句?第四句;尾巴", 100) == expected
    long = ",".join(["很长的从句内容"] * 30)
    pieces = split_sentences(long, 50)
    assert all(len(piece) <= 50 for piece in pieces)
    assert "".join(pieces) == long


def test_numbered_heading_glued_after_a_sentence_starts_a_new_unit():
    assert split_sentences("利润贡献大。二、客户维护的方法", 100) == ["利润贡献大。", "二、客户维护的方法"]


def test_chunks_respect_max_size_and_carry_metadata():
    chunks = chunk_article(_long_article(), "manual.txt", max_chars=200, overlap_chars=40)
    assert len(chunks) > 3
    for position, chunk in enumerate(chunks):
        assert len(chunk.text.replace("\n", "")) <= 200 + MIN_CHARS
        assert chunk.source == "manual.txt" and chunk.title == "客户经营手册"
        assert chunk.position == position
        assert chunk.chunk_id == chunk_id("manual.txt", "客户经营手册", chunk.section, chunk.text)


def test_chunks_end_on_sentence_boundaries():
    for chunk in chunk_article(_long_article(), "manual.txt", max_chars=200, overlap_chars=40):
        assert re.search(r"[。!?;]$", chunk.text), chunk.text


def test_section_heading_is_tracked_and_nested():
    chunks = chunk_article(_long_article(), "manual.txt", max_chars=200, overlap_chars=40)
    assert chunks[0].section == "一、客户分层"
    assert chunks[0].text.startswith("一、客户分层")
    visit = [c for c in chunks if "拜访要点" in c.text]
    assert visit and all(c.section == "二、客户维护 / (一)上门拜访" for c in visit)
    assert not any("拜访要点" in c.text for c in chunks if c.section == "一、客户分层")


def test_consecutive_chunks_overlap_by_a_sentence_within_a_section():
    chunks = chunk_article(_long_article(), "manual.txt", max_chars=200, overlap_chars=60)
    same_section = [(a, b) for a, b in zip(chunks, chunks[1:], strict=False) if a.section == b.section]
    assert same_section
    for first, second in same_section:
        last_sentence = first.text.split("\n")[-1]
        assert second.text.startswith(last_sentence)


def test_no_overlap_when_disabled():
    chunks = chunk_article(_long_article(), "manual.txt", max_chars=200, overlap_chars=0)
    texts = [line for chunk in chunks for line in chunk.text.split("\n")]
    assert len(texts) == len(set(texts))


def test_identical_content_gives_identical_ids_and_changed_text_changes_id():
    first = chunk_article(_long_article(), "manual.txt")
    again = chunk_article(_long_article(), "manual.txt")
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    other_source = chunk_article(_long_article(), "copy.txt")
    assert not {c.chunk_id for c in first} & {c.chunk_id for c in other_source}


def test_thin_tail_joins_the_previous_chunk():
    lines = [f"这是第{n}句比较完整的正文内容,用于填满一个段落的长度。" for n in range(6)] + ["短尾。"]
    chunks = chunk_article(Article(title="t", lines=lines), "s.txt", max_chars=150, overlap_chars=0)
    assert chunks[-1].text.endswith("短尾。")
    assert chunks[-1].text != "短尾。"


def test_a_quiz_question_keeps_its_answer_options():
    quiz = ("3、沙龙活动举办的步骤有哪些?(6.67 分)A找对目标客户B寻求异业结盟正确答案:A B\n"
            "4、需求挖掘怎么做?(6.62分)A寒暄破冰B切入正题正确答案:A B")
    assert split_sentences(quiz, 300) == quiz.split("\n")
    assert split_sentences("你问我?(笑)我也不知道。", 100) == ["你问我?", "(笑)我也不知道。"]
