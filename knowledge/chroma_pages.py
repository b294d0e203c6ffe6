"""Reading a whole chromadb collection page by page: one `get` of a large one is refused or costly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# Records per `get`. chromadb's native side keeps the memory of its largest pages: reading a 100,000-passage
# store (documents and metadata) left it 225 MB larger with pages of 5,000, 150 MB with 2,000 and 55 MB
# with 1,000, in about the same time (smaller pages cost time: each `get` skips its offset again).
PAGE = 1000
# Records per write (upsert, delete): chromadb rejects batches above its max_batch_size (a few thousand).
WRITE_BATCH = 1000


def pages(collection: Any, include: list[str]) -> Iterator[dict[str, Any]]:
    """The collection's records a page at a time (ids and the `include` fields), in the collection's order:
    a caller that turns each page into something smaller need not hold the raw rows of all of them."""
    for offset in range(0, collection.count(), PAGE):
        yield collection.get(include=include, limit=PAGE, offset=offset)


def all_records(collection: Any, include: list[str]) -> dict[str, list]:
    """The collection's ids and the `include` fields of every record, in the collection's order."""
    out: dict[str, list] = {"ids": [], **{key: [] for key in include}}
    for page in pages(collection, include):
        for key in out:
            out[key].extend(page[key])
    return out
