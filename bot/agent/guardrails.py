"""Compliance guardrails on every answer, whatever wrote it (offline composer, an LLM, ingested material).

- Never promise principal, returns, redemption or loss cover, nor call an investment risk-free, unless
  the product is a deposit: the promising sentence is removed and the compliance note appended. Text is
  normalised first (Traditional -> Simplified, full-width -> half-width, whitespace dropped), then checked
  by the patterns in knowledge/compliance/promises.yaml (guard_patterns.py) and, with an embedder, by
  meaning against the statements in knowledge/compliance/semantic.yaml (guard_semantic.py).
  Warnings ("不能承诺保本") are left alone.
- An answer that states a named product's return figure gets the product_terms note.
- When the client's risk level (C1-C5) is known and a product discussed is riskier (R above C): say so.
- Requests for misleading scripts, implied guarantees, private promises, filling in a client's risk
  questionnaire, dodging, faking or coaching the recorded sale (双录), acting on the client's account,
  borrowed asset proof, a misstated risk level, a low-level client into a riskier product, backdated or
  later-signed papers, or stock picks are refused (knowledge/compliance/requests.yaml), and with an
  embedder also when asked in other words (request_meaning.py, knowledge/compliance/request_meaning.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from bot.agent.guard_patterns import PromisePatterns, Refusal, RequestRules, normalise, split_sentences
from bot.agent.guard_semantic import MeaningCheck
from bot.agent.request_meaning import RequestMeaning
from knowledge.types import Embedder

__all__ = ["DEFAULT_DIR", "PRODUCT_TERMS", "PROMISE", "SUITABILITY", "GuardResult", "Guardrails", "normalise",
           "split_sentences"]

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "compliance"
PROMISE = "no_guarantee"          # a promising sentence was removed (pattern or meaning)
# A suitability answer or note already in the text (suitability_answers.yaml, the notes), either language.
SUITABILITY_ANSWER = ("【适当性", "[Suitability")
PRODUCT_TERMS = "product_terms"   # a product's return figure was stated: note appended
SUITABILITY = "risk_mismatch"     # a product riskier than the client's level


@dataclass(frozen=True)
class GuardResult:
    text: str                 # the answer, violating sentences removed, compliance note(s) appended
    fired: tuple[str, ...]    # rule ids that fired, for the audit
    # The answer, violating sentences removed, without the notes (what conversation memory keeps).
    advice: str = field(default="", compare=False)


def _read(directory: Path, name: str) -> dict:
    return yaml.safe_load((directory / name).read_text(encoding="utf-8"))


class Guardrails:
    """Loaded once from the compliance data; check_request before composing, check_answer after."""

    def __init__(self, promises: dict, requests: dict, semantic: dict, request_meaning: dict, *,
                 embedder: Embedder | None, product_risk: Mapping[str, str], cache_dir: Path | None = None,
                 honest_requests: Sequence[str] = ()) -> None:
        """`cache_dir`: where the meaning checks keep their labelled texts' vectors between processes;
        `honest_requests`: more messages that ask nothing improper, for the request check to learn from."""
        self.patterns = PromisePatterns(promises)
        self.requests = RequestRules(requests, self.patterns)
        self.meaning = MeaningCheck(semantic, embedder=embedder, patterns=self.patterns,
                                    cache=cache_dir / "labelled_vectors.npz" if cache_dir else None)
        self.request_meaning = RequestMeaning(
            request_meaning, rule_ids=[rule.id for rule in self.requests.rules], embedder=embedder,
            honest=honest_requests, refused=self.requests.rule,
            cache=cache_dir / "request_vectors.npz" if cache_dir else None)
        self.notes: dict[str, str] = dict(promises["notes"])
        self.notes_english: dict[str, str] = dict(promises["notes_english"])
        self.figure_re = re.compile(promises["product_terms"]["figure"])
        self.principal_re = re.compile(promises["product_terms"]["principal"])
        self.named_re = re.compile(promises["product_terms"]["named"])
        self.product_re = re.compile(promises["product_terms"]["product"])
        self.product_risk = dict(product_risk)

    @classmethod
    def load(cls, directory: Path | None = None, *, embedder: Embedder | None = None,
             product_risk: Mapping[str, str] | None = None, cache_dir: Path | None = None,
             honest_requests: Sequence[str] = ()) -> Guardrails:
        """The data in `directory` (knowledge/compliance by default). product_risk maps product types to
        their typical R level (the playbooks' table); without it only an explicit product_risk is compared.
        `cache_dir`: where the meaning checks keep their labelled vectors between processes (the data
        dir's); `honest_requests`: more honest messages for the request check (the library's phrasings)."""
        folder = Path(directory) if directory is not None else DEFAULT_DIR
        promises, requests, semantic, meaning = (
            _read(folder, f"{name}.yaml") for name in ("promises", "requests", "semantic", "request_meaning"))
        return cls(promises, requests, semantic, meaning, embedder=embedder, product_risk=product_risk or {},
                   cache_dir=cache_dir, honest_requests=honest_requests)

    def warm_up(self) -> None:
        """Learn the meaning checks now (several seconds), not in the first answer or request needing one."""
        if self.meaning.embedder is not None:
            self.meaning.learned()
            self.request_meaning.learned()

    def request_rule(self, text: str) -> str | None:
        """The id of the request rule the text breaks (by the patterns, else by meaning), else None."""
        return self._request_rule(text)[0]

    def check_request(self, text: str) -> Refusal | None:
        """The refusal (its Chinese and English text, and the library rules explaining it) when the adviser
        asks for a violation, else None."""
        rule_id, by_meaning = self._request_rule(text)
        refusal = self.requests.refusal_of(rule_id) if rule_id else None
        return replace(refusal, by_meaning=True) if refusal and by_meaning else refusal

    def _request_rule(self, text: str) -> tuple[str | None, bool]:
        """The rule broken, and whether meaning (not a pattern) read it."""
        if self.requests.declined(text):
            return None, False
        by_pattern = self.requests.rule(text)
        return (by_pattern, False) if by_pattern else (self.request_meaning.rule(text), True)

    def promise_rule(self, sentence: str, *, deposit_ok: bool = False,
                     questions_exempt: bool = True) -> str | None:
        """The id of the promise pattern a sentence makes (not negated, not a warning), else None."""
        return self.patterns.promise_rule(sentence, deposit_ok=deposit_ok, questions_exempt=questions_exempt)

    def violating(self, sentences: Sequence[str], *, deposit_ok: bool = False,
                  semantic: bool = True) -> list[bool]:
        """Per sentence: does it promise principal, return, redemption or loss cover, or deny risk?"""
        flags = [self.promise_rule(s, deposit_ok=deposit_ok) is not None
                 or i > 0 and self.patterns.denies_a_loss_question(sentences[i - 1], s)
                 for i, s in enumerate(sentences)]
        return self.meaning.flag(sentences, flags, deposit_ok=deposit_ok) if semantic else flags

    def check_answer(self, answer: str, *, client_risk: str | None = None, product_risk: str | None = None,
                     products: Sequence[str] = (), reviewed: bool = False,
                     english: bool = False) -> GuardResult:
        """The answer with promising sentences removed and the notes appended, and the rules that fired.

        `reviewed`: written from the reviewed talk-track library, so only the patterns read it; the
        meaning check, which also flags honest advice now and then, reads text from the material or a model.
        `english`: the answer is in English, and so are the notes appended to it.
        """
        said = self.notes_english if english else self.notes
        fired: list[str] = []
        products = [p for p in products if p]
        deposit_ok = bool(products) and all(self.patterns.deposit_only(normalise(p)) for p in products)
        sentences = split_sentences(answer or "")
        flags = self.violating(sentences, deposit_ok=deposit_ok, semantic=not reviewed)
        text = advice = _without(sentences, flags)
        if any(flags):
            fired.append(PROMISE)
        notes = [said["promise"]] if any(flags) else []
        if not deposit_ok and self._states_product_terms(text, named=bool(products)):
            fired.append(PRODUCT_TERMS)
            notes.append(said["product_terms"])
        line = self._suitability_line(text, client_risk, product_risk, products, said["suitability"])
        if line:
            fired.append(SUITABILITY)
            if not any(mark in text for mark in SUITABILITY_ANSWER):  # the suitability answer says it already
                notes.append(line)
        for note in notes:
            if note not in text:
                text = f"{text}\n\n{note}" if text else note
        return GuardResult(text=text, fired=tuple(fired), advice=advice)

    def _states_product_terms(self, text: str, *, named: bool) -> bool:
        for sentence in split_sentences(text):
            norm = normalise(sentence)
            if self.patterns.deposit_only(norm):
                continue
            if self.figure_re.search(norm) and (named or self.product_re.search(norm)):
                return True
            if self.principal_re.search(norm) and not self.patterns.is_warning(norm) \
                    and (named or self.named_re.search(norm)):
                return True
        return False

    def _suitability_line(self, text: str, client_risk: str | None, product_risk: str | None,
                          products: Sequence[str], note: str) -> str | None:
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
        return note.format(client=f"C{c_level}", products="、".join(riskier), product=levels)

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
