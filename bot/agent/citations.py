"""Grounded answers: the material given to the model is numbered ([1], [2] ...), the model cites those
numbers, and only what it actually cited becomes the answer's sources.

Markers that point nowhere are dropped, a source list the model wrote itself is cut (the reply adds the
real one), and the markers are renumbered in order of first use so [1] is the first source listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.agent.reply import Source
from bot.agent.sources import unique

_MARKER = re.compile(r"\[(\d{1,3})\]|【(\d{1,3})】")
# A trailing block the model wrote as its own source list: a heading line, then anything to the end.
_OWN_SOURCES = re.compile(
    r"\n\s*(?:[#*>\s]*)(?:📚\s*)?(?:出处|来源|参考资料|参考来源|引用来源|资料来源|引用|Sources?|References?)"
    r"\s*[:：]?\s*\**\s*(?:\n.*)?\Z", re.DOTALL | re.IGNORECASE)


@dataclass
class Material:
    """One numbered piece of context: a talk track or a course passage."""

    heading: str
    text: str
    sources: list[Source] = field(default_factory=list)


@dataclass
class Cited:
    text: str
    sources: list[Source]
    cited_any: bool  # at least one marker pointed at a given material


class Materials:
    """The numbered material of one answer: what the context gave, then what tools found."""

    def __init__(self) -> None:
        self.items: list[Material] = []

    def add(self, material: Material) -> int:
        self.items.append(material)
        return len(self.items)

    def render(self, number: int) -> str:
        item = self.items[number - 1]
        return f"[{number}] {item.heading}\n{item.text}"

    def resolve(self, answer: str) -> Cited:
        """The answer with markers renumbered to the positions of the sources listed under it (in order of
        first use); markers that point nowhere dropped. A cited talk track without a resolved source still
        counts as grounded, its marker goes (there is nothing to list)."""
        answer = strip_own_sources(answer)
        sources: list[Source] = []
        cited_any = False

        def renumber(match: re.Match) -> str:
            nonlocal cited_any
            number = int(match.group(1) or match.group(2))
            if not 1 <= number <= len(self.items):
                return ""
            cited_any = True
            markers = []
            for source in unique(self.items[number - 1].sources):
                if source not in sources:
                    sources.append(source)
                markers.append(f"[{sources.index(source) + 1}]")
            return "".join(markers)

        text = _MARKER.sub(renumber, answer)
        text = re.sub(r"(\[\d+\])(?:\1)+", r"\1", text)  # "[1][1]" after renumbering
        return Cited(text=text.strip(), sources=sources, cited_any=cited_any)


def strip_markers(text: str) -> str:
    """An earlier answer without its [n] markers: in a new turn those numbers mean other material."""
    return _MARKER.sub("", text)


def strip_own_sources(answer: str) -> str:
    """Cut a source list the model appended (出处：/参考资料： ... to the end)."""
    return _OWN_SOURCES.sub("", answer).rstrip()
