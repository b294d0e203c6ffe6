"""An adviser's week in Telegram, through the real `adviser bot` process and a fake Bot API server that checks
every message like Telegram (HTML, 4096 characters): buttons pressed, a note without a client, notes sent
in a group saved in private (one adviser by the message, one by the deep link), a restart in the middle
with pending notes kept, a long message Telegram split in two answered once, a digest preview."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.fake_bot_server import BOT, LIMIT, WARM_UP_SECONDS, FakeBotApiServer

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAEweekweekweekweekweekweekweek12345"
ADVISER, SECOND_ADVISER, STRANGER = 4242, 4343, 5555
GROUP = -100777
COURSE = """# 异议处理

## 客户说理财不保本

面对客户担心理财不保本，先认同客户对本金安全的关心，再说明产品的风险等级和历史波动，
不能承诺保本保收益。可以问客户：这笔钱打算放多久？以前买过什么产品？

## 客户嫌收益低

客户嫌收益低时，先了解客户拿来比较的是什么产品，再从期限、流动性和风险三方面对比。
"""


def _env(tmp_path: Path, model_dir: Path, server: FakeBotApiServer) -> dict[str, str]:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": server.base_url,
            "ALLOWED_USER_IDS": f"{ADVISER},{SECOND_ADVISER}", "ADVISER_DATA_DIR": str(tmp_path / "data"),
            "EMBEDDING_MODEL": str(model_dir), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO_ROOT)}


def _start(env: dict[str, str], tmp_path: Path, name: str) -> subprocess.Popen:
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen([sys.executable, "-m", "bot", "bot"], env=env, cwd=tmp_path, stdout=log,
                            stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_an_advisers_week(tmp_path: Path, real_model_dir: Path) -> None:
    server = FakeBotApiServer()
    server.not_started.add(SECOND_ADVISER)  # has never opened a private chat with the bot
    env = _env(tmp_path, real_model_dir, server)
    course = tmp_path / "异议处理.md"
    course.write_text(COURSE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ingest", str(course)], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=300)
    bot = _start(env, tmp_path, "monday")
    try:
        # Monday: a visit logged, the sentiment already set pressed, undone and restored.
        mark = server.mark()
        server.message(ADVISER, "/start")
        server.wait_text(ADVISER, "/prep", mark, timeout=WARM_UP_SECONDS)  # a fresh data dir: a cold start
        mark = server.mark()
        server.message(ADVISER, "刚见完王总，想买50万理财，下周二再约")
        confirmation = server.wait_text(ADVISER, "客户：王总", mark)
        assert "（周二）" in confirmation.text and "✏️ 更正" in confirmation.text
        assert "/undo" not in confirmation.text
        sentiment = re.search(r"情绪：(\S+)", confirmation.text).group(1)
        server.press(ADVISER, f"情绪：{sentiment}")
        server.wait_for(lambda c: c.method == "answerCallbackQuery" and c.text == f"已经是「{sentiment}」",
                        "the sentiment already set")
        server.press(ADVISER, "↩️ 撤销")
        server.wait_for(lambda c: c.method == "editMessageText" and c.text.startswith("<s>"), "struck out")
        server.press(ADVISER, "↩️ 恢复")
        server.wait_for(lambda c: c.method == "editMessageText" and "已恢复" in c.text, "restored")

        # A note with no client: asked in Chinese, a button names it, the buttons go.
        mark = server.mark()
        server.message(ADVISER, "/log 刚聊完，客户想买年金，月底再约")
        server.wait_text(ADVISER, "哪位客户", mark)
        server.press(ADVISER, "王总")
        server.wait_for(lambda c: c.method == "editMessageReplyMarkup" and c.chat_id == ADVISER
                        and not (c.params.get("reply_markup") or {}).get("inline_keyboard"), "buttons gone")
        server.wait_text(ADVISER, "年金", mark)

        # Tuesday: notes sent in the team group are kept and moved to private.
        mark = server.mark()
        server.message(ADVISER, "刚见完李总，想买100万理财，下周再约", chat_id=GROUP, mention=True)
        server.wait_text(GROUP, "已私聊你", mark)
        server.wait_text(ADVISER, "还没有保存", mark)
        server.message(SECOND_ADVISER, "刚见完赵总，想买保险", chat_id=GROUP, mention=True)
        link = server.wait_text(GROUP, f"t.me/{BOT['username']}?start=", mark)
        pending_id = link.text.split("?start=")[1].split()[0]
        server.message(STRANGER, "你好")
        server.wait_text(STRANGER, str(STRANGER), mark)
        _stop(bot)

        # Wednesday: the bot was restarted; the waiting notes are still one tap away.
        bot = _start(env, tmp_path, "wednesday")
        mark = server.mark()
        server.press(ADVISER, "📝 记录拜访")
        server.wait_text(ADVISER, "客户：李总", mark)
        server.message(SECOND_ADVISER, f"/start {pending_id}")
        server.wait_text(SECOND_ADVISER, "赵总", mark)
        server.press(SECOND_ADVISER, "📝 记录拜访")
        server.wait_text(SECOND_ADVISER, "客户：赵总", mark)

        # Thursday: a long question that Telegram delivers in two parts gets one answer.
        question = "客户说理财不保本，不想买，" + "我应该怎么回应比较好，" * 450
        assert len(question) > LIMIT
        mark = server.mark()
        server.message(ADVISER, question[:LIMIT])
        server.message(ADVISER, question[LIMIT:])
        server.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == ADVISER, "the answer", mark)
        time.sleep(4)
        quoted = {c.params["reply_parameters"]["message_id"] for c in server.of("sendMessage", ADVISER, mark)
                  if c.params.get("reply_parameters")}
        assert len(quoted) == 1

        # Friday: the digest switched to another time sends a preview at once.
        mark = server.mark()
        server.message(ADVISER, "/digest 07:30")
        server.wait_text(ADVISER, "预览", mark)
        _stop(bot)
    finally:
        if bot.poll() is None:
            bot.kill()
        server.stop()

    assert server.rejected == []  # Telegram would have taken every message
    shown = server.of("sendMessage") + server.of("editMessageText")
    assert all(len(c.text) <= LIMIT for c in shown)
    assert not any("出了点问题" in c.text for c in shown)
    group_texts = " ".join(server.texts(GROUP))
    assert "李总" not in group_texts and "赵总" not in group_texts  # client data never in the group
    assert "王总" not in " ".join(server.texts(SECOND_ADVISER))  # nor in another adviser's chat
    logs = (tmp_path / "monday.log").read_text() + (tmp_path / "wednesday.log").read_text()
    assert TOKEN.split(":")[1] not in logs and "李总" not in logs
