"""Phone numbers as people write them (0812..., +62 812..., 62812..., 0062...) to E.164."""
from __future__ import annotations

import re

import phonenumbers

MIN_DIGITS = 6


def normalize_phone(raw: str | None, region: str = "ID", *, strict: bool = True) -> str | None:
    """E.164 (``+6281234567890``) or None.

    ``strict``: the number must be valid (the form asks again otherwise); without it a
    merely possible number is kept, for matching numbers already stored.
    """
    if not raw:
        return None
    compact = re.sub(r"[^\d+]", "", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif compact.startswith("62"):
        compact = "+" + compact
    if len(re.sub(r"\D", "", compact)) < MIN_DIGITS:
        return None
    try:
        number = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return None
    check = phonenumbers.is_valid_number if strict else phonenumbers.is_possible_number
    if not check(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None, region: str = "ID") -> str:
    """``0813-1234-5678``: a stored number as people in the country write it."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) != region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
