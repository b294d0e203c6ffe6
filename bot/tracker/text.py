"""Text hygiene at the edge: what comes in (messages) and what goes out (terminal, CSV)."""

from __future__ import annotations

import re
import unicodedata

# ANSI/VT escape sequences (CSI ... final byte, OSC ... BEL/ST, and two-byte escapes) go whole:
# stripping only the ESC would leave "[31m" behind, which reads like an amount.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")
# C0 and C1 controls except tab and newline (\r goes too: a bare CR rewrites a terminal line)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# zero-width characters and tabs split words like spaces; HTML tags and Markdown marks carry no meaning
_INVISIBLE = re.compile(r"[\t\u200b-\u200f\ufeff]")
_MARKUP = re.compile(r"<[^<>]{0,200}>|[*_`#>~]+")
MAX_SCAN_CHARS = 4000  # fields come from the head of a message; raw_text keeps everything
# cells Excel would read as a formula (OWASP CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and C0/C1 control characters, keeping newlines and tabs."""
    return _CONTROLS.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))


def csv_cell(value: object) -> str:
    """A CSV cell that Excel shows as text: a leading = + - @ (or tab/CR) gets a ' in front."""
    text = "" if value is None else str(value)
    text = strip_controls(text) if isinstance(value, str) else text
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def normalize_message(text: str) -> str:
    """The text the parser reads: the head of the message, NFKC-folded (full-width digits, letters and
    punctuation), escapes and controls removed, zero-width characters and markup turned into spaces."""
    text = unicodedata.normalize("NFKC", strip_controls(text[:MAX_SCAN_CHARS]))
    return _MARKUP.sub(" ", _INVISIBLE.sub(" ", text))
