"""Disabling the tokenizer pieces of scripts advisers do not write in leaves every other text's tokens as they
were."""

from __future__ import annotations

import json

import pytest
from tokenizers import Tokenizer
from tokenizers.models import Unigram

from knowledge.tokenizer_scripts import keep_product_scripts

PIECES = [("<unk>", 0.0), ("客户", -2.0), ("客", -4.0), ("户", -4.0), ("при", -3.0), ("вет", -3.0),
          ("п", -6.0), ("fund", -3.0), ("f", -6.0), ("u", -6.0), ("n", -6.0), ("d", -6.0), ("β", -5.0),
          ("👍", -5.0), ("客户при", -1.0)]


def _tokenizer() -> dict:
    parsed = json.loads(Tokenizer(Unigram(PIECES, unk_id=0)).to_str())
    parsed["added_tokens"] = [{"id": 0, "content": "<unk>", "single_word": False, "lstrip": False,
                               "rstrip": False, "normalized": False, "special": True}]
    return parsed


def test_kept_text_tokenizes_as_before_and_dropped_scripts_become_unknown() -> None:
    original = _tokenizer()
    trimmed = _tokenizer()
    assert keep_product_scripts(trimmed) == len(PIECES) - 4  # при, вет, п and the mixed piece
    before, after = Tokenizer.from_str(json.dumps(original)), Tokenizer.from_str(json.dumps(trimmed))
    for text in ("客户", "fund", "β👍客户", "客fund户"):
        assert after.encode(text).ids == before.encode(text).ids
    assert before.encode("при").ids == [4]
    assert after.encode("при").ids == [0]  # unknown
    assert len(trimmed["model"]["vocab"]) == len(PIECES)  # ids unchanged: the embedding table still fits
    # No new lowest score: an unknown character is scored below the lowest, and must stay where it was.
    assert min(score for _, score in trimmed["model"]["vocab"]) == min(score for _, score in PIECES)


def test_only_a_unigram_tokenizer_is_trimmed() -> None:
    with pytest.raises(ValueError, match="Unigram"):
        keep_product_scripts({"model": {"type": "BPE", "vocab": {}}})
