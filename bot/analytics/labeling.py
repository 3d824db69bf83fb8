"""Category, status and region names for people: the functions of ``bot.labels``, behind a
small protocol so tests and other channels can pass their own."""
from __future__ import annotations

from typing import Protocol

from bot.domain import OUTSIDE_REGION
from bot.i18n import Translator


class Labels(Protocol):
    def category_label(self, t: Translator, code: str) -> str: ...
    def status_label(self, t: Translator, code: str) -> str: ...
    def region_label(self, t: Translator, code: str) -> str: ...


def default_labels() -> Labels:
    """The ``bot.labels`` module (imported late: it loads the regions file)."""
    import bot.labels
    return bot.labels  # type: ignore[return-value]


def short_region(labels: Labels, t: Translator, code: str) -> str:
    """The bare region name ("Metro") where space is short (charts), if labels offer one."""
    short = getattr(labels, "short_region_label", None)
    name = short(code) if short and code != OUTSIDE_REGION else None
    return name or labels.region_label(t, code)


def referral(labels: Labels, t: Translator, code: str | None) -> str | None:
    """Who a case was referred to (police, KP2MI, Disnaker), named for the reader."""
    if not code:
        return None
    label = getattr(labels, "referral_label", None)
    return label(t, code) if label else code
