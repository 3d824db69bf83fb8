"""Category, status and region names for people, from the lead's ``bot.labels`` when it
exists, otherwise a plain fallback (codes, and region names from the regions file)."""
from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Protocol

from bot.domain import OUTSIDE_REGION
from bot.i18n import N_, Translator


class Labels(Protocol):
    def category_label(self, t: Translator, code: str) -> str: ...
    def status_label(self, t: Translator, code: str) -> str: ...
    def region_label(self, t: Translator, code: str) -> str: ...


OUTSIDE_LABEL = N_("Outside Lampung")


class FallbackLabels:
    """Used until ``bot/labels.py`` exists: codes as they are, regions by their name."""

    def category_label(self, t: Translator, code: str) -> str:
        return code

    def status_label(self, t: Translator, code: str) -> str:
        return code

    def region_label(self, t: Translator, code: str) -> str:
        if code == OUTSIDE_REGION:
            return t.gettext(OUTSIDE_LABEL)
        region = _regions().get(code)
        return region.name if region else code


def short_region(labels: Labels, t: Translator, code: str) -> str:
    """The bare region name ("Metro") where space is short (charts), if labels offer one."""
    if code == OUTSIDE_REGION:
        return t.gettext(OUTSIDE_LABEL)
    short = getattr(labels, "short_region_label", None)
    name = short(code) if short else None
    return name or labels.region_label(t, code)


def referral(labels: Labels, t: Translator, code: str | None) -> str | None:
    if not code:
        return None
    label = getattr(labels, "referral_label", None)
    return label(t, code) if label else code


@lru_cache(maxsize=1)
def _regions():
    from bot.regions import load_regions
    return load_regions()


def default_labels() -> Labels:
    """``bot.labels`` (module functions) if the lead's module is there, else the fallback."""
    try:
        module = importlib.import_module("bot.labels")
    except ModuleNotFoundError as exc:
        if exc.name != "bot.labels":
            raise
        return FallbackLabels()
    if all(hasattr(module, name) for name in ("category_label", "status_label", "region_label")):
        return module  # type: ignore[return-value]
    return FallbackLabels()
