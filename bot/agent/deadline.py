"""One deadline per answer that really stops the work.

The agent graph runs as a coroutine on one event loop in a daemon thread; the answer's deadline is an
`asyncio.timeout` around it, so when time is up the in-flight HTTP request is cancelled (its connection
closed) and no further model or tool call starts. `CallGovernor` is the graph's middleware around every
model call: a per-call timeout, retries of 429/5xx inside the deadline, a cap on model calls, and the
tokens each call used (cost metering).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage

from bot.agent.backends import is_retryable

T = TypeVar("T")
RETRY_PAUSE_SECONDS = 0.5
# The loop thread's own safety margin past the deadline: the coroutine's timeout fires first.
_GRACE_SECONDS = 0.5


class DeadlinePassed(TimeoutError):
    """The whole answer ran out of time."""


class CallTimedOut(RuntimeError):
    """One model call ran past the per-call timeout."""


class ModelCallCap(RuntimeError):
    """The model kept asking for tools past the per-answer cap on model calls."""


@dataclass
class Meter:
    """One answer's clock and spend; read after success and after failure alike (the audit)."""

    deadline_seconds: float
    started: float = field(default_factory=time.monotonic)
    model_calls: int = 0
    tokens: int = 0
    finish_reason: str | None = None

    def remaining(self) -> float:
        return self.deadline_seconds - (time.monotonic() - self.started)

    def count(self, message: AIMessage) -> None:
        if message.usage_metadata:
            self.tokens += message.usage_metadata["total_tokens"]
        # OpenAI-compatible servers say finish_reason; Ollama says done_reason.
        metadata = message.response_metadata
        self.finish_reason = metadata.get("finish_reason") or metadata.get("done_reason")


class CallGovernor(AgentMiddleware):
    """Every model call of one answer: timed, retried on 429/5xx, counted and capped.

    The last allowed call is made without tools, so the model has to answer with what it has.
    """

    def __init__(self, meter: Meter, *, call_timeout: float, retries: int, max_calls: int) -> None:
        super().__init__()
        self.meter = meter
        self.call_timeout = call_timeout
        self.retries = retries
        self.max_calls = max_calls

    async def awrap_model_call(self, request: ModelRequest,
                               handler: Callable[[ModelRequest], Awaitable[ModelResponse]]) -> ModelResponse:
        meter = self.meter
        if meter.model_calls >= self.max_calls:
            raise ModelCallCap(f"more than {self.max_calls} model calls")
        if meter.model_calls == self.max_calls - 1 and request.tools:
            request = request.override(tools=[])
        for attempt in range(self.retries + 1):
            meter.model_calls += 1
            try:
                response = await self._timed(handler, request)
            except Exception as exc:
                pause = RETRY_PAUSE_SECONDS * (attempt + 1)
                if attempt < self.retries and is_retryable(exc) and meter.remaining() > pause + 1:
                    await asyncio.sleep(pause)
                    continue
                raise
            for message in response.result:
                if isinstance(message, AIMessage):
                    meter.count(message)
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _timed(self, handler: Callable[[ModelRequest], Awaitable[ModelResponse]],
                     request: ModelRequest) -> ModelResponse:
        # The answer's deadline cancels this task (CancelledError passes through); a TimeoutError
        # here is this call's own timeout.
        remaining = self.meter.remaining()
        try:
            async with asyncio.timeout(min(self.call_timeout, remaining)):
                return await handler(request)
        except TimeoutError as exc:
            if remaining <= self.call_timeout:
                raise DeadlinePassed(f"no answer within {self.meter.deadline_seconds:g} s") from exc
            raise CallTimedOut(f"one model call took over {self.call_timeout:g} s") from exc


class LoopThread:
    """An asyncio event loop in a daemon thread, for running coroutines from synchronous code.

    One per process (`shared_loop`): the HTTP clients langchain caches are bound to the loop they
    first ran on.
    """

    def __init__(self, name: str = "llm-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, work: Callable[[], Coroutine[Any, Any, T]], deadline_seconds: float) -> T:
        """Run `work()` under `deadline_seconds`: past it the coroutine is cancelled and DeadlinePassed
        is raised, so nothing it started goes on in the background."""

        async def bounded() -> T:
            try:
                async with asyncio.timeout(deadline_seconds):
                    return await work()
            except TimeoutError as exc:
                raise DeadlinePassed(f"no answer within {deadline_seconds:g} s") from exc

        future = asyncio.run_coroutine_threadsafe(bounded(), self.loop)
        try:
            return future.result(timeout=deadline_seconds + _GRACE_SECONDS)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            raise DeadlinePassed(f"no answer within {deadline_seconds:g} s") from exc


_shared: LoopThread | None = None
_shared_lock = threading.Lock()


def shared_loop() -> LoopThread:
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = LoopThread()
        return _shared
