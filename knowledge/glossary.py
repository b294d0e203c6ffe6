"""Query expansion: English -> Chinese terms, and Chinese domain synonyms (knowledge/synonyms.yaml).

The material is Chinese. multilingual-e5-small matches English to Chinese only loosely, and BM25 over
Chinese tokens not at all, so an adviser typing "family trust for business owners" would miss passages
a Chinese query finds. Adding the Chinese terms of the wealth-management words in the query fixes both
rankings. Longest phrases first, so "family trust" gives 家族信托 and not 家庭 + 信托.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.yaml"


@lru_cache(maxsize=1)
def _glossary() -> tuple[dict[str, str], re.Pattern[str]]:
    import yaml

    terms = {str(k).lower(): str(v) for k, v in
             (yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8")) or {}).get("terms", {}).items()}
    phrases = sorted(terms, key=len, reverse=True)
    return terms, re.compile(r"(?<![a-z])(" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z])")


def expand_query(query: str) -> str:
    """The query with the Chinese terms of its English words appended (unchanged when none match)."""
    terms, pattern = _glossary()
    found: list[str] = []
    for match in pattern.finditer(query.lower()):
        term = terms[match.group(1)]
        if term not in found and term not in query:
            found.append(term)
    return f"{query} {' '.join(found)}" if found else query


# --- Chinese domain synonyms (knowledge/synonyms.yaml, reviewed data) ------------------------------
SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.yaml"


class SynonymMap:
    """Words of one group stand for each other: a query naming one also searches the others."""

    def __init__(self, groups: list[list[str]]) -> None:
        self._group_of: dict[str, list[str]] = {}
        for group in groups:
            words = [str(w).strip() for w in group if str(w).strip()]
            for word in words:
                self._group_of.setdefault(word.lower(), []).extend(w for w in words if w != word)
        terms = sorted(self._group_of, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None

    @classmethod
    def from_file(cls, path: Path) -> SynonymMap:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(list(data.get("groups") or []))

    def expansions(self, query: str) -> list[str]:
        """The other words of every group the query names (longest match first), none already in it."""
        if self._pattern is None:
            return []
        found: list[str] = []
        for match in self._pattern.finditer(query):
            for word in self._group_of[match.group().lower()]:
                if word not in found and word.lower() not in query.lower():
                    found.append(word)
        return found


@lru_cache(maxsize=1)
def default_synonyms() -> SynonymMap:
    return SynonymMap.from_file(SYNONYMS_FILE)
