"""retrieve: what a routed message needs before anyone writes the answer: the slots of the question,
the talk tracks' citations, course passages above the relevance threshold, the client's record.
"""

from __future__ import annotations

from bot.agent.composer import Context, Request
from bot.agent.playbooks import ClientType, Industry, Playbooks
from bot.agent.route_thresholds import MATCH_MARGIN, NAMED_TYPE_MARGIN
from bot.agent.router import Router
from bot.agent.slots import read_slots
from bot.agent.sources import CitationResolver
from bot.agent.suitability import KNOWLEDGE_QUERY
from bot.agent.tools import AgentTools, ProfileResult
from bot.agent.wording import wording_for

# Kinds answered from the course passages themselves (talk tracks carry their own citations).
SEARCHED = {"knowledge": None, "suitability": KNOWLEDGE_QUERY}
# Kinds that speak of a kind of client, whose questions and slots an answer uses.
TYPED = ("first_meeting", "objection", "prep", "compliance")
# The newest notes a life event is read from: an illness or a birth told two years ago is not today's news.
RECENT_NOTES = 3
# Kinds that read the named client's record.
WITH_RECORD = ("prep", "tracker", "suitability")


class Retriever:
    def __init__(self, tools: AgentTools, playbooks: Playbooks, router: Router,
                 citations: CitationResolver) -> None:
        self.tools = tools
        self.playbooks = playbooks
        self.router = router
        self.citations = citations

    def retrieve(self, request: Request) -> Context:
        route = request.route
        profile = None
        if route.kind in WITH_RECORD and route.client and request.client_data:
            profile = self.tools.client_profile(request.adviser_id, route.client)
        notes = self._notes(profile)
        client_type = self._client_type(request, notes)
        industry = self._industry(request, notes)
        # An English answer names the kind of client and the line of business in English (a line of business
        # without its English version goes unnamed rather than mix languages).
        named_type = wording_for(request.english).of(client_type) if client_type else None
        named_industry = (industry.english if request.english else industry) if industry else None
        industry_named = named_industry.name if named_industry else None
        context = Context(slots=read_slots(request.text, client=route.client,
                                           client_type=named_type.name if named_type else None,
                                           industry=industry_named, english=request.english),
                          profile=profile, client_type=client_type, industry=industry,
                          product_note=self.playbooks.product_note_in(request.text),
                          circumstances=self.playbooks.circumstances_in([request.text,
                                                                         *notes[:RECENT_NOTES]]))
        context.cited = self.citations.sources([c for e in route.talk_tracks for c in e.citations])
        if route.kind in SEARCHED:
            query = SEARCHED[route.kind] or request.text
            try:
                context.passages = self.tools.search_knowledge(query, 5).hits
            except Exception:  # no knowledge base yet (not ingested): the answer says "not covered"
                context.passages = []
        return context

    @staticmethod
    def _notes(profile: ProfileResult | None) -> list[str]:
        """The named client's notes, newest first (none without a record)."""
        if profile is None or profile.profile is None:
            return []
        return [n.note.raw_text for n in profile.profile.notes]

    def _industry(self, request: Request, notes: list[str]) -> Industry | None:
        """The client's line of business: named in the question, else in their notes (newest first)."""
        named = (self.playbooks.industry_in(text) for text in [request.text, *notes])
        return next((industry for industry in named if industry is not None), None)

    def _client_type(self, request: Request, notes: list[str]) -> ClientType | None:
        route = request.route
        named = next((e for e in route.entries if isinstance(e, ClientType)), None)
        if named is not None:  # the client type routed to, or the one a meeting plan came with
            return named
        if route.kind not in TYPED:
            return None
        texts = [request.text]
        if route.kind == "prep":
            # What the notes say about them tells the kind of client (one note usually says who they are).
            texts = [*reversed(notes[:5]), *texts]
        margin = MATCH_MARGIN if route.kind in ("first_meeting", "prep") else NAMED_TYPE_MARGIN
        if len(texts) > 1:
            self.router.prime(texts)
        entry = next((e for e in (self.router.match(t, ("client_type",), margin=margin) for t in texts)
                      if isinstance(e, ClientType)), None)
        if route.kind in ("first_meeting", "prep") and not isinstance(entry, ClientType):
            entry = self.playbooks.entry("general")  # a first meeting always brings questions to ask
        return entry if isinstance(entry, ClientType) else None
