"""Small interfaces of our own in front of third-party stores and models."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

EmbedKind = Literal["query", "passage"]


@dataclass(frozen=True)
class Hit:
    """One passage returned by a search, best first."""

    text: str
    source: str
    title: str
    section: str
    score: float
    chunk_id: str = ""
    # Dense cosine similarity of query and passage, whatever ranking found it: the agent's
    # "the material does not cover this" threshold is measured on it (fused scores are ranks).
    relevance: float | None = None

    def as_json(self) -> dict:
        """The exact keys `adviser search --json` promises."""
        return {"text": self.text, "source": self.source, "title": self.title,
                "section": self.section, "score": round(self.score, 6)}


@dataclass(frozen=True, slots=True)  # slots: a large store holds 100,000 of them
class Chunk:
    """A passage ready for the store. `chunk_id` is a content hash, so re-ingest is idempotent.

    `source` is the short name people see (the file name); `source_key` identifies the source for
    ingest (the file's full resolved path), so two files of the same name in different folders stay
    two sources. Chunks stored before keys existed have an empty `source_key`.
    """

    chunk_id: str
    text: str
    source: str
    title: str
    section: str
    position: int
    source_key: str = ""

    @property
    def key(self) -> str:
        """The source's identity: its key, or for chunks stored before keys existed, its name."""
        return self.source_key or self.source


def heading_of(chunk: Chunk) -> str:
    """The passage's article title and section heading, as one line."""
    return " / ".join(part for part in (chunk.title, chunk.section) if part)


# A passage whose lines are this short on average (and that has several) is a list: its items rarely
# repeat what the list is about, which only its heading says.
_LIST_LINE_CHARS = 16
_LIST_MIN_LINES = 3


def is_list_like(text: str) -> bool:
    """Several short lines (steps, options, client types): meaningless without the heading above."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= _LIST_MIN_LINES and sum(map(len, lines)) / len(lines) <= _LIST_LINE_CHARS


def embedding_text(chunk: Chunk) -> str:
    """What the dense ranking embeds: the passage, led by its heading when it is a list.

    Prose is embedded alone: measured on bench/retrieval_para.json, a heading before every passage
    makes the passages of one article look alike and costs dense MRR.
    """
    heading = heading_of(chunk)
    return f"{heading}\n{chunk.text}" if heading and is_list_like(chunk.text) else chunk.text


# A sentence ends at these marks; a line (a list item, a slide bullet) ends a unit too.
_SENTENCE_END = re.compile(r"(?<=[。!?;！？；])")


def chunk_of_record(record_id: str) -> str:
    """The chunk id of a unit's record ("<chunk id>:<n>") or a bank question's ("<chunk id>:q<n>")."""
    return record_id.rsplit(":", 1)[0]


def sentence_units(text: str) -> list[str]:
    """The small pieces of a passage: its sentences and list items, in order."""
    pieces = (piece.strip() for line in text.splitlines() for piece in _SENTENCE_END.split(line))
    return [piece for piece in pieces if piece]


def unit_embedding_texts(chunk: Chunk) -> list[str]:
    """What the dense ranking embeds per sentence unit: the unit under its heading.

    Small-to-big: a question that names one item of a long passage ("沙龙活动举办的步骤有哪些?" inside a
    page of quiz answers) is close to that item's vector even when the passage's whole vector is not;
    the search then returns the passage. The heading says what a bare list item is about.
    """
    heading = heading_of(chunk)
    return [f"{heading}\n{unit}" if heading else unit for unit in sentence_units(chunk.text)]


class Embedder(Protocol):
    """Turns texts into unit-length vectors. `kind` selects the e5 prefix (query: / passage:)."""

    dimension: int

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]: ...


class ChunkStore(Protocol):
    """The vector store as ingest and search see it (chromadb behind it)."""

    # Who this store is: a store deleted and created again (say, ingested with another model) is another,
    # so indexes built from the old one are not reused.
    store_id: str

    def upsert(self, chunks: Sequence[Chunk]) -> None: ...

    def delete(self, chunk_ids: Iterable[str]) -> None: ...

    def ids_by_source(self) -> dict[str, set[str]]:
        """Chunk ids per source key (`Chunk.key`)."""
        ...

    def generation(self) -> str | None:
        """A token every finished write to the passages changes, read without touching them, so a snapshot
        of them is checked cheaply. None when there is no finished one: a store never written, written
        before generations existed, being written, or left by a writer that died."""
        ...

    def passages(self) -> Iterator[tuple[list[Chunk], Any]]:
        """Every stored chunk with its vector (unit length) a page at a time: the page's chunks, then their
        vectors as rows. The search holds them (knowledge/passage_index.py)."""
        ...

    def stored_tokens(self) -> dict[str, str]:
        """Each chunk's BM25 tokens as stored at ingest (space-joined), where the current tokenizer version
        stored them: read only to build the lexical index, not held with the passages."""
        ...

    def unit_vectors(self, chunk_ids: Sequence[str] | None = None) -> Iterator[tuple[list[str], Any]]:
        """The sentence units' vectors (unit length) a page at a time: each unit's chunk id, then the page's
        vectors as rows; of every stored chunk, or only of `chunk_ids`. The search holds them in a matrix
        (knowledge/unit_index.py)."""
        ...

    def question_vectors(self) -> tuple[list[str], list[str], list[list[float]]]:
        """The question bank's questions (knowledge/question_bank.py) as indexed: each one's chunk id, text
        and unit-length vector."""
        ...

    def index_missing_units(self) -> int:
        """Embed the sentence units of stored chunks that have none (a store written before units
        existed) and drop units whose chunk is gone; reconcile the question bank's questions with the stored
        chunks (stale, orphaned and missing ones); stamp a generation where there is none. Returns how
        many chunks' units were indexed."""
        ...

    def count(self) -> int: ...
