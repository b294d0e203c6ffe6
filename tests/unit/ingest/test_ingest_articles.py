from ingest.articles import split_articles
from ingest.clean import clean_lines


def test_title_repeated_across_a_break_starts_an_article_and_glued_repeat_is_stripped():
    text = ("资料合集\n\n合集下载\n\n客户分层标准\n\n客户分层标准\n\n"
            "客户分层标准客户分层是指按资产把客户分组。\n第二句话在这里。\n\n回访制度设计\n\n回访制度设计\n\n回访制度设计要求每季度至少联系一次。")
    articles = split_articles(clean_lines(text), "fallback")
    assert [a.title for a in articles] == ["客户分层标准", "回访制度设计"]
    assert articles[0].lines == ["客户分层是指按资产把客户分组。", "第二句话在这里。"]
    assert articles[1].lines == ["要求每季度至少联系一次。"]


def test_without_paragraph_breaks_a_title_glued_to_its_body_starts_an_article():
    text = ("总标题\n客户晋升措施\n客户晋升措施1. 概述晋升是一种奖励机制。\n晋升需要条件。\n"
            "贵宾提升方案\n贵宾提升方案\n随着经济发展,竞争激烈。")
    articles = split_articles(clean_lines(text), "fallback")
    assert [a.title for a in articles] == ["客户晋升措施", "贵宾提升方案"]
    assert articles[0].lines[0] == "1. 概述晋升是一种奖励机制。"
    assert articles[1].lines == ["随着经济发展,竞争激烈。"]


def test_sentence_starting_with_the_heading_words_is_not_a_new_article():
    text = "方案\n\n方案\n\n加强合规管理\n加强合规管理,确保业务合规经营。"
    articles = split_articles(clean_lines(text), "fallback")
    assert [a.title for a in articles] == ["方案"]
    assert articles[0].lines == ["加强合规管理", "加强合规管理,确保业务合规经营。"]


def test_block_repeated_many_times_is_noise_not_a_title():
    text = "课件\n\n课件\n\n相关榜单\n相关榜单\n相关榜单\n相关榜单\n正文在这里。"
    articles = split_articles(clean_lines(text), "fallback")
    assert [a.title for a in articles] == ["课件"]
    assert articles[0].lines == ["相关榜单", "正文在这里。"]


def test_plain_text_without_titles_uses_first_short_line_or_fallback():
    assert split_articles(["关于客户维护", "维护客户要靠持续的服务。"], "f")[0].title == "关于客户维护"
    only_body = split_articles(["这是一段很长的正文,没有任何标题,只是讲述客户经营中需要注意的事项。"], "file")
    assert only_body[0].title == "file"


def test_article_without_body_is_dropped():
    assert split_articles(["孤零零的标题"], "f") == []
