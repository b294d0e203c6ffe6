"""Word lists: products, sentiment cues (the course's 抗拒/中立/积极), objections and risk levels."""

from __future__ import annotations

import re

# surface form -> canonical products (longest forms first when compiled)
PRODUCTS: dict[str, tuple[str, ...]] = {
    "增额终身寿": ("增额终身寿",), "增额寿": ("增额终身寿",), "教育年金": ("教育金", "年金"),
    "教育金": ("教育金",), "养老年金": ("年金", "养老金"), "个人养老金": ("养老金",), "养老金": ("养老金",),
    "年金": ("年金",), "家族信托": ("家族信托",), "信托": ("家族信托",), "大额存单": ("大额存单",),
    "结构性存款": ("存款",), "定期存款": ("存款",), "存款": ("存款",), "存定期": ("存款",),
    "定投": ("定投",), "私募": ("私募",), "公募": ("基金",), "基金": ("基金",), "重疾险": ("保险",),
    "医疗险": ("保险",), "寿险": ("保险",), "保险": ("保险",), "理财": ("理财",), "国债": ("国债",),
    "黄金": ("黄金",), "贵金属": ("黄金",), "债券": ("债券",), "fund": ("基金",), "insurance": ("保险",),
    "annuity": ("年金",), "family trust": ("家族信托",), "deposit": ("存款",), "gold": ("黄金",),
}


def _product_form(form: str) -> str:
    """English forms are whole words, plural allowed: "funds" is a fund, "refund" and "trust me" are not."""
    return rf"\b{re.escape(form)}s?\b" if form.isascii() else re.escape(form)


PRODUCT_PATTERN = re.compile("|".join(map(_product_form, sorted(PRODUCTS, key=len, reverse=True))), re.I)


def products_named(form: str) -> tuple[str, ...]:
    """The canonical products a PRODUCT_PATTERN match names ("Funds" -> 基金)."""
    if form in PRODUCTS:
        return PRODUCTS[form]
    lowered = form.lower()
    return PRODUCTS.get(lowered) or PRODUCTS.get(lowered.removesuffix("s"), ())

POSITIVE = tuple(
    "很有兴趣 有兴趣 感兴趣 认可 满意 同意 答应 成交 签了 签约 签合同 买了 购买了 开了 下单 "
    "签单 来签 签 打款 愿意 想买 打算 准备买 积极 挺好 不错 喜欢 爽快 敲定 确定 定了 搞定 拿下 追加 加仓 "
    "配置了 投了 认购 主动 热情 信任 接受 开户 高兴 开心 好评 认同 看好 心动 要买 "
    "interested signed agreed happy closed deal keen bought".split())
RESISTANT = tuple(
    "不感兴趣 没兴趣 没有兴趣 不想 不要 不买 拒绝 排斥 抗拒 反感 不信任 不相信 怕亏 担心亏 "
    "不满意 赎回 投诉 生气 不耐烦 挂电话 挂了 不接 拉黑 不考虑 算了 别再 不需要 没必要 不划算 "
    "劝不动 嫌 没戏 别的银行 别家 他行 "
    "骗 坑 抱怨 不同意 不认可 不愿意 没意向 冷淡 拒接 态度差 不理 不好 亏了 退保 不信 "
    "refused rejected angry complain declined".split()) + ("not interested", "no interest")
NEUTRAL = tuple(
    "考虑 再看看 比较 再说 犹豫 商量 观望 还行 一般 没见上 忙 了解一下 问了问 想想 不确定 "
    "maybe thinking consider".split()) + ("not sure",)
# a negation in front flips the cue: 不排斥 is neutral, 不满意/不认可 are listed already
NEGATORS = ("不太", "不是很", "并不", "没有", "不", "没", "未", "毫不", "not ", "no ")
CUE_KINDS = {**{c: "neutral" for c in NEUTRAL}, **{c: "positive" for c in POSITIVE},
             **{c: "resistant" for c in RESISTANT}}
SENTIMENT_PATTERN = re.compile("|".join(sorted(map(re.escape, CUE_KINDS), key=len, reverse=True)), re.I)

OBJECTIONS: tuple[tuple[str, str], ...] = (
    ("怕亏", r"怕亏|担心亏|怕赔|亏怕|亏过|亏了|被套|怕损失|担心本金|保本"),
    ("风险高", r"风险(?:太|比较|很)?[大高]|怕风险|risk"),
    ("收益低", r"收益(?:太|比较|有点)?低|收益不高|利[息率](?:太)?低|回报(?:太)?低"
              r"|收益不满意|收益一般"),
    ("流动性", r"流动性|取不出|锁定期|封闭期|期限(?:太)?长|急用钱|要用钱|随时取"),
    ("要和家人商量", r"(?:和|跟|与|问问)(?:家人|家里|老公|老婆|太太|先生|爱人|孩子|儿子|女儿|子女)"
                    r"|回家商量|家人商量"),
    ("不信任保险", r"不(?:信任|相信|信)保险|保险(?:都是|是)?骗|排斥保险|对保险(?:反感|抵触)"),
    ("手续费高", r"手续费|管理费|费用(?:太)?高|费率(?:太)?高|fee"),
    ("已有其他银行", r"其他银行|别的银行|别家|他行|已经(?:买|有)了"),
    ("资金紧张", r"没钱|资金紧张|钱不够|手头紧|没闲钱|资金周转"),
    ("市场不好", r"市场不好|行情不好|市场太差|股市不好|经济不好|行情差"),
    ("没时间", r"太忙|没时间|没空"),
    ("要比较", r"比较几家|再比较|货比三家|对比一下"),
    ("不需要", r"不需要|用不着|没需求|没必要"),
)
OBJECTION_PATTERNS = tuple((name, re.compile(pattern, re.I)) for name, pattern in OBJECTIONS)

RISK_TYPES = {"保守型": "C1", "谨慎型": "C2", "稳健型": "C3", "平衡型": "C3", "积极型": "C4", "成长型": "C4",
              "进取型": "C5", "激进型": "C5"}
RISK_TYPE_PATTERN = re.compile("|".join(RISK_TYPES))
RISK_CODE_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:风险|风评|评级|测评)[^\dA-Za-z]{0,6})?([CcRr])\s?([1-5])(?!\d)")

# Outcomes that read as positive whatever else the note says (each counts twice in the sentiment vote):
# agreement, money paid or moved in, a request for a recommendation or plan, a large new intention.
POSITIVE_OUTCOMES = re.compile(
    r"同意|答应|点头|拍板|敲定|说好了|就按.{0,6}(?:来|办)|没问题|"
    r"(?:已经?|刚)(?:打款|付|缴|转账?|签|买|认购|申购|续)|(?:打款|转账|付款|缴费|签约|购买)(?:已?完成|成功)|"
    r"(?:钱|款|资金)(?:已经?)?(?:到账|打过来|转过来|划过来|到位)|到账了|转了.{0,8}过来|"
    r"(?:付|交|缴)了.{0,6}(?:保费|首期|款|钱)|续了|"
    r"(?:让|请|要)我.{0,4}(?:推荐|挑|选|出.{0,2}方案|做.{0,2}方案|配置)|(?:帮|给)(?:他|她|忙).{0,2}(?:推荐|挑|选)|"
    r"问(?:我)?(?:有没有|有什么|有啥|哪个|哪款|哪只|怎么配)|"
    r"(?:想|打算|准备|计划)(?:再|把)?[^，,。；;\s不没别去取赎退]{0,6}(?:投|配置?|放|拿出|加仓|买|转到|存)|"
    r"\b(?:agreed|paid|transferred|wired|recommend\w*|wants? to (?:put|invest|buy|add)|"
    r"plans? to (?:put|invest|buy)|ok(?:ay)?)\b",
    re.I)
# "想/打算" next to a large amount (LARGE_INTENTION_CNY or more) is a large new intention
INTENTION = re.compile(r"想|打算|准备|计划|\b(?:wants?|plans?|going to)\b", re.I)
LARGE_INTENTION_CNY = 1_000_000
# money moving to another bank is not a win (已经买了别家的, 转到他行); a "but" weakens what came before
COMPETITOR = re.compile(r"别家|他行|别的银行|其他银行|外行|别处|其他家|另一家|other bank", re.I)
CONTRAST = re.compile(r"但|不过|可是|就是|只是|\bbut\b", re.I)
