"""Text from people made safe to keep and show: numbers in plain ASCII digits only, and
one-line fields without the invisible characters that can reorder or hide text.

``str.isdigit()`` accepts "²" and Arabic-Indic digits, which ``int()`` then refuses or
reads unexpectedly; a right-to-left override (U+202E) in a name can make an officer's
card read differently from what was typed."""
from __future__ import annotations

import re

# Bidi embeddings, overrides and isolates, the directional marks, and zero-width
# characters (space, non-joiner, joiner, word joiner, BOM), plus the Arabic letter mark.
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff\u061c]")
# Embeddings, overrides and isolates only: the characters that reorder text. Zero-width
# joiners stay in free text (emoji sequences and some scripts need them).
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_PLAIN_NUMBER = re.compile(r"[0-9]{1,9}")


def is_plain_number(text: str) -> bool:
    """One to nine ASCII digits: a number we can read, never a crash or an absurd size."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def clean_line(text: str) -> str:
    """A one-line field: invisible and direction characters out, whitespace collapsed."""
    return " ".join(INVISIBLE.sub("", text).split())


def without_direction_controls(text: str) -> str:
    """Free text (a description): the reordering controls out, everything else kept."""
    return DIRECTION_CONTROLS.sub("", text)
