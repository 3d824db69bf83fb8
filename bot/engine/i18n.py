"""Translations from the Babel catalogs in ``locales/``, plus locale-aware formatting.

Every ``.po`` file under ``locales/<lang>/LC_MESSAGES/`` is merged into that language's
catalog, so each area of the bot can keep its own file. msgids are English; Indonesian
(``id``) is the default language.
"""
from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
SUPPORTED_LOCALES = ("id", "en")
WIB = ZoneInfo("Asia/Jakarta")
# CLDR's official names ("Hong Kong DAK Tiongkok", "Myanmar (Burma)") where people say
# the short one.
SHORT_COUNTRY_NAMES = {"HK": "Hong Kong", "MO": "Macau", "MM": "Myanmar"}


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated later, where it is shown."""
    return message


def load_catalog(locale: str, directory: Path = LOCALES_DIR) -> Catalog:
    """All .po files of one language merged into one catalog."""
    merged = Catalog(locale=locale)
    for po_path in sorted((directory / locale / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        # The plural rule the files declare (Indonesian has one form), not Babel's guess
        # for the locale: Babel before 2.19 guessed two forms for "id".
        merged.mime_headers = catalog.mime_headers
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    return merged


@lru_cache(maxsize=None)
def _translations(locale: str) -> gettext.NullTranslations:
    buffer = BytesIO()
    write_mo(buffer, load_catalog(locale))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=1024)
def _number(value: int | float, locale: str) -> str:
    # Every form step shows "Step 5 of 17": Babel parses the locale and the pattern on each
    # call (a fifth of a millisecond); the same few numbers recur.
    return format_decimal(value, locale=locale)


@dataclass(frozen=True)
class Translator:
    """What a reader of one language needs: words, numbers, dates and country names."""

    locale: str
    timezone: ZoneInfo = WIB

    def gettext(self, message: str) -> str:
        return _translations(self.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _translations(self.locale).ngettext(singular, plural, n)

    __call__ = gettext

    def number(self, value: int | float) -> str:
        return _number(value, self.locale)

    def date(self, value: date | datetime) -> str:
        """``28 Nov 2026`` in Indonesian; datetimes are shown in local time (WIB)."""
        if isinstance(value, datetime):
            value = value.astimezone(self.timezone).date()
        return format_date(value, format="d MMM y", locale=self.locale)

    def datetime(self, value: datetime) -> str:
        """``28 Nov 2026 08.30 WIB``: always in the configured zone, named as such."""
        local = value.astimezone(self.timezone)
        shown = format_datetime(local, format="d MMM y HH.mm", locale=self.locale)
        return f"{shown} {self.zone_label}"

    @property
    def zone_label(self) -> str:
        return "WIB" if self.timezone.key == "Asia/Jakarta" else self.timezone.key

    def country(self, code: str) -> str:
        code = code.upper()
        if code in SHORT_COUNTRY_NAMES:
            return SHORT_COUNTRY_NAMES[code]
        return Locale.parse(self.locale).territories.get(code, code)


@lru_cache(maxsize=None)
def get_translator(locale: str | None, timezone: str = "Asia/Jakarta") -> Translator:
    chosen = locale if locale in SUPPORTED_LOCALES else SUPPORTED_LOCALES[0]
    return Translator(chosen, ZoneInfo(timezone))
