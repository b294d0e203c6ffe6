"""Compliance guardrails on every answer, whatever wrote it (offline composer, an LLM, ingested material).

- Never promise principal, returns, redemption or loss cover, nor call an investment risk-free, unless
  the product is a deposit: the promising sentence is removed and the compliance note appended. Text is
  normalised first (Traditional -> Simplified, full-width -> half-width, whitespace dropped), then checked
  by the patterns in knowledge/compliance/promises.yaml and, with an embedder, by meaning against the
  violation statements in knowledge/compliance/semantic.yaml. Warnings ("不能承诺保本") are left alone.
- An answer that states a named product's return figure gets the product_terms note.
- When the client's risk level (C1-C5) is known and a product discussed is riskier (R above C): say so.
- Requests for misleading scripts, implied guarantees, private promises, filling in a client's risk
  questionnaire, dodging the recorded sale (双录) or stock picks are refused
  (knowledge/compliance/requests.yaml).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
import zhconv

from knowledge.types import Embedder

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "compliance"
PROMISE = "no_guarantee"          # a promising sentence was removed (pattern or meaning)
PRODUCT_TERMS = "product_terms"   # a product's return figure was stated: note appended
SUITABILITY = "risk_mismatch"     # a product riskier than the client's level

# Dropped before checking: whitespace, zero-width characters and markdown emphasis used to space words out.
_FILLER_RE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff*_~`·•]+")
# Sentences end at Chinese stops, ! ? ; line breaks, or an English full stop followed by a space or the end.
_SENTENCE_RE = re.compile(r"(?:[^。！？!?\n；;.]|\.(?!\s|$))*(?:[。！？!?；;]+|\.(?=\s|$))?\s*|\n")
_CLAUSE_RE = re.compile(r"[，,；;（(]")
_QUESTION_RE = re.compile(r"[?？]|吗|呢$")
_NEGATION_WINDOW = 20


def normalise(text: str) -> str:
    """The form every pattern is written for: Simplified, half-width, lower case, no whitespace."""
    half = unicodedata.normalize("NFKC", text)
    return _FILLER_RE.sub("", zhconv.convert(half, "zh-cn")).lower()


def split_sentences(text: str) -> list[str]:
    """Sentences with their own punctuation and trailing space, so joining them gives the text back."""
    return [piece for piece in _SENTENCE_RE.findall(text) if piece]


@dataclass(frozen=True)
class GuardResult:
    text: str                 # the answer, violating sentences removed, compliance note(s) appended
    fired: tuple[str, ...]    # rule ids that fired, for the audit
    # The answer, violating sentences removed, without the notes (what conversation memory keeps).
    advice: str = field(default="", compare=False)


@dataclass(frozen=True)
class _Rule:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...] = ()
    deposit_exempt: bool = True
    refusal: str = ""
    promise_in_text: bool = False  # a request rule that also needs a promise (answer patterns) in the text


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _any_of(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _read(directory: Path, name: str) -> dict:
    return yaml.safe_load((directory / name).read_text(encoding="utf-8"))


class Guardrails:
    """Loaded once from the compliance data; check_request before composing, check_answer after."""

    def __init__(self, promises: dict, requests: dict, semantic: dict, *, embedder: Embedder | None,
                 product_risk: Mapping[str, str]) -> None:
        self.rules = tuple(_Rule(r["id"], _compile(r["patterns"]),
                                 deposit_exempt=r.get("deposit_exempt", True)) for r in promises["rules"])
        self.deposit_words = _any_of(promises["deposit_words"])
        self.investment_words = _any_of(promises["investment_words"])
        self.negations = _any_of(promises["negations"])
        self.adjacent_markers = tuple(promises["adjacent_markers"])
        self.warning_markers = _compile(promises["warning_markers"])
        self.rhetorical = _any_of(promises["rhetorical_markers"])
        self.notes: dict[str, str] = dict(promises["notes"])
        self.figure_re = re.compile(promises["product_terms"]["figure"])
        self.principal_re = re.compile(promises["product_terms"]["principal"])
        self.named_re = re.compile(promises["product_terms"]["named"])
        self.product_re = re.compile(promises["product_terms"]["product"])
        self.request_rules = tuple(
            _Rule(r["id"], _compile(r["patterns"]), _compile(r.get("unless") or ()),
                  refusal=requests["refusals"][r["refusal"]], promise_in_text=r.get("promise_in_text", False))
            for r in requests["rules"])
        self.product_risk = dict(product_risk)
        self.embedder = embedder
        self.threshold = float(semantic["threshold"])
        self.margin = float(semantic["margin"])
        self.violation_statements: tuple[str, ...] = tuple(semantic["violations"])
        self.safe_statements: tuple[str, ...] = tuple(semantic["safe"])
        self._anchors: tuple[np.ndarray, np.ndarray] | None = None  # embedded on first use, then kept

    @classmethod
    def load(cls, directory: Path | None = None, *, embedder: Embedder | None = None,
             product_risk: Mapping[str, str] | None = None) -> Guardrails:
        """The data in `directory` (knowledge/compliance by default). product_risk maps product types to
        their typical R level (the playbooks' table); without it only an explicit product_risk is compared."""
        folder = Path(directory) if directory is not None else DEFAULT_DIR
        return cls(_read(folder, "promises.yaml"), _read(folder, "requests.yaml"),
                   _read(folder, "semantic.yaml"), embedder=embedder, product_risk=product_risk or {})

    # -- requests --------------------------------------------------------------------------------

    def request_rule(self, text: str) -> str | None:
        """The id of the request rule the text breaks, else None."""
        norm = normalise(text or "")
        for rule in self.request_rules:
            if not any(p.search(norm) for p in rule.patterns) or any(p.search(norm) for p in rule.unless):
                continue
            if rule.promise_in_text and self.promise_rule(text, questions_exempt=False) is None:
                continue
            return rule.id
        return None

    def check_request(self, text: str) -> str | None:
        """Chinese refusal text when the adviser asks for a violation, else None."""
        rule_id = self.request_rule(text)
        return next(r.refusal for r in self.request_rules if r.id == rule_id) if rule_id else None

    # -- answers ---------------------------------------------------------------------------------

    def is_warning(self, norm: str, *, questions_exempt: bool = True) -> bool:
        """A disclosure or a warning as a whole, or a (non-rhetorical) question: never a promise."""
        if any(p.search(norm) for p in self.warning_markers):
            return True
        return questions_exempt and bool(_QUESTION_RE.search(norm)) and not self.rhetorical.search(norm)

    def _negated(self, norm: str, start: int) -> bool:
        before = norm[:start]
        if before.endswith(self.adjacent_markers):
            return True
        clause = _CLAUSE_RE.split(before)[-1]
        # English words are longer: look further back in an English clause.
        english = re.search(r"[a-z]{6}", clause[-_NEGATION_WINDOW:])
        window = _NEGATION_WINDOW * 3 if english else _NEGATION_WINDOW
        return bool(self.negations.search(clause[-window:]))

    def _deposit_only(self, norm: str) -> bool:
        plain = norm.replace("存款保险", "")
        return bool(self.deposit_words.search(plain)) and not self.investment_words.search(plain)

    def promise_rule(self, sentence: str, *, deposit_ok: bool = False,
                     questions_exempt: bool = True) -> str | None:
        """The id of the promise pattern a sentence makes (not negated, not a warning), else None.
        In an answer a question is the client's; in a request ("能跟客户说保本吗？") it is not."""
        norm = normalise(sentence)
        if not norm or self.is_warning(norm, questions_exempt=questions_exempt):
            return None
        for rule in self.rules:
            for pattern in rule.patterns:
                for match in pattern.finditer(norm):
                    if self._negated(norm, match.start()):
                        continue
                    if rule.deposit_exempt and self._about_deposit(norm, match.start(), deposit_ok):
                        continue
                    return rule.id
        return None

    def _about_deposit(self, norm: str, at: int, deposit_ok: bool) -> bool:
        """Deposits are principal-protected: a claim in a clause about a deposit (no investment) stands."""
        if self.investment_words.search(norm.replace("存款保险", "")):
            return False
        if deposit_ok:
            return True
        start = max((m.end() for m in _CLAUSE_RE.finditer(norm, 0, at)), default=0)
        end = next((m.start() for m in _CLAUSE_RE.finditer(norm, at)), len(norm))
        return self._deposit_only(norm[start:end])

    def _anchor_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The violation and safe statements' vectors: embedded once, on the first check that needs them
        (not at load, so commands that never check an answer never load the model)."""
        if self._anchors is None:
            self._anchors = (self._embed(self.violation_statements), self._embed(self.safe_statements))
        return self._anchors

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        assert self.embedder is not None
        return np.asarray(self.embedder.embed_batch(list(texts), kind="query"), dtype=np.float32)

    def semantic_scores(self, sentences: Sequence[str]) -> list[tuple[float, float]]:
        """(closest violation cosine, that minus the closest safe cosine) per sentence, normalised first."""
        if self.embedder is None or not sentences:
            return []
        vectors = self._embed([normalise(s) for s in sentences])
        violations, safes = self._anchor_vectors()
        violation = (vectors @ violations.T).max(axis=1)
        safe = (vectors @ safes.T).max(axis=1)
        return [(float(v), float(v - s)) for v, s in zip(violation, safe, strict=True)]

    def semantic_candidates(self, sentences: Sequence[str], *, deposit_ok: bool = False) -> list[int]:
        """Indices of the sentences the semantic check reads (whatever the patterns say of them)."""
        # Meaning cannot tell "不能承诺保本" from "保本": sentences with a negation word or a warning
        # are left to the patterns, which read negation clause by clause. Deposits may be called safe.
        norms = [normalise(s) for s in sentences]
        return [i for i, norm in enumerate(norms)
                if len(norm) >= 4 and not self.is_warning(norm) and not self.negations.search(norm)
                and not (deposit_ok or self._deposit_only(norm))]

    def is_semantic_violation(self, score: float, margin: float) -> bool:
        return score >= self.threshold and margin >= self.margin

    def violating(self, sentences: Sequence[str], *, deposit_ok: bool = False,
                  semantic: bool = True) -> list[bool]:
        """Per sentence: does it promise principal, return, redemption or loss cover, or deny risk?"""
        flags = [self.promise_rule(s, deposit_ok=deposit_ok) is not None for s in sentences]
        if self.embedder is None or not semantic:
            return flags
        todo = [i for i in self.semantic_candidates(sentences, deposit_ok=deposit_ok) if not flags[i]]
        for i, (score, margin) in zip(todo, self.semantic_scores([sentences[i] for i in todo]), strict=True):
            flags[i] = self.is_semantic_violation(score, margin)
        return flags

    def check_answer(self, answer: str, *, client_risk: str | None = None, product_risk: str | None = None,
                     products: Sequence[str] = (), reviewed: bool = False) -> GuardResult:
        """The answer with promising sentences removed and the notes appended, and the rules that fired.

        `reviewed`: written from the reviewed talk-track library, so only the patterns read it; the
        meaning check, which also flags honest advice now and then, reads text from the material or a model.
        """
        fired: list[str] = []
        products = [p for p in products if p]
        deposit_ok = bool(products) and all(self._deposit_only(normalise(p)) for p in products)
        sentences = split_sentences(answer or "")
        flags = self.violating(sentences, deposit_ok=deposit_ok, semantic=not reviewed)
        text = advice = _without(sentences, flags)
        if any(flags):
            fired.append(PROMISE)
        notes = [self.notes["promise"]] if any(flags) else []
        if not deposit_ok and self._states_product_terms(text, named=bool(products)):
            fired.append(PRODUCT_TERMS)
            notes.append(self.notes["product_terms"])
        line = self._suitability_line(text, client_risk, product_risk, products)
        if line:
            fired.append(SUITABILITY)
            if "【适当性" not in text:  # the suitability composer's own answer already says it
                notes.append(line)
        for note in notes:
            if note not in text:
                text = f"{text}\n\n{note}" if text else note
        return GuardResult(text=text, fired=tuple(fired), advice=advice)

    def _states_product_terms(self, text: str, *, named: bool) -> bool:
        for sentence in split_sentences(text):
            norm = normalise(sentence)
            if self._deposit_only(norm):
                continue
            if self.figure_re.search(norm) and (named or self.product_re.search(norm)):
                return True
            if self.principal_re.search(norm) and not self.is_warning(norm) \
                    and (named or self.named_re.search(norm)):
                return True
        return False

    def _suitability_line(self, text: str, client_risk: str | None, product_risk: str | None,
                          products: Sequence[str]) -> str | None:
        c_level = _level(client_risk, "C")
        if c_level is None:
            return None
        riskier = {n: lv for n, lv in self._product_levels(products, text).items() if lv > c_level}
        explicit = _level(product_risk, "R")
        if explicit is not None and explicit > c_level:
            riskier.setdefault("所讨论产品", explicit)
        if not riskier:
            return None
        levels = "/".join(sorted({f"R{lv}" for lv in riskier.values()}))
        return self.notes["suitability"].format(client=f"C{c_level}", products="、".join(riskier),
                                                product=levels)

    def _product_levels(self, products: Iterable[str], answer: str) -> dict[str, int]:
        from bot.agent.playbooks import most_specific

        table = self.product_risk
        # Products named in the answer itself count too: the LLM may recommend something new.
        names = list(products) + [name for name in table if len(name) >= 2 and name in answer]
        found: dict[str, int] = {}
        for name in names:
            level = _level(table.get(name), "R")
            if level is None:
                level = next((_level(r, "R") for key, r in table.items() if key in name), None)
            if level is not None:
                found[name] = level
        return {name: found[name] for name in most_specific(list(found))}


def _without(sentences: Sequence[str], flags: Sequence[bool]) -> str:
    kept = ""
    for sentence, flag in zip(sentences, flags, strict=True):
        if not flag:
            kept += sentence
        elif sentence.endswith("\n") and kept and not kept.endswith("\n"):
            kept += "\n"  # the line it ended stays a line
    text = re.sub(r"\n{3,}", "\n\n", kept)
    text = re.sub(r"(?m)^\s*([-*•·]|\d+[.、)])\s*$\n?", "", text)  # bullets emptied by the removal
    return text.strip()


def _level(value: str | None, prefix: str) -> int | None:
    match = re.search(prefix + r"([1-5])", value.upper()) if value else None
    return int(match.group(1)) if match else None
