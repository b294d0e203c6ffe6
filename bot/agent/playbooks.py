"""The trainer-editable playbooks (knowledge/playbooks/*.json), loaded once into validated dataclasses.

Every entry cites the passage it came from ({"source": file, "quote": phrase}); source null marks
content written by us where the shipped material says nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "playbooks"
FILES = ("objections", "discovery", "tiers", "cadence", "product_risk")


class PlaybookError(ValueError):
    """A playbook file is missing a field or malformed: the message names the file and entry."""


@dataclass(frozen=True)
class Citation:
    source: str | None
    quote: str | None


@dataclass(frozen=True)
class ObjectionType:
    id: str
    name: str
    cues: tuple[str, ...]
    behind: str
    talk_track: tuple[str, ...]
    ask_next: tuple[str, ...]
    avoid: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Question:
    stage: str
    question: str


@dataclass(frozen=True)
class ClientType:
    id: str
    name: str
    cues: tuple[str, ...]
    traits: str
    questions: tuple[Question, ...]
    needs: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    min_cny: int
    name: str
    gets: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class GridCell:
    familiarity: str
    emotion: str
    approach: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Playbooks:
    objections: tuple[ObjectionType, ...]
    client_types: tuple[ClientType, ...]
    needs: dict[str, str]  # need id -> Chinese name
    spin_stages: dict[str, str]
    tiers: tuple[Tier, ...]
    contacts_per_month: dict[str, int]  # tier label -> contacts
    familiarity_names: dict[str, str]
    emotion_names: dict[str, str]
    grid: dict[tuple[str, str], GridCell]
    product_risk: dict[str, str]  # product type -> R1..R5
    deposit_products: tuple[str, ...]
    directory: Path = field(default=DEFAULT_DIR)

    def objection(self, objection_id: str) -> ObjectionType | None:
        return next((o for o in self.objections if o.id == objection_id), None)

    def client_type(self, type_id: str) -> ClientType | None:
        return next((c for c in self.client_types if c.id == type_id), None)

    def tier_for(self, amount_cny: int | None) -> Tier | None:
        if amount_cny is None:
            return None
        eligible = [t for t in self.tiers if amount_cny >= t.min_cny]
        return max(eligible, key=lambda t: t.min_cny) if eligible else None


def _require(entry: dict, key: str, where: str) -> object:
    if key not in entry or entry[key] in (None, ""):
        raise PlaybookError(f"{where}: missing '{key}'")
    return entry[key]


def _citations(entry: dict, where: str) -> tuple[Citation, ...]:
    raw = _require(entry, "citations", where)
    if not isinstance(raw, list) or not raw:
        raise PlaybookError(f"{where}: 'citations' must be a non-empty list")
    cites = []
    for item in raw:
        if not isinstance(item, dict) or "source" not in item or "quote" not in item:
            raise PlaybookError(f"{where}: each citation needs 'source' and 'quote'")
        if item["source"] is not None and not item["quote"]:
            raise PlaybookError(f"{where}: a cited source needs a quote")
        cites.append(Citation(item["source"], item["quote"]))
    return tuple(cites)


def _strs(entry: dict, key: str, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PlaybookError(f"{where}: '{key}' must be a list of strings")
    if not value and not allow_empty:
        raise PlaybookError(f"{where}: '{key}' is empty")
    return tuple(value)


def _read(directory: Path, name: str) -> dict:
    path = directory / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PlaybookError(f"{path}: not found") from exc
    except json.JSONDecodeError as exc:
        raise PlaybookError(f"{path}: invalid JSON ({exc})") from exc


def _objections(data: dict) -> tuple[ObjectionType, ...]:
    out = []
    for i, e in enumerate(data.get("objections", [])):
        where = f"objections.json #{i} ({e.get('id', '?')})"
        talk = _strs(e, "talk_track", where)
        if not 2 <= len(talk) <= 4:
            raise PlaybookError(f"{where}: talk_track needs 2-4 lines")
        out.append(ObjectionType(str(_require(e, "id", where)), str(_require(e, "name", where)),
                                 _strs(e, "cues", where), str(_require(e, "behind", where)), talk,
                                 _strs(e, "ask_next", where), str(e.get("avoid", "")), _citations(e, where)))
    return tuple(out)


def _client_types(data: dict, needs: dict[str, str]) -> tuple[ClientType, ...]:
    out = []
    for i, e in enumerate(data.get("client_types", [])):
        where = f"discovery.json #{i} ({e.get('id', '?')})"
        questions = tuple(Question(str(_require(q, "stage", where)), str(_require(q, "question", where)))
                          for q in _require(e, "questions", where))
        if questions[0].stage != "icebreaker":
            raise PlaybookError(f"{where}: the first question must be the icebreaker")
        wanted = _strs(e, "needs", where)
        unknown = [n for n in wanted if n not in needs]
        if unknown:
            raise PlaybookError(f"{where}: unknown needs {unknown}")
        out.append(ClientType(str(_require(e, "id", where)), str(_require(e, "name", where)),
                              _strs(e, "cues", where, allow_empty=True), str(e.get("traits", "")),
                              questions, wanted, _citations(e, where)))
    return tuple(out)


def load_playbooks(directory: str | Path | None = None) -> Playbooks:
    """Read and validate every playbook file. Raises PlaybookError naming the bad entry."""
    directory = Path(directory) if directory else DEFAULT_DIR
    objections, discovery, tiers, cadence, risk = (_read(directory, n) for n in FILES)
    needs = {k: str(_require(v, "name", f"discovery.json need {k}")) for k, v in discovery["needs"].items()}
    tier_list = tuple(
        Tier(str(_require(t, "id", "tiers.json")), str(_require(t, "label", "tiers.json")),
             int(_require(t, "min_cny", "tiers.json")), str(t.get("name", "")),
             _strs(t, "gets", f"tiers.json {t.get('id')}"), _citations(t, f"tiers.json {t.get('id')}"))
        for t in tiers["tiers"])
    grid = {}
    for cell in cadence["grid"]:
        where = f"cadence.json grid {cell.get('familiarity')}/{cell.get('emotion')}"
        approach = str(_require(cell, "approach", where))
        grid[(cell["familiarity"], cell["emotion"])] = GridCell(
            cell["familiarity"], cell["emotion"], approach, _citations(cell, where))
    if len(grid) != 9:
        raise PlaybookError("cadence.json: the nine-grid needs all 9 familiarity x emotion cells")
    return Playbooks(
        objections=_objections(objections), client_types=_client_types(discovery, needs), needs=needs,
        spin_stages=dict(discovery["spin"]["stages"]), tiers=tier_list,
        contacts_per_month={c["tier"]: int(c["contacts_per_month"]) for c in cadence["contact"]},
        familiarity_names={k: v for k, v in cadence["familiarity"].items() if k != "citations"},
        emotion_names={k: v for k, v in cadence["emotion"].items() if k != "citations"},
        grid=grid, product_risk=dict(risk["products"]), deposit_products=tuple(risk["deposit_products"]),
        directory=directory)


@lru_cache(maxsize=4)
def default_playbooks() -> Playbooks:
    """The shipped playbooks, loaded once per process."""
    return load_playbooks(DEFAULT_DIR)


def most_specific(names: list[str]) -> list[str]:
    """Product names with those contained in another dropped: "私募基金" covers "基金"."""
    return [name for name in names if not any(name != other and name in other for other in names)]
