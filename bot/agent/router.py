"""route: what an adviser's message needs, by meaning (the nearest labelled example phrasings) plus a
few hard signals (a clear visit report, a named client's call prep, a request for a violation).

A message that reads both as a visit report and as a question is not guessed: the route says
"confirm" and the channel asks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.agent.playbooks import Entry, Playbooks
from bot.tracker.parser import extract_client_name, is_visit_report, risk_level_in
from knowledge.phrases import Neighbour, Phrase, PhraseIndex

# Cosine similarity (multilingual-e5-small, query/query) above which the nearest phrasing decides the
# route; below it the message goes to the knowledge base, which says "not covered" when nothing is
# relevant. Calibrated on the dev split of bench/coach_own.json (bench/coach.py --calibrate).
ROUTE_THRESHOLD = 0.86
# A second talk track joins the answer (a pasted message with several concerns) above this.
SECOND_CONCERN_THRESHOLD = 0.88

INTENT_OF_KIND = {"objection": "objection", "client_type": "discovery", "first_meeting": "prep",
                  "compliance": "knowledge", "method": "knowledge", "log": "log", "tracker": "tracker",
                  "prep": "prep", "other": "other", "off_topic": "other", "knowledge": "knowledge",
                  "suitability": "knowledge", "refusal": "knowledge", "confirm": "log"}

GREETING_RE = re.compile(r"^(你好|您好|hi|hello|hey|嗨|在吗|在不在|谢谢|多谢|感谢|thanks|thank you|好的|ok|"
                         r"再见|help|/help|帮助|你是谁|你能做什么|怎么用|使用说明)[!！。.？?～~ ]*$", re.I)
QUESTION_RE = re.compile(r"[？?]|怎么|咋|如何|什么|啥|哪些|哪个|吗|呢|是否|能不能|可不可以|行不行|有没有|"
                         r"要不要|该不该|how|what|should|can i", re.I)
# A meeting still ahead with someone the adviser names: "明天见王总 帮我理一下".
PREP_RE = re.compile(r"(准备|prep\b|要见|去见|约了|约见|见面前|见之前|明天见|后天见|下周.?见|待会见|一会见|"
                     r"怎么聊|聊什么|谈什么|理一下|捋一下|过一下)", re.I)
# Visit-report verbs: what happened at a meeting or call that is over.
VISIT_RE = re.compile(r"(刚(刚)?(见|拜访|聊|谈|打|通|跟|和)|见完|聊完|谈完|拜访了|见了|聊了|谈了|喝完|吃完|"
                      r"打了.{0,2}电话|通了电话|签了|买了|打款|追加了|赎回了|约好|下次再|再约|met|visited|called)",
                      re.I)
PRODUCT_LEVEL_RE = re.compile(r"(?<![A-Za-z])R([1-5])(?![0-9])", re.I)


@dataclass(frozen=True)
class Route:
    kind: str  # a playbook kind, a routes.yaml name, or knowledge / suitability / refusal / confirm
    entries: tuple[Entry, ...] = ()  # matched talk tracks, best first (several: one per concern)
    client: str | None = None  # the client the message names, if any
    similarity: float = 0.0  # of the nearest phrasing, for the audit and the bench
    refusal: str | None = None  # the request guard's refusal, when the adviser asked for a violation

    @property
    def intent(self) -> str:
        return INTENT_OF_KIND[self.kind]

    @property
    def needs_confirmation(self) -> bool:
        return self.kind == "confirm"


def library_phrases(playbooks: Playbooks) -> list[Phrase]:
    """Every example phrasing of the library, labelled "<kind>:<entry id>" or "route:<name>"."""
    phrases = [Phrase(f"{e.kind}:{e.id}", text) for e in playbooks.entries for text in e.examples]
    phrases += [Phrase(f"route:{name}", text) for name, texts in playbooks.routes.items() for text in texts]
    return phrases


def clauses(text: str) -> list[str]:
    """A pasted message split into its concerns (sentences, and '还有/而且/另外' turns)."""
    parts = re.split(r"[。！？!?；;\n]+|(?:还有|而且|另外|再就是|and also)", text)
    return [p.strip(" ，,") for p in parts if len(p.strip(" ，,")) >= 4]


class Router:
    def __init__(self, playbooks: Playbooks, phrases: Callable[[], PhraseIndex],
                 check_request: Callable[[str], str | None], *, threshold: float = ROUTE_THRESHOLD,
                 second_concern: float = SECOND_CONCERN_THRESHOLD) -> None:
        """`threshold` and `second_concern` are on the embedder's cosine scale (the defaults: e5-small)."""
        self.playbooks = playbooks
        self.threshold = threshold
        self.second_concern = second_concern
        self._phrases = phrases  # opened on first use: notes and commands never load the model
        self._check_request = check_request

    def route(self, text: str, *, known_client: Callable[[str], bool] = lambda name: False,
              as_question: bool = False) -> Route:
        """`as_question`: the adviser said it is a question, so it is never taken for a visit note."""
        text = text.strip()
        if not text or GREETING_RE.match(text):
            return Route("other")
        client = self.client_named(text)
        asks = as_question or bool(QUESTION_RE.search(text))
        refusal = self._check_request(text)
        hard = self._hard_signal(text, client, asks, known_client)
        if hard is not None and refusal is None and not (as_question and hard.kind in ("log", "confirm")):
            return hard
        neighbours = [n for n in self._nearest(text) if not (as_question and n.label == "route:log")]
        best = neighbours[0] if neighbours else None
        similarity = best.similarity if best else 0.0
        if refusal is not None:
            rule = self._best_entry(neighbours, kinds=("compliance",), floor=self.threshold)
            return Route("refusal", (rule,) if rule else (), client, similarity, refusal)
        if best is None or similarity < self.threshold:
            return Route("knowledge", client=client, similarity=similarity)
        kind, _, name = best.label.partition(":")
        if kind == "route":
            return self._named_route(name, client, asks, similarity, neighbours, known_client)
        entries = self._entries_for(kind, text, neighbours)
        return Route(kind, entries, client, best.similarity)

    @staticmethod
    def client_named(text: str) -> str | None:
        """The client a message names (王总, 李阿姨 ...): the tracker parser's reading, the one source."""
        return extract_client_name(text)

    # -- hard signals --------------------------------------------------------------------------

    def _hard_signal(self, text: str, client: str | None, asks: bool,
                     known_client: Callable[[str], bool]) -> Route | None:
        if self._suitability_levels(text):
            return Route("suitability", client=client)
        if client and PREP_RE.search(text) and not VISIT_RE.search(text) and known_client(client):
            return Route("prep", client=client)
        if VISIT_RE.search(text) and (client or re.search(r"[他她]|客户", text)):
            if asks:
                return Route("confirm", client=client)  # a report and a question: ask which
            if is_visit_report(text):
                return Route("log", client=client)
        if client and not asks and is_visit_report(text):
            return Route("log", client=client)
        return None

    def _suitability_levels(self, text: str) -> bool:
        """Both a client level (C1-C5, 保守型 ...) and a product level (R1-R5 or a known product type)."""
        if risk_level_in(text) is None:
            return False
        return bool(PRODUCT_LEVEL_RE.search(text)) or any(p in text for p in self.playbooks.product_risk)

    # -- meaning -------------------------------------------------------------------------------

    def _nearest(self, text: str) -> list[Neighbour]:
        index = self._phrases()
        return index.nearest(index.embed(text), k=12)

    def _named_route(self, name: str, client: str | None, asks: bool, similarity: float,
                     neighbours: Sequence[Neighbour], known_client: Callable[[str], bool]) -> Route:
        if name == "log":
            # Reads like a visit report but no hard signal says so (no client, or a question in it): ask.
            return Route("confirm" if asks or not client else "log", client=client, similarity=similarity)
        if name == "prep" and not (client and known_client(client)):
            # No history to prepare from: a first meeting, by the kind of client or occasion.
            first = self._best_entry(neighbours, kinds=("first_meeting", "client_type"))
            return Route(first.kind if first else "knowledge", (first,) if first else (), None, similarity)
        return Route(name, client=client, similarity=similarity)

    def _best_entry(self, neighbours: Sequence[Neighbour], *, kinds: Sequence[str],
                    floor: float = 0.0) -> Entry | None:
        for n in neighbours:
            kind, _, entry_id = n.label.partition(":")
            if kind in kinds and n.similarity >= floor:
                return self.playbooks.entry(entry_id)
        return None

    def _entries_for(self, kind: str, text: str, neighbours: Sequence[Neighbour]) -> tuple[Entry, ...]:
        best = self._best_entry(neighbours, kinds=(kind,))
        found = [best] if best else []
        if kind == "objection":
            # A pasted client message can carry several concerns: each clause gets its own talk track.
            parts = clauses(text)
            if len(parts) >= 2:
                index = self._phrases()
                for part in parts:
                    near = index.nearest(index.embed(part), k=4)
                    entry = self._best_entry(near, kinds=("objection",), floor=self.second_concern)
                    if entry is not None and entry not in found:
                        found.append(entry)
        return tuple(found[:3])

    def match(self, text: str, kinds: Sequence[str]) -> Entry | None:
        """The library entry of one of `kinds` nearest to `text`, if it is near enough to mean it."""
        return self._best_entry(self._nearest(text), kinds=kinds, floor=self.threshold)
