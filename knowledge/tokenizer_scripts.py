"""Keep only the tokenizer pieces of the scripts advisers write in: Chinese, English and what goes with them.

multilingual-e5-small's tokenizer holds 250,002 pieces for a hundred languages. The tokenizers library
turns them into a byte trie that takes 290 MB in every process that embeds, the largest part of what the
bot holds. 106,000 of those pieces are Cyrillic, Arabic, Indic, Thai and other scripts that a Chinese
bank's advisers and training material do not use. Disabled, the tokenizer takes 172 MB.

A disabled piece keeps its id, so the model's embedding table is unchanged. Its text becomes a private-use
character and its id, which no text contains, with a score that never wins. So text written only in the
kept scripts gets exactly the token ids it got before (tests compare them), and its vectors are the
same. Text in a dropped script is read as unknown characters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Code point ranges [start, end) whose characters a kept piece may contain.
KEPT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0250),    # Latin, with accents (names, English, pinyin with tones)
    (0x0370, 0x0400),    # Greek (alpha, beta, sigma in finance)
    (0x1E00, 0x1F00),    # more accented Latin (Vietnamese, pinyin)
    (0x2000, 0x2C00),    # punctuation, currency, letter-like and number forms, arrows, symbols
    (0x2E80, 0xA000),    # CJK radicals, punctuation, kana, CJK letters, the unified ideographs
    (0x1100, 0x1200),    # Hangul jamo
    (0xAC00, 0xD7B0),    # Hangul syllables (Korean clients' names)
    (0xF900, 0xFB00),    # CJK compatibility ideographs
    (0xFE30, 0xFE50),    # CJK compatibility forms
    (0xFF00, 0xFFF0),    # full-width forms
    (0x1F000, 0x1FB00),  # emoji and pictographs, as advisers type them in a chat
    (0x20000, 0x30000),  # rare CJK ideographs
)
# The scores of the pieces a Viterbi segmentation sums are log probabilities around -5 to -20.
_NEVER = -1000.0
_DISABLED = "\ue000"  # private use: in no text


def _kept(piece: str) -> bool:
    return all(any(start <= ord(char) < end for start, end in KEPT_RANGES) for char in piece)


def keep_product_scripts(tokenizer: dict[str, Any]) -> int:
    """Disable, in a parsed tokenizer.json of a Unigram model, every piece with a character outside the
    kept ranges (special tokens stay). Returns how many pieces are kept."""
    model = tokenizer["model"]
    if model.get("type") != "Unigram":
        raise ValueError(f"expected a Unigram tokenizer, got {model.get('type')}")
    special = {token["content"] for token in tokenizer.get("added_tokens", [])}
    kept = 0
    for number, (piece, _score) in enumerate(model["vocab"]):
        if piece in special or _kept(piece):
            kept += 1
        else:
            model["vocab"][number] = [f"{_DISABLED}{number}", _NEVER]
    return kept


def keep_product_scripts_in(path: Path) -> tuple[int, int]:
    """`keep_product_scripts` on a tokenizer.json file, rewritten in place; (pieces kept, pieces)."""
    parsed = json.loads(path.read_text(encoding="utf-8"))
    kept = keep_product_scripts(parsed)
    path.write_text(json.dumps(parsed, ensure_ascii=False), encoding="utf-8")
    return kept, len(parsed["model"]["vocab"])
