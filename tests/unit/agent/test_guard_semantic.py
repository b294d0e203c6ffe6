"""The meaning check's gate and verdict, with a fake embedder (no model): only claims are read, and a claim
is removed only when the check learnt from the labelled sentences gives it `threshold` probability."""

from __future__ import annotations

import pytest
import yaml

from bot.agent.guardrails import DEFAULT_DIR, PROMISE, Guardrails


class KeywordEmbedder:
    """A text containing 稳 means what the violation statements mean; anything else, what the safe ones do.
    Records what it was asked to embed."""

    dimension = 2

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed_batch(self, texts, kind="passage"):  # noqa: ANN001, ANN201
        self.seen.extend(texts)
        return [[1.0, 0.0] if "稳" in t else [0.0, 1.0] for t in texts]


VIOLATIONS = ["收益稳。", "本金稳。"]
SAFE = ["收益一般。", "本金安。"]
# The request check's labelled messages, as few: what these tests count is what the answer check embeds.
REQUESTS = {"threshold": 0.5, "asks": ["帮我"], "requests": {"questionnaire": ["帮我填稳"]},
            "honest": ["帮我写诗"]}
LEARNT = len(VIOLATIONS) + len(SAFE) + 2  # warming up learns both checks


def _data() -> dict[str, dict]:
    data = {name: yaml.safe_load((DEFAULT_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
            for name in ("promises", "requests", "semantic")}
    data["semantic"].update(violations=VIOLATIONS, safe=SAFE)
    return {**data, "request_meaning": REQUESTS}


def _guardrails(data: dict[str, dict], embedder: KeywordEmbedder, **options: object) -> Guardrails:
    return Guardrails(data["promises"], data["requests"], data["semantic"], data["request_meaning"],
                      embedder=embedder, product_risk={}, **options)


def _guard(*, threshold: float = 0.5) -> Guardrails:
    """The shipped data with two labelled sentences per list, on the fake's two axes (violations on the
    first)."""
    data = _data()
    data["semantic"]["threshold"] = threshold
    return _guardrails(data, KeywordEmbedder())


@pytest.fixture
def guard() -> Guardrails:
    return _guard()


@pytest.mark.parametrize("sentence", [
    "这款理财的收益很稳。",          # return
    "本金放这里稳当。",              # principal
    "This fund is a steady earner.",  # English, a product
])
def test_claims_about_money_products_return_principal_or_risk_are_read(guard: Guardrails,
                                                                     sentence: str) -> None:
    assert guard.meaning.is_claim(sentence)


@pytest.mark.parametrize("sentence", [
    "明天下午三点见王总。",                      # nothing about money
    "这款理财不能说稳。",                        # a negation: left to the patterns
    "理财非存款，产品有风险，收益稳不稳要看市场。",  # a warning
    "这款产品风险等级R2，波动较小。",            # a disclosure: risk level, volatility
    "去年这只基金收益很稳。",                    # past performance, a fact
    "定期存款稳稳的。",                          # a deposit may be called safe
    "好。",
])
def test_warnings_disclosures_and_small_talk_are_not_read(guard: Guardrails, sentence: str) -> None:
    assert not guard.meaning.is_claim(sentence)


def test_only_claims_reach_the_model(guard: Guardrails) -> None:
    embedder = guard.meaning.embedder
    assert isinstance(embedder, KeywordEmbedder)
    guard.meaning.learned()
    embedder.seen.clear()  # what the check was learnt from
    result = guard.check_answer("明天见王总。这款理财收益稳。不能说稳赚。")
    assert PROMISE in result.fired and "收益稳" not in result.text
    assert "明天见王总。" in result.text and "不能说稳赚。" in result.text
    assert embedder.seen == ["这款理财收益稳。"]


def test_a_claim_read_as_honest_stays(guard: Guardrails) -> None:
    assert guard.check_answer("这款理财收益不错。").fired == ()


def test_the_threshold_decides() -> None:
    probability = _guard().meaning.scores(["这款理财收益稳。"])[0]
    assert 0.5 < probability < 1.0
    assert PROMISE in _guard(threshold=probability).check_answer("这款理财收益稳。").fired
    assert _guard(threshold=probability + 0.001).check_answer("这款理财收益稳。").fired == ()


def test_a_clause_that_only_reassures_is_dropped_before_reading(guard: Guardrails) -> None:
    """"别担心" negates the client's worry, not the claim after it: the claim is read on its own."""
    embedder = guard.meaning.embedder
    assert isinstance(embedder, KeywordEmbedder)
    assert guard.meaning.is_claim("您别担心，这款理财收益稳。")
    result = guard.check_answer("您别担心，这款理财收益稳。")
    assert PROMISE in result.fired
    assert "这款理财收益稳。" in embedder.seen and "您别担心,这款理财收益稳。" not in embedder.seen


@pytest.mark.parametrize("sentence", [
    "别担心这款理财收益稳不稳，要看市场。",   # the worry is the claim's own clause: a negation, not read
    "这款理财收益会不会稳，要看市场。",       # an A-not-A question
])
def test_negations_inside_the_claims_clause_still_keep_it_unread(guard: Guardrails, sentence: str) -> None:
    assert not guard.meaning.is_claim(sentence)


def test_of_a_warning_only_what_it_turns_to_is_read(guard: Guardrails) -> None:
    # The disclaimer does not cover the claim after "不过"; the claim alone is read, by meaning too.
    sentence = "理财非存款，产品有风险，不过这款您放心，收益很稳。"
    assert guard.meaning.claim_text(sentence) == "这款您放心,收益很稳。"
    assert guard.meaning.is_claim(sentence)
    assert not guard.meaning.is_claim("理财非存款，产品有风险，收益很稳的说法不对。")


def test_warming_up_learns_the_check_before_the_first_answer(guard: Guardrails) -> None:
    embedder = guard.meaning.embedder
    assert isinstance(embedder, KeywordEmbedder)
    guard.warm_up()
    assert len(embedder.seen) == LEARNT  # the labelled texts, embedded once
    guard.check_answer("这款理财收益稳。")
    assert embedder.seen[LEARNT:] == ["这款理财收益稳。"]
    Guardrails.load().warm_up()  # no model: nothing to learn, nothing raised


def test_the_labelled_vectors_are_kept_between_processes_for_the_same_model(tmp_path) -> None:
    data = _data()
    data["semantic"]["threshold"] = 0.5

    def process(embedder: KeywordEmbedder) -> Guardrails:
        guard = _guardrails(data, embedder, cache_dir=tmp_path / "guard")
        guard.warm_up()
        return guard

    first = KeywordEmbedder()
    process(first)
    assert len(first.seen) == 2 + LEARNT  # each check's probe of the model, then its labelled texts
    second = KeywordEmbedder()
    guard = process(second)
    assert len(second.seen) == 2  # the probes only: same model, same texts
    assert PROMISE in guard.check_answer("这款理财收益稳。").fired

    class OtherModel(KeywordEmbedder):
        def embed_batch(self, texts, kind="passage"):  # noqa: ANN001, ANN201
            return [[v * 0.5 for v in vector] for vector in super().embed_batch(texts, kind)]

    other = OtherModel()
    process(other)
    assert len(other.seen) == 2 + LEARNT  # another model: embedded again


def test_labelled_sentences_of_both_kinds_are_required_at_load() -> None:
    data = _data()
    data["semantic"]["safe"] = []
    with pytest.raises(ValueError, match="violations and safe"):
        _guardrails(data, KeywordEmbedder())
