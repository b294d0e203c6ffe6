"""`adviser chat`: the local console, the same Agent as Telegram, as the local adviser.

Reads plain lines, so it works the same on a terminal and with piped input (scripts, tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape

from bot.agent.factory import warm_up_in_background
from bot.agent.reply import Reply

HELP = """命令：
  /help            显示帮助
  /prep 客户名      拜访前准备（目标、开场白、要点、可能的异议、下一步）
  /log 拜访记录     记录一次拜访（也可以直接发送拜访记录）
  /followups       近期要跟进的客户
  /undo            撤销最近一条拜访记录
  /quit            退出
其他任何内容：直接提问（异议处理、需求挖掘、培训资料…）。"""

CHAT_ID = "console"


def run_console(agent: Any, *, adviser_id: int | None = None, console: Console | None = None,
                read_line: Callable[[str], str] = input) -> None:
    """Loop until /quit, EOF or Ctrl-C."""
    from bot.tracker.service import LOCAL_ADVISER_ID

    adviser = LOCAL_ADVISER_ID if adviser_id is None else adviser_id
    # soft_wrap: long answers are not cut into fixed-width lines when piped or copied.
    out = console or Console(highlight=False, soft_wrap=True)
    session = _Session(agent, adviser, out, read_line)
    warm_up_in_background(agent)  # the model loads while the adviser types
    out.print(f"[bold]理财顾问助手[/bold]（{escape(agent.backend)}）。输入 /help 查看命令，/quit 退出。")
    try:
        while True:
            try:
                line = read_line("你> ").strip()
            except EOFError:
                break
            if not line:
                continue
            if not session.handle(line):
                break
    except KeyboardInterrupt:
        pass
    out.print("再见。")


class _Session:
    def __init__(self, agent: Any, adviser_id: int, out: Console, read_line: Callable[[str], str]) -> None:
        self.agent = agent
        self.adviser_id = adviser_id
        self.out = out
        self.read_line = read_line
        self._last_text = ""

    def handle(self, line: str) -> bool:
        """Handle one input line; False means quit."""
        command, _, rest = line.partition(" ")
        rest = rest.strip()
        if not line.startswith("/"):
            self.ask(line)
        elif command in ("/quit", "/exit", "/q"):
            return False
        elif command == "/help":
            self.out.print(escape(HELP))
        elif command == "/prep":
            if not rest:
                self.out.print("用法：/prep 客户名")
            else:
                self.ask(f"帮我准备一下见{rest}", intent="prep")
        elif command == "/log":
            if not rest:
                self.out.print("用法：/log 拜访记录，例如 /log 刚见完王总，想买50万理财，下周三再约")
            else:
                self.ask(rest, intent="log")
        elif command == "/followups":
            self.ask("近期要跟进哪些客户？", intent="tracker")
        elif command == "/undo":
            self.show(self.agent.undo_last(self.adviser_id))
        else:
            self.out.print(f"不认识的命令 {escape(command)}，输入 /help 查看命令。")
        return True

    def ask(self, text: str, intent: str | None = None) -> None:
        self._last_text = text
        self.show(self.agent.answer(self.adviser_id, text, chat_id=CHAT_ID, intent=intent))

    def show(self, reply: Reply) -> None:
        if reply.needs_confirmation:
            self.ask_kind()
            return
        if reply.needs_client:
            self.ask_client(reply)
            return
        if reply.notice:
            self.out.print(f"[yellow]{escape(reply.notice)}[/yellow]")
        self.out.print(escape(reply.full_text))  # the answer and its sources (《标题》· 小节)

    def ask_kind(self) -> None:
        """Reads like a visit report and like a question: the adviser says which (nothing is done unasked)."""
        pending = self._last_text
        answer = self._prompt("这条是拜访记录吗？y 记录拜访，n 只是提问（直接回车取消）> ").lower()
        if answer in ("y", "yes", "是", "记录"):
            self.show(self.agent.log_note(self.adviser_id, pending, client_name=None, chat_id=CHAT_ID))
        elif answer in ("n", "no", "否", "提问"):
            self.show(self.agent.answer(self.adviser_id, pending, chat_id=CHAT_ID, as_question=True))
        else:
            self.out.print("已取消，没有保存任何内容。")

    def ask_client(self, reply: Reply) -> None:
        """Unknown client: ask which one, then log the same note for that client."""
        self.out.print("这条拜访记录是哪位客户的？还没有保存。")
        if reply.client_candidates:
            self.out.print("已有客户：" + escape("、".join(reply.client_candidates)))
        name = self._prompt("客户名字（直接回车取消）> ")
        if not name:
            self.out.print("已取消，这条记录没有保存。")
            return
        pending = self._last_text
        self.show(self.agent.log_note(self.adviser_id, pending, client_name=name, chat_id=CHAT_ID))

    def _prompt(self, prompt: str) -> str:
        try:
            return self.read_line(prompt).strip()
        except EOFError:
            return ""
