"""How a typed agency name or number is normalised and matched to the register.

Rules (kept here so the handbook can quote them):

* A name loses its invisible characters (zero-width, direction marks), is put through
  Unicode NFKC, case-folded, dotted initials joined ("P.T." -> "pt"),
  every punctuation mark turned into a space. Then the legal-form words are dropped, but
  only at either end: PT, Perseroan Terbatas, Persero, Tbk, CV, UD, Firma, Koperasi,
  Yayasan. The distinctive words (Indonesia, Mandiri, Jaya, Sentosa...) stay, and so does a
  legal-form word in the middle of a name.
* Two keys match when rapidfuzz's plain ``ratio`` is at least ``MATCH_THRESHOLD``: one
  wrong or missing letter in a name of three words still matches, an extra word does not
  ("maju jaya" is 69 against "maju jaya sentosa"), so "PT Maju Jaya" is never taken for
  "PT Maju Jaya Sentosa". Only an identical key is an answer; a near one is a question
  ("Maksud Anda…?"): with a register this small, a similar name is often a different firm.
* Digits (at least ``MIN_NUMBER_DIGITS``) are looked up as an NIB or a SIP3MI number first.
"""
from __future__ import annotations

import re
import unicodedata

from bot.engine.sanitize import INVISIBLE

MATCH_THRESHOLD = 90.0
MAX_SUGGESTIONS = 5
MIN_NUMBER_DIGITS = 6

# Multi-word forms first, so "perseroan terbatas" goes as one.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("perseroan", "terbatas"), ("pt",), ("persero",), ("tbk",), ("cv",), ("ud",), ("firma",),
    ("koperasi",), ("yayasan",),
)
NOT_A_PT = frozenset({"cv", "ud"})
_INITIALS = re.compile(r"\b(?:\w\.){2,}|\b(?:\w\.)+\w\b")
_PUNCTUATION = re.compile(r"[\W_]+")


def words_of(text: str) -> list[str]:
    """NFKC, case-folded, dotted initials joined, punctuation as spaces; the words."""
    # Zero-width and direction marks would split or disguise a word: gone first.
    folded = unicodedata.normalize("NFKC", INVISIBLE.sub("", text or "")).casefold()
    folded = _INITIALS.sub(lambda m: m.group().replace(".", ""), folded)
    return _PUNCTUATION.sub(" ", folded).split()


def _strip_forms(words: list[str]) -> list[str]:
    changed = True
    while changed and words:
        changed = False
        for form in LEGAL_FORMS:
            n = len(form)
            if len(words) > n and tuple(words[:n]) == form:
                words, changed = words[n:], True
            elif len(words) > n and tuple(words[-n:]) == form:
                words, changed = words[:-n], True
    return words


def normalize_name(text: str) -> str:
    """``"P.T. Maju-Jaya (Persero) Tbk"`` -> ``"maju jaya"``; a name that is nothing but a
    legal form keeps its last word, so it still has a key."""
    return " ".join(_strip_forms(words_of(text)))


def legal_form_not_pt(text: str) -> bool:
    """A CV or UD named as a recruiter: a P3MI must be a PT."""
    words = words_of(text)
    return bool(words) and (words[0] in NOT_A_PT or words[-1] in NOT_A_PT)


def number_key(text: str) -> str | None:
    """The digits of a typed NIB or SIP3MI number, or None when the text is a name."""
    compact = re.sub(r"[\s./\-]", "", unicodedata.normalize("NFKC", text or ""))
    digits = re.sub(r"\D", "", compact)
    if len(digits) >= MIN_NUMBER_DIGITS and len(digits) >= len(compact) * 0.6:
        return digits
    return None


def digits_of(value: str | None) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", value or ""))


def similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz    # loads with the first agency looked up, not with the bot

    return fuzz.ratio(a, b)


def near_keys(key: str, keys: list[str], *, limit: int = 50) -> list[tuple[int, float]]:
    """Indexes into ``keys`` at or above the threshold, best first."""
    from rapidfuzz import fuzz, process

    found = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=MATCH_THRESHOLD,
                            limit=limit)
    return [(index, score) for _choice, score, index in found]
