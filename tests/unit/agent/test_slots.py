"""Slots read from the question fill the talk track, or their defaults."""

from __future__ import annotations

from bot.agent.slots import fill, read_slots


def test_slots_from_the_question() -> None:
    slots = read_slots("客户55岁 想拿50万买私募 别家给3.5%", client_type="医生")
    assert (slots.product, slots.amount, slots.age, slots.rate, slots.client) == ("私募", "50万", "55岁",
                                                                                   "3.5%", "医生")
    assert fill("{product|这类产品}的{amount|这笔钱}", slots) == "私募的50万"
    assert "产品：私募" in slots.described()


def test_a_product_named_in_english_is_said_in_chinese() -> None:
    # The talk track's lines are Chinese: "我把fund的费用列给您" would read as a slip.
    assert read_slots("client says the fee on our private funds is too high").product == "基金"
    assert read_slots("客户嫌增额寿锁太久").product == "增额寿"  # as the adviser wrote it


def test_an_english_talk_track_keeps_the_advisers_english_word() -> None:
    asked = "client says the fee on our private funds is too high, he is 55岁, has 500k"
    slots = read_slots(asked, english=True)
    assert slots.product == "funds" and slots.age == "55" and slots.amount == "500,000 yuan"
    assert slots.described(english=True) == " (product: funds, amount: 500,000 yuan, age: 55)"


def test_defaults_when_the_question_does_not_say() -> None:
    slots = read_slots("客户嫌收益低")
    assert fill("{product|这类产品}，{amount|这笔钱}{age|}", slots) == "这类产品，这笔钱"
    assert slots.described() == ""


def test_the_line_of_business_is_read_from_the_shipped_industries() -> None:
    from bot.agent.playbook_files import shipped_playbooks

    playbooks = shipped_playbooks()
    assert playbooks.industry_in("第一次见个养鸡大户").name == "养殖"
    assert playbooks.industry_in("饭店老板娘说生意不好").name == "餐饮"  # the term written first wins
    assert playbooks.industry_in("客户想买私募") is None  # a product is no line of business
    assert playbooks.industry_in("工程师客户") is None


def test_the_kind_of_product_is_read_from_the_shipped_product_notes() -> None:
    from bot.agent.playbook_files import shipped_playbooks

    playbooks = shipped_playbooks()
    assert playbooks.product_note_in("阿姨嫌增额寿要交十年").name == "增额终身寿"
    assert playbooks.product_note_in("定投的基金亏了想停").name == "基金定投"  # the term written first wins
    assert playbooks.product_note_in("理财经理太年轻") is None  # the adviser's title names no product


def test_an_objection_about_a_product_says_what_the_product_is() -> None:
    from bot.agent.playbook_files import shipped_playbooks
    from bot.agent.talk_tracks import objection_text

    playbooks = shipped_playbooks()
    lock_up = playbooks.entry("lockup_too_long")
    note = playbooks.product_note_in("增额终身寿")
    text = objection_text([lock_up], read_slots("客户嫌增额终身寿锁太久"), product=note)
    assert "产品要点（增额终身寿）" in text and "保单贷款" in text
    assert "产品要点" not in objection_text([lock_up], read_slots("客户嫌锁太久"))
