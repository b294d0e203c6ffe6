"""Sources an answer used, as people see them (《文章标题》· 小节), never file names or hashes.

Knowledge hits become sources directly; a talk track's citations (a course file and a quote) are
resolved to the passage that holds the quote, so they read like any other source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from bot.agent.playbooks import Citation
from bot.agent.reply import Source
from knowledge.types import Hit


def source_of(hit: Hit) -> Source:
    return Source(title=hit.title, section=_section(hit.section, hit.title), source=hit.source,
                  chunk_id=hit.chunk_id, text=hit.text)


def _section(section: str, title: str) -> str:
    """A heading fit to show: fragments (a cut-off sentence, a list item) and repeats of the title go."""
    section = (section or "").strip()
    if not section or section == title or len(section) > 24 or re.search(r"[，。,；;：:]$", section):
        return ""
    return section


def unique(sources: Iterable[Source]) -> list[Source]:
    """One source per label: two passages under the same heading read as one citation."""
    seen, out = set(), []
    for s in sources:
        key = s.label
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _squash(text: str) -> str:
    return re.sub(r"[\s，,。.：:、]+", "", text)


class CitationResolver:
    """Finds the passage that holds a talk track's quote, once per quote (the library does not change
    while the process runs; an upload builds a new resolver)."""

    def __init__(self, knowledge: Any) -> None:
        self._knowledge = knowledge
        self._find = lru_cache(maxsize=2048)(self._lookup)

    def _lookup(self, quote: str) -> Source | None:
        # A verbatim quote is found by its words (no model call, ~1 ms); the full search only for a quote
        # whose words are too common to rank its passage first.
        wanted = _squash(quote)
        for search in (self._knowledge.search_lexical, self._knowledge.search):
            try:
                hits = search(quote, k=5)
            except Exception:  # no knowledge base yet (not ingested): the talk track still answers
                return None
            found = next((hit for hit in hits if wanted and wanted in _squash(hit.text)), None)
            if found is not None:
                return source_of(found)
        return None

    def sources(self, citations: Sequence[Citation]) -> list[Source]:
        return unique(s for s in (self._find(c.quote) for c in citations) if s is not None)
