"""Reading a whole chromadb collection page by page: one `get` of a large one is refused or costly."""

from __future__ import annotations

from typing import Any

PAGE = 5000


def all_records(collection: Any, include: list[str]) -> dict[str, list]:
    """The collection's ids and the `include` fields of every record, in the collection's order."""
    out: dict[str, list] = {"ids": [], **{key: [] for key in include}}
    for offset in range(0, collection.count(), PAGE):
        page = collection.get(include=include, limit=PAGE, offset=offset)
        for key in out:
            out[key].extend(page[key])
    return out
