"""The safe-migration guide of /info: short pages read from a data file (Indonesian and
English, each item with its source and effective date). The file shipped with the bot is
``bot/data/guide.json``; the task force may name its own with ``GUIDE_FILE``."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "guide.json"
LANGUAGES = ("id", "en")
_EFFECTIVE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
_KEY = re.compile(r"^[a-z0-9_]{1,24}$")


class GuideError(ValueError):
    """The guide file cannot be used; says which file and what is wrong."""


@dataclass(frozen=True)
class GuideItem:
    text: dict[str, str]
    source: str
    effective: str          # YYYY-MM-DD, YYYY when only the year is known, or "" for a
                            # note that is no rule in force (e.g. "this rule is being reviewed")


@dataclass(frozen=True)
class GuidePage:
    key: str
    title: dict[str, str]
    items: tuple[GuideItem, ...]


@dataclass(frozen=True)
class Guide:
    pages: tuple[GuidePage, ...]

    def page(self, key: str) -> GuidePage | None:
        return next((page for page in self.pages if page.key == key), None)


def _texts(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str)
                                          or not value[lang].strip() for lang in LANGUAGES):
        raise GuideError(f"{where}: needs a text in Indonesian (id) and English (en)")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _item(raw: dict, where: str) -> GuideItem:
    source, effective = raw.get("source"), str(raw.get("effective", ""))
    if not isinstance(source, str) or not source.strip():
        raise GuideError(f"{where}: every item needs its source")
    if effective and not _EFFECTIVE.match(effective):
        raise GuideError(f"{where}: effective must be YYYY-MM-DD, YYYY or absent, "
                         f"not {effective!r}")
    return GuideItem(_texts(raw.get("text"), where), source.strip(), effective)


def parse_guide(data: dict, name: str = "guide") -> Guide:
    pages = []
    for p, raw in enumerate(data.get("pages") or [], 1):
        key = raw.get("key", "")
        if not isinstance(key, str) or not _KEY.match(key) or key == "index":
            raise GuideError(f"{name}: page {p} needs a key of a-z, 0-9, _ (not 'index')")
        items = tuple(_item(item, f"{name}: page {key!r} item {i}")
                      for i, item in enumerate(raw.get("items") or [], 1))
        if not items:
            raise GuideError(f"{name}: page {key!r} has no items")
        pages.append(GuidePage(key, _texts(raw.get("title"), f"{name}: page {key!r} title"),
                               items))
    if not pages:
        raise GuideError(f"{name}: no pages")
    if len({page.key for page in pages}) != len(pages):
        raise GuideError(f"{name}: two pages have the same key")
    return Guide(tuple(pages))


@lru_cache(maxsize=4)
def load_guide(path: Path | None = None) -> Guide:
    """The guide from ``path`` (GUIDE_FILE) or the shipped one; read once."""
    path = path or SHIPPED
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GuideError(f"GUIDE_FILE {path}: {exc}") from None
    return parse_guide(data, str(path))
