"""Which labelled example phrasings a message is nearest to, by meaning and by words together.

The embedding model (e5-small) groups messages by topic and sentence shape; BM25 over the same
phrasings catches the words that name the situation (老公, 商量, 手续费); a classifier trained on all
the phrasings of every label (knowledge/phrase_classifier.py) reads which situation is meant rather
than which phrasing is nearest. Each label (a library entry or a route) scores its best dense cosine,
plus a weighted share of the best BM25 score, plus a weighted share of the classifier's probability.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

from bot.agent.cues import without_ask
from bot.agent.playbooks import Playbooks
from knowledge.glossary import expand_query
from knowledge.lexical import BM25Index, tokenize
from knowledge.phrases import Neighbour, Phrase, PhraseIndex

# Weight of the normalised BM25 score next to the cosine (e5-small cosines of in-domain paraphrases
# sit within ~0.05 of each other). Chosen on the dev split of bench/coach_own.json.
LEXICAL_WEIGHT = 0.04
# Weight of the classifier's probability: enough to reorder labels within the ~0.05 band where the
# cosines of in-domain messages sit, while the cosine keeps deciding whether anything is near at all
# (the route threshold). Chosen on the dev sets (bench/coach.py).
CLASSIFIER_WEIGHT = 0.1
DENSE_CANDIDATES = 40
# A label the classifier gives at least this probability is ranked even when none of its phrasings is
# among the dense candidates or shares a word with the message.
CLASSIFIER_CANDIDATE = 0.01


def library_phrases(playbooks: Playbooks) -> list[Phrase]:
    """Every example phrasing of the library and each entry's title, labelled "<kind>:<entry id>", and the
    routes' phrasings, labelled "route:<name>"."""
    phrases = [Phrase(f"{e.kind}:{e.id}", without_ask(text)) for e in playbooks.entries
               for text in (*e.examples, e.title, *((e.english.title,) if e.english else ()))]
    phrases += [Phrase(f"route:{name}", without_ask(text)) for name, texts in playbooks.routes.items()
                for text in texts]
    return phrases


class PhraseMatcher:
    def __init__(self, phrases: Sequence[Phrase], index: Callable[[], PhraseIndex], *,
                 lexical_weight: float = LEXICAL_WEIGHT,
                 classifier_weight: float = CLASSIFIER_WEIGHT) -> None:
        self._phrases = list(phrases)
        self._index = index  # opened on first use (loads the model)
        self._lexical_weight = lexical_weight
        self.classifier_weight = classifier_weight  # 0 turns the classifier off
        self._bm25: BM25Index | None = None
        self._lock = threading.Lock()
        # One answer ranks the same text several times (route, client type, first-meeting plan).
        self._ranked = lru_cache(maxsize=256)(self._rank)

    def _lexical(self) -> BM25Index:
        with self._lock:
            if self._bm25 is None:
                self._bm25 = BM25Index(tokenize(p.text) for p in self._phrases)
            return self._bm25

    def prime(self, texts: Sequence[str]) -> None:
        """Embed texts about to be ranked in one model call: one forward pass for a message's clauses or
        a client's notes instead of one each (the embedder caches them)."""
        if texts:
            self._index().embed_many([expand_query(without_ask(t)) for t in texts])

    def rank(self, text: str) -> list[Neighbour]:
        """Labels best first; `similarity` is the fused score, on the cosine scale. English words of the
        trade count with their Chinese terms (knowledge/glossary.yaml): most phrasings are Chinese."""
        return list(self._ranked(expand_query(without_ask(text))))

    def _rank(self, text: str) -> tuple[Neighbour, ...]:
        index = self._index()
        vector = index.embed(text)
        dense: dict[str, float] = {}
        nearest_text: dict[str, str] = {}
        for n in index.nearest(vector, k=DENSE_CANDIDATES):  # best first
            dense.setdefault(n.label, n.similarity)
            nearest_text.setdefault(n.label, n.text)
        if not dense:
            return ()
        floor = min(dense.values())  # a label outside the dense candidates is at most this near
        lexical: dict[str, float] = {}
        for phrase, score in zip(self._phrases, self._lexical().scores(tokenize(text)), strict=True):
            if score > 0:
                lexical[phrase.label] = max(lexical.get(phrase.label, 0.0), float(score))
        top = max(lexical.values(), default=0.0)
        probability = index.label_probabilities(vector) if self.classifier_weight else {}
        likely = {label for label, p in probability.items() if p >= CLASSIFIER_CANDIDATE}
        labels = set(dense) | set(lexical) | likely
        weight = self._lexical_weight / (top or 1.0)
        fused = {label: dense.get(label, floor) + weight * lexical.get(label, 0.0)
                 + self.classifier_weight * probability.get(label, 0.0) for label in labels}
        ranked = sorted(fused.items(), key=lambda kv: -kv[1])
        # A label's nearest phrasing among the dense candidates; "" when only its words or the classifier
        # brought it in (the router lets no cue lift such a label: nothing says it is near in meaning).
        return tuple(Neighbour(label, nearest_text.get(label, ""), score) for label, score in ranked)
