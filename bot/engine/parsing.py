"""Reading what people type: region names and dates."""
from __future__ import annotations

import functools
import re
from datetime import date, datetime

from babel import Locale

from bot.engine.regions import RegionList


def match_region(text: str, regions: RegionList) -> str | None:
    """A typed region name ("metro", "Kota Bandar Lampung") to its code, if unambiguous."""
    wanted = _simplify(re.sub(r"^\s*(kabupaten|kab\.?|kota)\s+", "", text, flags=re.I))
    if not wanted:
        return None
    exact = [r.code for r in regions.regions if _simplify(r.name) == wanted]
    if exact:
        return exact[0]
    partial = [r.code for r in regions.regions if wanted in _simplify(r.name)]
    return partial[0] if len(partial) == 1 else None


def _simplify(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y", "%d/%m/%y")


@functools.cache
def _month_numbers() -> dict[str, int]:
    """Month names in both languages; Babel's locale data (about 5 MB) loads with the first
    date typed in words, not with the bot."""
    months: dict[str, int] = {}
    for code in ("id", "en"):
        names = Locale.parse(code).months["format"]
        for width in ("wide", "abbreviated"):
            for number, name in names[width].items():
                months[name.lower().rstrip(".")] = number
    months["agust"] = 8
    return months



def parse_date(text: str) -> date | None:
    """``12-01-2027``, ``12/1/27``, ``2027-01-12`` or ``12 Januari 2027``."""
    cleaned = " ".join(text.strip().split())
    if not cleaned.isascii():        # "²" or Arabic-Indic digits: not a date we read
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            pass
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", cleaned)
    if match:
        day, month_name, year = match.groups()
        month = _month_numbers().get(month_name.lower())
        if month:
            try:
                return date(int(year), month, int(day))
            except ValueError:
                return None
    return None
