"""Our own visit messages with the fields we expect (written for the parser tests and bench/notes_own.json).

Each case: (message, client, amount_cny, acceptable sentiments, follow_up_on or None, now or None).
Default now is Wednesday 2026-03-04 10:00."""

from __future__ import annotations

from datetime import datetime

NOW = datetime(2026, 3, 4, 10, 0)  # a Wednesday
DEC = datetime(2026, 12, 20, 9, 0)  # a Sunday near the year end
JAN = datetime(2026, 1, 30, 15, 0)  # a Friday near a month end
NOV = datetime(2026, 11, 24, 15, 0)  # a Tuesday
P, N, R = ("positive",), ("neutral",), ("resistant",)
PN, RN = ("positive", "neutral"), ("resistant", "neutral")

HAND_WRITTEN = [
    ("上午拜访了王总，他对家族信托很感兴趣，可投1000万，下周一带律师过来", "王总", 10_000_000, P,
     "2026-03-09", None),
    ("李阿姨说存款利息太低了，想了解一下国债，明天再打电话", "李阿姨", None, N, "2026-03-05", None),
    ("张先生拒绝了，说不需要保险", "张先生", None, R, None, None),
    ("陈姐买了50万理财，很满意", "陈姐", 500_000, P, None, None),
    ("刘哥 20w 定投基金 周五签", "刘哥", 200_000, P + N, "2026-03-06", None),
    ("赵老师有点犹豫，要和老公商量一下，下周三再约", "赵老师", None, N, "2026-03-11", None),
    ("孙女士 风险评级C2 想买大额存单 300万", "孙女士", 3_000_000, PN, None, None),
    ("周总监电话没接，后天再打", "周总监", None, N + R, "2026-03-06", None),
    ("老王说最近股市不好，什么都不想买", "老王", None, R, None, None),
    ("小李对年金保险不排斥，月底再聊", "小李", None, PN, "2026-03-31", None),
    ("王董 可投资产2个亿 关注家族信托", "王董", 200_000_000, PN, None, None),
    ("黄经理答应配置五百万的私募，下个月10号打款", "黄经理", 5_000_000, P, "2026-04-10", None),
    ("欧阳总想给孩子存教育金，每年10万，三个月后再跟进", "欧阳总", 100_000, PN, "2026-06-04", None),
    ("司马先生 不感兴趣 挂了电话", "司马先生", None, R, None, None),
    ("见了王建国先生，稳健型，对基金定投有兴趣，每月3000", "王建国先生", 3000, P, None, None),
    ("Met Mr. Wang today, interested in the fund, 1 million, call him tomorrow", "Mr. Wang", 1_000_000, P,
     "2026-03-05", None),
    ("Mrs Li not interested in insurance", "Mrs Li", None, R, None, None),
    ("Ms. Chen wants to think about it, follow up next Tuesday", "Ms. Chen", None, N, "2026-03-10", None),
    ("Ms. Zhao signed 2.5m annuity, very happy", "Ms. Zhao", 2_500_000, P, None, None),
    ("何总 500k 基金 in 2 weeks 再聊", "何总", 500_000, PN, "2026-03-18", None),
    ("吴女士说手续费太高了，不想买基金", "吴女士", None, R, None, None),
    ("郑先生的１２０万存款快到期了，想转理财，１２/１５前定下来", "郑先生", 1_200_000, PN,
     "2026-12-15", None),
    ("冯阿姨：怕亏，不买", "冯阿姨", None, R, None, None),
    ("蒋总 签了增额终身寿 年缴30万!!🎉", "蒋总", 300_000, P, None, None),
    ("沈姐对理财收益不满意，要求赎回，很生气", "沈姐", None, R, None, None),
    ("韩总太忙了没见上，大后天再去", "韩总", None, N, "2026-03-07", None),
    ("杨叔说已经在别的银行买了，不需要", "杨叔", None, R, None, None),
    ("朱总 可投资产1.5亿，后天约面谈", "朱总", 150_000_000, PN, "2026-03-06", None),
    ("马女士愿意先买1,000,000的国债", "马女士", 1_000_000, P, None, None),
    ("许先生 打算买黄金 3000万 这周五签合同", "许先生", 30_000_000, P, "2026-03-06", None),
    ("邓姐 两周后再联系 目前观望", "邓姐", None, N, "2026-03-18", None),
    ("曾总 月初再约 对私募很有兴趣", "曾总", None, P, "2026-04-01", None),
    ("彭阿姨 12月23日 再来网点", "彭阿姨", None, N, "2026-12-23", DEC),
    ("唐先生说12月3号之后再联系，现在没钱", "唐先生", None, RN, "2027-12-03", DEC),
    ("谢总 下个月5号签约 200万", "谢总", 2_000_000, P, "2027-01-05", DEC),
    ("梁女士 明天签 教育金 每月5000", "梁女士", 5000, P, "2026-12-21", DEC),
    ("宋总 下周二再约 考虑年金", "宋总", None, N, "2026-12-22", DEC),
    ("罗姐 月底前定下来 理财 50万", "罗姐", 500_000, PN, "2026-12-31", DEC),
    ("高先生 周一再聊", "高先生", None, N, "2026-12-21", DEC),
    ("林总 下个月10号 签家族信托 五千万", "林总", 50_000_000, P, "2026-02-10", JAN),
    ("郭女士 明天来签单 100万", "郭女士", 1_000_000, P, "2026-01-31", JAN),
    ("胡老师 后天再说", "胡老师", None, N, "2026-02-01", JAN),
    ("徐阿姨 月底到期 再打电话", "徐阿姨", None, N, "2026-01-31", JAN),
    ("叶总 下周五 约了喝茶", "叶总", None, PN, "2026-02-06", JAN),
    ("潘先生拒接电话好几次，算了", "潘先生", None, R, None, None),
    ("袁姐 挺认可我们的服务，追加了两百万", "袁姐", 2_000_000, P, None, None),
    ("董先生说保险都是骗人的", "董先生", None, R, None, None),
    ("于总 谨慎型 只买存款 300w", "于总", 3_000_000, PN, None, None),
    ("蔡女士 C4 想配置私募 800万 下周再聊", "蔡女士", 8_000_000, PN, "2026-03-09", None),
    ("杜哥电话里说没时间，过几天再联系", "杜哥", None, N + R, "2026-03-07", None),
    ("程总 总共有3000万 想分散投资 4月1日约", "程总", 30_000_000, PN, "2026-04-01", None),
    ("苏女士总是说再考虑考虑，4/20再问", "苏女士", None, N, "2026-04-20", None),
    ("魏总 首先生意上需要流动性 不想锁定 下下周一再约", "魏总", None, RN, "2026-03-16", None),
    ("吕阿姨 对 基金 没兴趣 only 存款", "吕阿姨", None, R, None, None),
    ("丁先生今天签了100万年金，高兴", "丁先生", 1_000_000, P, None, None),
    ("任总 昨天见的 想要高收益 明天回访", "任总", None, PN, "2026-03-05", None),
    ("姚姐说要跟家人商量，下周四给答复", "姚姐", None, N, "2026-03-12", None),
    ("卢先生 保守型 不考虑基金", "卢先生", None, R, None, None),
    ("姜总对我们的方案很认可，半个月后签约", "姜总", None, P, "2026-03-19", None),
    ("崔女士 1亿2000万 可投 很感兴趣 next Monday", "崔女士", 120_000_000, P, "2026-03-09", None),
    ("钟先生 2万块 买了点黄金", "钟先生", 20_000, P, None, None),
    ("谭总 打款 五十万 已完成", "谭总", 500_000, P, None, None),
    ("陆阿姨 担心亏 犹豫", "陆阿姨", None, RN, None, None),
    ("汪总 在考虑 星期五 再见", "汪总", None, N, "2026-03-06", None),
    ("范先生 礼拜二 电话", "范先生", None, N, "2026-03-10", None),
    ("金总 下周 再联系", "金总", None, N, "2026-03-09", None),
    ("石女士 tomorrow 签 insurance 年缴12万", "石女士", 120_000, P, "2026-03-05", None),
    ("廖先生 \x00\x07 控制字符 想买理财 10万", "廖先生", 100_000, PN, None, None),
    ("<b>贾总</b> 对 **私募** 有兴趣 200万", "贾总", 2_000_000, P, None, None),
    ("夏姐 下个月 再说 没钱", "夏姐", None, RN, "2026-04-01", None),
    ("今天见了一个新客户，没留名字，对基金有兴趣", None, None, P, None, None),
    ("客户说考虑一下", None, None, N, None, None),
    ("韦先生想了解国债，年后再说", "韦先生", None, N, "2027-02-13", None),
    ("中午和蒋总吃饭，他说今年生意难做，暂时不考虑新的投资，年底再看", "蒋总", None, R, "2026-12-31", NOV),
    ("电话回访了邱阿姨，她对上次买的理财挺满意的，准备到期后续投30万", "邱阿姨", 300_000, P, None, NOV),
    ("毛先生嫌大额存单利率太低，想去买股票，劝不动", "毛先生", None, R, None, NOV),
    ("程姐说她老公不同意买保险，让我下周找时间跟她老公一起聊聊", "程姐", None, RN, "2026-11-30", NOV),
    ("常总助理说常总出差了，15号回来，到时候再约", "常总", None, N, "2026-12-15", NOV),
    ("雷总很爽快，当场认购了1000万私募，约好下个月中旬做回访", "雷总", 10_000_000, P, "2026-12-15", NOV),
    ("小周说最近在装修房子，手头紧，过两个月再说吧", "小周", None, RN, "2027-01-24", NOV),
    ("葛阿姨又投诉了 说我们乱推销 不要再打电话了", "葛阿姨", None, R, None, NOV),
    ("Mr Huang interested in trust, meet again on Thursday", "Mr Huang", None, P, "2026-11-26",
     NOV),
    ("陶先生：可以考虑每月定投2000，下周三来网点开户", "陶先生", 2000, PN, "2026-12-02", NOV),
    ("白女士做了风险测评，平衡型，推荐了一款R3的基金，她说回去看看", "白女士", None, N, None, NOV),
]

# templated messages: every honorific and amount form against a few sentences
NAMES = ("王总 李阿姨 张先生 陈姐 刘哥 赵老师 孙女士 周总监 老王 小李 王董 黄经理 欧阳总 司马先生 吴小姐 "
         "郑叔叔 冯太太 何主任 高行长 林教授 上官女士 马医生 罗律师 梁大姐 宋博士 老赵 小陈 "
         "范总 诸葛先生 谭董事长 龚总经理 邱姨 韦伯 万女士").split()
AMOUNTS = [("50万", 500_000), ("1.5亿", 150_000_000), ("五百万", 5_000_000), ("2个亿", 200_000_000),
           ("3000万", 30_000_000), ("12万", 120_000), ("20w", 200_000), ("500k", 500_000),
           ("1 million", 1_000_000), ("2.5m", 2_500_000), ("１２万", 120_000), ("1,000,000元", 1_000_000),
           ("两千万", 20_000_000), ("三十五万", 350_000), ("8千块", 8000), ("10W", 100_000)]
DATES = [("明天", "2026-03-05"), ("后天", "2026-03-06"), ("大后天", "2026-03-07"), ("周五", "2026-03-06"),
         ("星期五", "2026-03-06"), ("礼拜五", "2026-03-06"), ("下周二", "2026-03-10"),
         ("这周五", "2026-03-06"),
         ("下个月10号", "2026-04-10"), ("12月3日", "2026-12-03"), ("12/15", "2026-12-15"),
         ("月底", "2026-03-31"), ("三个月后", "2026-06-04"), ("两周后", "2026-03-18"),
         ("tomorrow", "2026-03-05"), ("next Tuesday", "2026-03-10"), ("in 2 weeks", "2026-03-18"),
         ("4月15日以后", "2026-04-15"), ("3月1日", "2027-03-01"), ("周一", "2026-03-09")]
SENTENCES = [
    ("{name}对基金很有兴趣，打算投{amount}，{date}签合同", P),
    ("{name} 说要再考虑，{amount} 的理财 {date}再联系", N),
    ("{name}不感兴趣，{amount}都放在别的银行，{date}再试试", R + N),
    ("拜访{name}，可投资产{amount}，{date}约面谈", PN),
    ("{name}：怕亏 不想买 {amount}先放存款 {date}再说", R + N),
    ("跟{name}聊了聊 {amount} 年金 认可 {date} sign", P),
]


def templated_cases() -> list[tuple]:
    cases = []
    for index, name in enumerate(NAMES):
        for offset, (sentence, sentiments) in enumerate(SENTENCES):
            amount_text, amount = AMOUNTS[(index + offset) % len(AMOUNTS)]
            date_text, date_value = DATES[(index * 3 + offset) % len(DATES)]
            message = sentence.format(name=name, amount=amount_text, date=date_text)
            cases.append((message, name, amount, sentiments, date_value, None))
    return cases


def all_cases() -> list[tuple]:
    return HAND_WRITTEN + templated_cases()
