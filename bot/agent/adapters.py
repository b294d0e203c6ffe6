"""Read what AgentTools returns without depending on its exact result classes.

The tools return "structured results plus a text rendering for an LLM". The runtime only needs three
things from them: the text for the model, the knowledge hits (for sources) and, for a logged visit,
the saved note. These helpers find them by duck typing so the runtime survives small shape changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.agent.reply import Reply, Source
from knowledge.types import Hit

_TEXT_ATTRS = ("text", "rendered", "for_llm", "llm_text")
_TEXT_METHODS = ("render", "as_text", "to_text", "for_llm")


def text_of(result: Any) -> str:
    """The text rendering of a tool result, for the LLM."""
    if result is None:
        return ""
    if isinstance(result, str):
        return result
    for name in _TEXT_METHODS:
        method = getattr(result, name, None)
        if callable(method):
            value = method()
            if isinstance(value, str):
                return value
    for name in _TEXT_ATTRS:
        value = getattr(result, name, None)
        if isinstance(value, str):
            return value
    if isinstance(result, list) and all(isinstance(item, Hit) for item in result):
        rendered = "\n\n".join(render_hit(i, hit) for i, hit in enumerate(result, 1))
        return rendered or "（资料中没有找到相关内容）"
    return str(result)


def render_hit(number: int, hit: Hit) -> str:
    where = " / ".join(part for part in (hit.title, hit.section) if part)
    return f"[{number}] 《{where}》 ({hit.source})\n{hit.text}"


def hits_of(result: Any) -> list[Hit]:
    """The knowledge passages inside a search result (a list of Hit or an object holding them)."""
    if result is None:
        return []
    if isinstance(result, Hit):
        return [result]
    for name in ("hits", "passages", "results"):
        value = getattr(result, name, None)
        if isinstance(value, Iterable) and not isinstance(value, str | bytes):
            return [item for item in value if isinstance(item, Hit)]
    if isinstance(result, Iterable) and not isinstance(result, str | bytes | dict):
        return [item for item in result if isinstance(item, Hit)]
    return []


def sources_from_hits(hits: Iterable[Hit]) -> list[Source]:
    """One Source per distinct passage, in the order found."""
    seen: set[tuple[str, str, str]] = set()
    sources: list[Source] = []
    for hit in hits:
        key = (hit.chunk_id or hit.text[:40], hit.source, hit.section)
        if key in seen:
            continue
        seen.add(key)
        sources.append(Source(title=hit.title, section=hit.section, source=hit.source, chunk_id=hit.chunk_id))
    return sources


def reply_from_log_result(result: Any, *, backend: str = "offline") -> Reply:
    """A Reply for a visit-note result of AgentTools.log_visit (which may already be a Reply)."""
    if isinstance(result, Reply):
        result.intent = "log"
        result.backend = backend
        return result
    saved = _first_attr(result, ("saved", "saved_note", "note_saved"))
    if saved is None and hasattr(result, "note_id") and hasattr(result, "note"):
        saved = result  # a SavedNote itself
    candidates = _first_attr(result, ("candidates", "client_candidates")) or []
    needs_client = bool(getattr(result, "needs_client", False)) or (saved is None and bool(candidates))
    logged_note = None
    note_id = None
    if saved is not None:
        note = getattr(saved, "note", None)
        logged_note = note.as_json() if note is not None and hasattr(note, "as_json") else None
        if logged_note is not None and getattr(saved, "client_name", None):
            logged_note["client"] = saved.client_name
        note_id = getattr(saved, "note_id", None)
    elif hasattr(result, "logged_note"):
        logged_note = result.logged_note
        note_id = getattr(result, "note_id", None)
    return Reply(intent="log", text=text_of(result), logged_note=logged_note, note_id=note_id,
                 needs_client=needs_client and logged_note is None,
                 client_candidates=[str(c) for c in candidates], backend=backend)


def _first_attr(obj: Any, names: Iterable[str]) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return None
