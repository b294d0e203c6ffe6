"""Admin uploads, unsupported messages, errors and retries, the daily digest."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import CallbackContext

from bot.agent.digest import digest_text
from bot.telegram import handlers, jobs
from bot.telegram.jobs import due_for_digest, send_digests
from bot.telegram.sending import with_retries
from tests.unit.telegram.conftest import ADMIN, ADVISER, OTHER_ADVISER, STRANGER

SHANGHAI = ZoneInfo("Asia/Shanghai")
LESSON = "第一讲 客户分类\n\n一、九宫格\n按熟悉程度和情绪把客户分成九类，每一类用不同的沟通方法。".encode()


async def test_admin_uploads_a_document_and_it_becomes_searchable(tg):
    tg.api.downloads["f1"] = LESSON
    await tg.send(tg.updates.document(ADMIN, "f1", "客户分类.md", len(LESSON)))
    assert "已导入 客户分类.md：新增" in tg.api.last_text(ADMIN) and "移除 0 段" in tg.api.last_text(ADMIN)
    hits = tg.agent.knowledge.search("九宫格 熟悉程度 情绪", k=3)
    assert any(hit.source.endswith("客户分类.md") for hit in hits)
    await tg.send(tg.updates.document(ADMIN, "f1", "客户分类.md", len(LESSON)))
    assert "已经在知识库里" in tg.api.last_text(ADMIN)


async def test_upload_of_a_wrong_type_or_by_a_non_admin_is_refused(tg):
    await tg.send(tg.updates.document(ADMIN, "f2", "photo.exe", 10))
    assert "只接受" in tg.api.last_text(ADMIN)
    tg.api.downloads["f3"] = LESSON
    await tg.send(tg.updates.document(ADVISER, "f3", "notes.md", len(LESSON)))
    assert "只有管理员" in tg.api.last_text(ADVISER)
    assert tg.api.sent("getFile") == []


async def test_an_unreadable_upload_is_reported_with_the_reason(tg):
    tg.api.downloads["f4"] = b"%PDF-1.4 not really a pdf"
    await tg.send(tg.updates.document(ADMIN, "f4", "broken.pdf", 25))
    assert "没有导入 broken.pdf" in tg.api.last_text(ADMIN)


async def test_stickers_photos_and_voice_are_not_supported_yet(tg):
    await tg.send(tg.updates.message(ADVISER, sticker={"file_id": "s", "file_unique_id": "s", "width": 1,
                                                      "height": 1, "is_animated": False, "is_video": False,
                                                      "type": "regular"}))
    await tg.send(tg.updates.message(ADVISER, voice={"file_id": "v", "file_unique_id": "v", "duration": 3}))
    assert tg.api.texts(ADVISER) == [handlers.NOT_SUPPORTED] * 2


async def test_an_edited_message_is_explained_not_reprocessed(tg):
    await tg.send(tg.updates.edited(ADVISER, "刚见完王总，想买50万理财"))
    assert "不会重新处理" in tg.api.last_text(ADVISER)
    assert tg.agent.tracker.clients(ADVISER) == []


async def test_a_failing_handler_is_logged_without_the_text_and_the_adviser_is_told(tg, monkeypatch, caplog):
    secret = "客户手机 " + "138" + "00138000"

    def explode(*args, **kwargs):
        raise RuntimeError(secret)

    monkeypatch.setattr(tg.agent, "answer", explode)
    await tg.say(ADVISER, "客户嫌收益太低，怎么回？")
    assert "出了点问题" in tg.api.last_text(ADVISER)
    assert "RuntimeError" in caplog.text
    assert "00138000" not in caplog.text and "收益" not in caplog.text
    monkeypatch.undo()
    assert "可以这样说" in await tg.say(ADVISER, "客户嫌收益太低，怎么回？")  # the bot goes on


async def test_flood_control_is_waited_out_and_the_message_still_sent(tg):
    flood = {"ok": False, "error_code": 429, "description": "Too Many Requests",
             "parameters": {"retry_after": 0}}
    tg.api.failures["sendMessage"] = [(429, flood)]
    out = await tg.say(ADVISER, "/help")
    assert "/prep" in out
    assert len(tg.api.sent()) == 2  # refused once, sent once


async def test_with_retries_retries_network_errors_but_not_bad_requests():
    attempts = []

    async def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise NetworkError("connection reset")
        return "ok"

    assert await with_retries(flaky, backoff_s=0) == "ok" and len(attempts) == 3

    async def bad():
        attempts.append(1)
        raise BadRequest("can't parse entities")

    attempts.clear()
    try:
        await with_retries(bad, backoff_s=0)
    except BadRequest:
        pass
    assert len(attempts) == 1

    async def flood():
        raise RetryAfter(0)

    try:
        await with_retries(flood, attempts=2)
    except RetryAfter:
        pass


def test_digest_is_due_once_a_day_after_its_time():
    now = datetime(2026, 3, 2, 8, 31, tzinfo=SHANGHAI)
    subscribers = [(1, "08:30"), (2, "09:00"), (3, "07:00")]
    assert due_for_digest(subscribers, now, {}) == [1]
    assert due_for_digest(subscribers, now, {1: now.date()}) == []
    assert due_for_digest(subscribers, now + timedelta(days=1), {1: now.date()}) == [1]


async def test_digest_job_sends_due_clients_with_a_brief_once_and_only_to_allowed_advisers(tg, monkeypatch):
    tracker = tg.agent.tracker
    await tg.say(ADVISER, "刚见完王总，嫌收益低，明天再约")
    await tg.say(OTHER_ADVISER, "刚见完赵总，想买保险，明天再约")
    tracker.set_digest(OTHER_ADVISER, enabled=False)
    tracker.set_digest(STRANGER, enabled=True)  # in the tracker, but not allowed: never gets anything
    tomorrow = datetime.now(SHANGHAI).replace(hour=8, minute=31) + timedelta(days=1)

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return tomorrow

    monkeypatch.setattr(jobs, "datetime", Tomorrow)
    tg.api.clear()
    context = CallbackContext(tg.app)
    await send_digests(context)
    await send_digests(context)  # the next minute: already sent today
    digests = tg.api.texts(ADVISER)
    assert len(digests) == 1
    assert "王总" in digests[0] and "上次" in digests[0] and "开场" in digests[0] and "收益低" in digests[0]
    assert tg.api.texts(STRANGER) == [] and tg.api.texts(OTHER_ADVISER) == []


async def test_on_a_day_with_nothing_due_the_digest_is_one_short_line(tg, monkeypatch):
    assert digest_text(tg.agent.tracker, ADVISER, datetime.now(SHANGHAI).date(),
                       plan=tg.agent.playbooks.call_plan["zh"]) is None
    tg.agent.tracker.ensure_adviser(ADVISER)  # subscribed by default
    at_digest_time = datetime.now(SHANGHAI).replace(hour=8, minute=31)

    class AtDigestTime(datetime):
        @classmethod
        def now(cls, tz=None):
            return at_digest_time

    monkeypatch.setattr(jobs, "datetime", AtDigestTime)
    await send_digests(CallbackContext(tg.app))
    assert tg.api.texts(ADVISER) == [jobs.NOTHING_DUE]


NEW_TALK_TRACK = """kind: objection
entries:
  - id: fees_too_high
    title: 手续费太高
    examples: [客户嫌手续费太高, 申购费太贵了, 客户说管理费不划算, 费率比别家高, fees are too high]
    source: house
    why: 客户只看到成本，没看到服务和长期收益。
    say:
      - 费率我给您算一笔明白账，按持有时间摊下来是多少。
      - 我们看的是扣完费用以后的结果。
    ask_next: [您打算持有多久？]
    never: [不要说费用可以私下返还。]
"""


async def test_admin_uploads_a_talk_track_checked_with_the_library(tg, tmp_path):
    library = tmp_path / "library"
    tg.app.bot_data["services"].playbooks_dir = library
    tg.api.downloads["p1"] = NEW_TALK_TRACK.encode()
    await tg.send(tg.updates.document(ADMIN, "p1", "fees.yaml", len(NEW_TALK_TRACK.encode())))
    assert "已更新话术库：objections/fees.yaml" in tg.api.last_text(ADMIN)
    assert (library / "objections" / "fees.yaml").read_text(encoding="utf-8") == NEW_TALK_TRACK


async def test_a_broken_talk_track_is_refused_with_the_reason_and_changes_nothing(tg, tmp_path):
    library = tmp_path / "library"
    tg.app.bot_data["services"].playbooks_dir = library
    before = sorted(p.name for p in library.rglob("*"))
    broken = NEW_TALK_TRACK.replace("    why: 客户只看到成本，没看到服务和长期收益。\n", "")
    tg.api.downloads["p2"] = broken.encode()
    await tg.send(tg.updates.document(ADMIN, "p2", "fees.yaml", len(broken.encode())))
    reply = tg.api.last_text(ADMIN)
    assert "没有更新" in reply and "why" in reply
    tg.api.downloads["p3"] = b"kind: [unclosed"
    await tg.send(tg.updates.document(ADMIN, "p3", "bad.yml", 15))
    assert "不是有效的 YAML" in tg.api.last_text(ADMIN)
    assert sorted(p.name for p in library.rglob("*")) == before
