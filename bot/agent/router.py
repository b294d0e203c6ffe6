"""route: what an adviser's message needs, by meaning (the nearest labelled example phrasings) plus a
few hard signals (bot/agent/hard_signals.py: a clear visit report, a meeting ahead, a product against a
client's level) and the request guard (a request for a violation).

A message that reads both as a visit report and as a question is not guessed: the route says
"confirm" and the channel asks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.agent.cue_order import CUE_MARGIN, LEAVE_MARGIN, prefer_cued
from bot.agent.cues import (
    CLIENT_SAYS_RE,
    DISCOVERY_RE,
    FOR_ONESELF_RE,
    GREETING_RE,
    MEETING_AHEAD_RE,
    MEETING_RE,
    PREP_ASK_RE,
    QUESTION_RE,
    asks_permission,
    clauses,
    meeting_with,
)
from bot.agent.dialect import standard_wording
from bot.agent.guard_patterns import Refusal
from bot.agent.hard_signals import read_signal
from bot.agent.meaning_refusals import forbidding, library_allows
from bot.agent.phrase_match import PhraseMatcher
from bot.agent.playbooks import Entry, Playbooks
from bot.agent.route import Route
from bot.agent.route_thresholds import (
    ALTERNATIVE_MARGIN,
    COMPANION_MARGIN,
    MATCH_MARGIN,
    OCCASION_FLOOR,
    OCCASION_MARGIN,
    PLAN_OVER_OFF_TOPIC,
    ROUTE_THRESHOLD,
    SECOND_CONCERN_THRESHOLD,
)
from bot.tracker.parser import extract_client_name
from knowledge.phrases import Neighbour


def _similarity(neighbours: Sequence[Neighbour], entry: Entry) -> float:
    """How near the message is to an entry: its nearest example phrasing."""
    return max(n.similarity for n in neighbours if n.label == f"{entry.kind}:{entry.id}")


class Router:
    def __init__(self, playbooks: Playbooks, matcher: PhraseMatcher,
                 check_request: Callable[[str], Refusal | None], *, threshold: float = ROUTE_THRESHOLD,
                 second_concern: float = SECOND_CONCERN_THRESHOLD) -> None:
        """`threshold` and `second_concern` are on the matcher's scale (the defaults: e5-small + BM25)."""
        self.playbooks = playbooks
        self.threshold = threshold
        self.second_concern = second_concern
        self.matcher = matcher  # its model loads on first use: notes and commands never load it
        self._check_request = check_request

    def route(self, text: str, *, known_client: Callable[[str], bool] = lambda name: False,
              as_question: bool = False) -> Route:
        """`as_question`: the adviser said it is a question, so it is never taken for a visit note."""
        text = standard_wording(text.strip())  # "聊撒", "咋个回他": the cues read standard Mandarin
        if not text or GREETING_RE.match(text):
            return Route("other")
        client = self.client_named(text)
        asks = as_question or bool(QUESTION_RE.search(text))
        asks_leave = asks_permission(text)
        refusal = self._check_request(text)
        hard = self._hard_signal(text, client, asks, asks_leave, known_client)
        if hard is not None and refusal is not None and refusal.by_meaning:
            refusal = None  # a visit told, a meeting ahead, a level named: surer than a guess by meaning
        if hard is not None and not (as_question and hard.kind in ("log", "confirm")):
            if refusal is None:
                return hard
            if hard.kind in ("log", "confirm"):
                # "刚见完李姐 她儿子想替她签字 我拒绝了": a visit that mentions a violation is a note to keep,
                # or a request to refuse; asked, never lost, never logged unasked.
                return Route("confirm", client=client)
        neighbours = prefer_cued([n for n in self._nearest(text)
                                  if not (as_question and n.label == "route:log")], text, asks_leave)
        best = neighbours[0] if neighbours else None
        similarity = best.similarity if best else 0.0
        if refusal is not None and refusal.by_meaning and library_allows(neighbours, self.playbooks,
                                                                         floor=self.threshold):
            refusal = None
        if refusal is not None:
            off_topic = next((n.similarity for n in neighbours if n.label == "route:off_topic"), None)
            if refusal.outside_the_job and (FOR_ONESELF_RE.search(text) or off_topic is not None
                                            and similarity - off_topic < CUE_MARGIN):
                # Asked of the assistant itself ("哪只股票明天涨停", "茅台能抄底吗 我自己想买点"), even when a
                # concern reads a little nearer ("should I buy X stock now"): not in the material; refused.
                return Route("off_topic", client=client, similarity=similarity, refusal=refusal)
            return Route("refusal", self._explaining(refusal, neighbours), client, similarity, refusal)
        if best is None or similarity < self.threshold:
            return Route("knowledge", client=client, similarity=similarity)
        kind, _, name = best.label.partition(":")
        if kind == "route":
            unsure = asks or bool(CLIENT_SAYS_RE.search(text))  # a question, or a client's words
            return self._named_route(name, text, client, unsure, similarity, neighbours, known_client)
        if kind == "first_meeting" and client and known_client(client):
            return self._call_prep(text, client)  # not a first: the tracker knows them
        return self._talk_tracks(kind, text, client, similarity, neighbours)

    @staticmethod
    def client_named(text: str) -> str | None:
        """The client a message names (王总, 李阿姨 ...): the tracker parser's reading, the one source."""
        return extract_client_name(text)

    # -- hard signals --------------------------------------------------------------------------

    def _hard_signal(self, text: str, client: str | None, asks: bool, asks_leave: bool,
                     known_client: Callable[[str], bool]) -> Route | None:
        signal = read_signal(text, client, asks=asks, asks_leave=asks_leave,
                             product_risk=self.playbooks.product_risk, known_client=known_client)
        if signal is None or signal.kind != "meeting_ahead":
            return Route(signal.kind, client=client) if signal else None
        if signal.answers_quote:
            concern = self._quoted_concern(text, client)
            if concern is not None:
                return concern
        if client and known_client(client):
            return self._call_prep(text, client)
        return self._first_meeting(text, client)  # a meeting to come, nothing known: never a note

    def _quoted_concern(self, text: str, client: str | None) -> Route | None:
        """"约了刘姐周五来网点 她一直说买保险不吉利 怎么整": the meeting ahead is the occasion, the client's
        words are what to answer, when an objection is nearer than any meeting plan or kind of client."""
        neighbours = self._nearest(text)
        objection = self._best_entry(neighbours, kinds=("objection",), floor=self.threshold)
        plan = self._best_entry(neighbours, kinds=("first_meeting", "client_type"))
        if objection is None:
            return None
        similarity = _similarity(neighbours, objection)
        if plan is not None and _similarity(neighbours, plan) >= similarity:
            return None
        return self._talk_tracks("objection", text, client, similarity, neighbours)

    def _first_meeting(self, text: str, client: str | None) -> Route | None:
        """A meeting ahead with no history to prepare from: the nearest first-meeting plan (or client
        type); None when neither is near enough (meaning then decides among everything)."""
        neighbours = self._nearest(text)
        entry = self._best_entry(neighbours, kinds=("first_meeting", "client_type"), floor=self.threshold)
        if entry is None:
            return None
        lead = neighbours[0].similarity - _similarity(neighbours, entry)  # of the nearest label over the plan
        if neighbours[0].label == "route:off_topic" \
                and (not PREP_ASK_RE.search(text) or lead > PLAN_OVER_OFF_TOPIC):
            return None  # "约了客户打球 周末会下雨吗": the weather is asked, not the meeting
        if neighbours[0].label.startswith("objection:") and (
                not MEETING_AHEAD_RE.search(text) and lead > CUE_MARGIN
                or CLIENT_SAYS_RE.search(text) and lead > LEAVE_MARGIN):
            # "客户要装修 不想理财 怎么聊", "约见面 客户回：见面就是推销 不见": a concern to answer more than
            # a meeting to plan
            return None
        # Asking what to ask prefers the client type's questions; otherwise the occasion's plan leads and
        # the kind of client brings its questions (below), each over the other within CUE_MARGIN.
        preferred = "client_type" if DISCOVERY_RE.search(text) else "first_meeting"
        if entry.kind != preferred:
            other = self._best_entry(neighbours, kinds=(preferred,), floor=self.threshold)
            if other is not None \
                    and _similarity(neighbours, entry) - _similarity(neighbours, other) < CUE_MARGIN:
                entry = other
        entries = (entry, *self._companions(entry, text, neighbours))
        return Route(entry.kind, entries, client, neighbours[0].similarity)

    def _companions(self, plan: Entry, text: str, neighbours: Sequence[Neighbour]) -> tuple[Entry, ...]:
        """What else a meeting plan is about: the kind of client it is with, and a second occasion
        ("陪行长去见个民营医院老板": the hospital owner's plan, and what going with the branch head takes).
        Whom the meeting is with is matched on its own ("上市公司董秘"), the occasion on the rest of the
        message; without such a phrase, labels within COMPANION_MARGIN of the plan join it."""
        if plan.kind != "first_meeting":
            return ()
        who = meeting_with(text)
        if who and not self.client_named(who):
            rest = text.replace(who, " ")
            self.matcher.prime([who, rest])  # one forward pass for both readings
            found = [self.match(who, ("client_type",)), self.match(rest, ("first_meeting",))]
        else:
            floor = max(self.threshold, _similarity(neighbours, plan) - COMPANION_MARGIN)
            others = [n for n in neighbours if n.label != f"{plan.kind}:{plan.id}"]
            found = [self._best_entry(others, kinds=(kind,), floor=floor)
                     for kind in ("client_type", "first_meeting")]
        return tuple(e for e in found if e is not None and e != plan)

    # -- meaning -------------------------------------------------------------------------------

    def _nearest(self, text: str) -> list[Neighbour]:
        return self.matcher.rank(text)

    def _named_route(self, name: str, text: str, client: str | None, unsure: bool, similarity: float,
                     neighbours: Sequence[Neighbour], known_client: Callable[[str], bool]) -> Route:
        if name == "log":
            if not client and QUESTION_RE.search(text) and not MEETING_RE.search(text):
                # "他又说再想想 第三回了 还跟不跟": no visit told, nobody named to keep a note about, and a
                # question asked.
                meant = next((n for n in neighbours if not n.label.startswith("route:")), None)
                if meant is not None and meant.similarity >= self.threshold:
                    kind = meant.label.partition(":")[0]
                    return self._talk_tracks(kind, text, client, meant.similarity, neighbours)
            # Reads like a visit report but no hard signal says so (no client, a question in it, or only
            # what the client said, which may be a concern to coach): ask.
            return Route("confirm" if unsure or not client else "log", client=client, similarity=similarity)
        if name == "prep" and not (client and known_client(client)):
            # No history to prepare from: a first meeting, by the kind of client or occasion.
            first = self._best_entry(neighbours, kinds=("first_meeting", "client_type"))
            return Route(first.kind if first else "knowledge", (first,) if first else (), None, similarity)
        if name == "prep" and client:
            return self._call_prep(text, client)
        return Route(name, client=client, similarity=similarity)

    def _call_prep(self, text: str, client: str) -> Route:
        """A call or meeting with a client the tracker knows, with the occasion's plan when the message
        clearly names one ("王总生日 打个电话说啥", "约了刘姐 她那笔定期到期了"). The name is left out of
        the reading: "王总" alone resembles the plans for meeting bosses."""
        occasion = self.match(text.replace(client, " "), ("first_meeting",), margin=OCCASION_MARGIN,
                              floor=OCCASION_FLOOR)
        return Route("prep", (occasion,) if occasion else (), client)

    def _explaining(self, refusal: Refusal, neighbours: Sequence[Neighbour]) -> tuple[Entry, ...]:
        """The library rule a refusal is explained with: the nearest of those its request rule names (the
        request rule knows which violation was asked for; meaning only picks among its rules), else (none
        named, or none left in an edited library) the nearest compliance rule. A refusal read by meaning
        only knows that a violation was asked for: the nearest rule that forbids something explains it."""
        if refusal.by_meaning:
            nearest = self._best_entry(forbidding(neighbours, self.playbooks), kinds=("compliance",),
                                       floor=self.threshold)
            if nearest is not None:
                return (nearest,)
        named = [e for e in map(self.playbooks.entry, refusal.library) if e is not None]
        labels = {f"{e.kind}:{e.id}" for e in named}
        if not named:
            rule = self._best_entry(neighbours, kinds=("compliance",), floor=self.threshold)
            return (rule,) if rule else ()
        return (self._best_entry([n for n in neighbours if n.label in labels], kinds=("compliance",))
                or named[0],)

    def _best_entry(self, neighbours: Sequence[Neighbour], *, kinds: Sequence[str],
                    floor: float = 0.0) -> Entry | None:
        for n in neighbours:
            kind, _, entry_id = n.label.partition(":")
            if kind in kinds and n.similarity >= floor:
                return self.playbooks.entry(entry_id)
        return None

    def _talk_tracks(self, kind: str, text: str, client: str | None, similarity: float,
                     neighbours: Sequence[Neighbour]) -> Route:
        entries = self._entries_for(kind, text, neighbours)
        return Route(kind, entries, client, similarity, alternative=self._alternative(entries, neighbours))

    def _entries_for(self, kind: str, text: str, neighbours: Sequence[Neighbour]) -> tuple[Entry, ...]:
        best = self._best_entry(neighbours, kinds=(kind,))
        found = [best] if best else []
        if kind == "objection":
            # A pasted client message can carry several concerns: each clause gets its own talk track.
            parts = clauses(text)
            if len(parts) >= 2:
                self.matcher.prime(parts)
                said: list[Entry] = []
                for part in parts:
                    entry = self._best_entry(self._nearest(part), kinds=("objection",),
                                             floor=self.second_concern)
                    if entry is not None and entry not in said:
                        said.append(entry)
                # Two or more concerns read clause by clause are the answer, in the client's order, when the
                # whole message's nearest is one of them (it is then only a blend of them). When it is none of
                # them, the clauses missed what the message means as a whole ("抖音上讲村镇银行爆雷 钞票都取
                # 不出来 你们银行会不会也这样"): it leads, the clauses' concerns follow.
                found = said if len(said) >= 2 and (not found or found[0] in said) \
                    else found + [e for e in said if e not in found]
        return tuple(found[:3])

    def _alternative(self, entries: tuple[Entry, ...], neighbours: Sequence[Neighbour]) -> Entry | None:
        """For a single objection or course method: the next of its kind within ALTERNATIVE_MARGIN of it."""
        if len(entries) != 1 or entries[0].kind not in ("objection", "method"):
            return None
        kind = entries[0].kind
        best = _similarity(neighbours, entries[0])
        runner_up = next((n for n in neighbours if n.label.startswith(kind + ":")
                          and n.label != f"{kind}:{entries[0].id}"), None)
        if runner_up is None or best - runner_up.similarity > ALTERNATIVE_MARGIN:
            return None
        return self.playbooks.entry(runner_up.label.partition(":")[2])

    def prime(self, texts: Sequence[str]) -> None:
        """Texts about to be matched (a client's notes), embedded together."""
        self.matcher.prime(texts)

    def match(self, text: str, kinds: Sequence[str], *, margin: float = MATCH_MARGIN,
              floor: float | None = None) -> Entry | None:
        """The library entry of one of `kinds` that `text` speaks of: near enough (`floor`, by default the
        route threshold), and `margin` nearer than the next of those kinds (a slot such as the client type
        must be named, not merely resembled)."""
        ranked = [n for n in self._nearest(text) if n.label.partition(":")[0] in kinds]
        if not ranked or ranked[0].similarity < (self.threshold if floor is None else floor):
            return None
        if len(ranked) > 1 and ranked[0].similarity - ranked[1].similarity < margin:
            return None
        return self.playbooks.entry(ranked[0].label.partition(":")[2])
