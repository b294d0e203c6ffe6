"""Keep only the tokenizer pieces of the scripts advisers write in: Chinese, English and what goes with them.

multilingual-e5-small's tokenizer holds 250,002 pieces for a hundred languages. The tokenizers library
turns them into a byte trie that takes about 300 MB in every process that embeds, the largest part of
what the bot holds. 104,000 of those pieces are Cyrillic, Arabic, Indic, Thai and other scripts that a
Chinese bank's advisers and training material do not use. Disabled, the tokenizer takes 116 MB less.

A disabled piece keeps its id, so the model's embedding table is unchanged. Its text becomes a private-use
character and its id, which no text contains. So text with no character of a dropped script gets exactly
the token ids it got before (tests compare them), and its vectors are the same. Text in a dropped script
is read as unknown characters: dense search and the router do not understand it (BM25 still matches its
words).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Code point ranges [start, end) of the scripts dropped: a piece with any character in them is disabled.
# Listed by what is dropped, so anything else (Latin, Greek, CJK, kana, Hangul, zhuyin, symbols, emoji with
# their variation selectors and joiners, combining marks) keeps its pieces.
DROPPED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0400, 0x1100),  # Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, the Indic scripts, Sinhala, Thai,
                       # Lao, Tibetan, Myanmar, Georgian
    (0x1200, 0x1A00),  # Ethiopic, Cherokee, Canadian syllabics, Ogham, Runic, Philippine scripts, Khmer,
                       # Mongolian, Limbu, Tai Le, Buginese
    (0x1C80, 0x1CC0),  # Cyrillic extended C, Georgian extended
    (0x2D00, 0x2D30),  # Georgian supplement
    (0x2D80, 0x2E00),  # Ethiopic extended, Cyrillic extended A
    (0xA640, 0xA6A0),  # Cyrillic extended B
    (0xFB13, 0xFE00),  # Armenian and Hebrew ligatures, Arabic presentation forms A
    (0xFE70, 0xFF00),  # Arabic presentation forms B
)
_DISABLED = "\ue000"  # private use: in no text


def _kept(piece: str) -> bool:
    return not any(start <= ord(char) < end for char in piece for start, end in DROPPED_RANGES)


def keep_product_scripts(tokenizer: dict[str, Any]) -> int:
    """Disable, in a parsed tokenizer.json of a Unigram model, every piece with a character of a dropped
    script (special tokens stay). Returns how many pieces are kept.

    A disabled piece gets the vocabulary's lowest score, not a lower one: the library scores an unknown
    character below the lowest score, so a new lowest would change how some kept text is segmented."""
    model = tokenizer["model"]
    if model.get("type") != "Unigram":
        raise ValueError(f"expected a Unigram tokenizer, got {model.get('type')}")
    special = {token["content"] for token in tokenizer.get("added_tokens", [])}
    lowest = min(score for _piece, score in model["vocab"])
    kept = 0
    for number, (piece, _score) in enumerate(model["vocab"]):
        if piece in special or _kept(piece):
            kept += 1
        else:
            model["vocab"][number] = [f"{_DISABLED}{number}", lowest]
    return kept


def keep_product_scripts_in(path: Path) -> tuple[int, int]:
    """`keep_product_scripts` on a tokenizer.json file, rewritten in place; (pieces kept, pieces)."""
    parsed = json.loads(path.read_text(encoding="utf-8"))
    kept = keep_product_scripts(parsed)
    path.write_text(json.dumps(parsed, ensure_ascii=False), encoding="utf-8")
    return kept, len(parsed["model"]["vocab"])
