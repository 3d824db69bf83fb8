"""The prevention figures in /statistik and ``tipbot stats``: anonymous counts only."""
from __future__ import annotations

from html import escape

from bot.engine.i18n import N_, Translator
from bot.prevention.counts import PreventionFigures

VERDICTS = {"low": N_("low risk"), "medium": N_("medium risk"), "high": N_("high risk")}


def prevention_block(t: Translator, figures: PreventionFigures) -> str:
    n = t.number
    lines = [
        "<b>" + escape(t("Prevention")) + "</b>",
        "• " + escape(t.gettext("Agency checks: {count}, of which not on the list: {missing}")
                      .format(count=n(figures.agency_checks),
                              missing=n(figures.agency_not_listed))),
        "• " + escape(t.gettext("Job-offer checks: {count}").format(count=n(figures.offer_checks)))
        + (" (" + escape(", ".join(
            f"{t.gettext(label)} {n(figures.offer_verdicts.get(key, 0))}"
            for key, label in VERDICTS.items())) + ")" if figures.offer_checks else ""),
        "• " + escape(t.gettext("Guide pages viewed: {count}").format(
            count=n(figures.guide_views))),
    ]
    return "\n".join(lines)
