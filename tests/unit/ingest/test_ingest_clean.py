from ingest.clean import Deduplicator, clean_lines, is_furniture, normalize_width, repair_spacing


def test_pdf_spaces_inside_chinese_are_removed():
    assert repair_spacing("增加 资产 私密性 和 合理避税") == "增加资产私密性和合理避税"


def test_english_words_and_numbers_keep_their_spaces():
    assert repair_spacing("Thanks for the  CRM system 报告") == "Thanks for the CRM system 报告"
    assert repair_spacing("收益 率 5.2 %") == "收益率 5.2%"


def test_space_before_punctuation_next_to_chinese_is_removed():
    assert repair_spacing("客户太多了 ,公司只能这样安排") == "客户太多了,公司只能这样安排"


def test_full_width_forms_become_ascii():
    assert normalize_width("ＶＩＰ客户１００万元（含）：是？") == "VIP客户100万元(含):是?"


def test_ideographic_punctuation_is_kept():
    assert normalize_width("一、资产配置。") == "一、资产配置。"


def test_page_furniture_is_recognised():
    for line in ("相关文档", "最新文档", "合集下载", "加入购物车 立即购买", "登录或注册以获得最佳体验",
                 "12", "第 3 页", "- 7 -", "3/45", "2024-05-01", "12:40", "汇报人: 日期:",
                 "THANKS FOR WATCHING",
                 "开通本站VIP会员,可享更多学习优惠。", "完成学习,可获得继续教育2学时",
                 "1、下载文档前请自行甄别文档内容的完整性", "还没有评论,来说两句吧..."):
        assert is_furniture(line), line


def test_content_is_not_furniture():
    for line in ("高净值客户的需求分析", "客户等级如有调整会在自然月月初进行。",
                 "(3)会员等级晋升根据客户的投资规模、产品购买情况和参与活动次数等多方面综合考虑,制定相应规则。",
                 "银行财富客服提升方案", "1、资产的代际传承", "01 引言"):
        assert not is_furniture(line), line


def test_long_shop_paragraph_is_furniture():
    line = "该商品为会员专享,领取该商品后需要完整观看,不能拖动进度条,完成后获得课程学时。"
    assert is_furniture(line)


def test_clean_lines_drops_furniture_keeps_paragraph_breaks_and_splits_bullets():
    text = "标题\n\n相关文档\n\n正文 第一 段。\n•要点一;•要点二\n\n\n117\n结尾。"
    assert clean_lines(text) == ["标题", "", "正文第一段。", "要点一;", "要点二", "", "结尾。"]


def test_exact_and_near_duplicates_are_dropped():
    dedupe = Deduplicator()
    lines = [
        "高净值人群的相关榜单", "高净值人群的相关榜单", "高净值人群的相关榜单",
        "中国传统观念中,财不外露以及自身安全的考虑,使高净值人群很多时候非常谨慎,对于金融机构的私密性要求高。",
        "中国传统观念中,财不外露以及自身安全的考虑,使高净值人群很多时候非常谨慎,对金融机构的私密性要求高!",
        "完全不同的一段话,讲的是客户分层以及每一层客户的服务方式和联系频率。",
    ]
    assert dedupe.filter(lines) == [lines[0], lines[3], lines[5]]


def test_short_headings_may_recur_after_reset_but_long_paragraphs_may_not():
    dedupe = Deduplicator()
    paragraph = "这是一段足够长的正文内容,用来确认跨文章重复的段落也会被去掉。"
    assert dedupe.filter(["小标题", paragraph]) == ["小标题", paragraph]
    dedupe.reset_short()
    assert dedupe.filter(["小标题", paragraph]) == ["小标题"]


def test_markdown_markup_is_removed():
    assert clean_lines("## 客户分层\n- **金卡**客户:50万元以上。\n> 每季度复核。") == [
        "客户分层", "金卡客户:50万元以上。", "每季度复核。"]
