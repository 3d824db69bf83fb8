"""Chart images for /statistik: PNG bytes drawn with matplotlib's Agg canvas.

Portrait, 1080 px wide at the default size, large fonts: readable on a phone when
Telegram shows the photo at screen width. Every word comes from the reader's Translator.
Drawing takes a few hundred milliseconds of CPU: call from a thread
(``await asyncio.to_thread(daily_volume_chart, ...)``) in the bot.
"""
from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from babel.dates import format_date

from bot.analytics.stats import DailyVolume
from bot.engine.i18n import N_, Translator
from bot.engine.labels import Labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#999999")
WIDTH_IN, HEIGHT_IN, DPI = 6.0, 7.5, 180
LEGEND_WRAP = 30         # characters per legend line: two columns fit the width
WEEKLY_AFTER_DAYS = 92   # longer ranges are drawn per week, or the bars become hairlines


def _figure() -> Figure:
    # matplotlib (and numpy, Pillow under it: about 60 MB) loads with the first chart an
    # admin asks for, not with the bot: charts are asked for a few times a day.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _integer_ticks(**options):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True, **options)


def _png(figure: Figure, description: str = "") -> bytes:
    """The PNG, with what it shows as text in its ``Description`` (a screen reader's or a
    search's way into the figures)."""
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white",
                   metadata={"Description": description} if description else None)
    return buffer.getvalue()


def _description(title: str, items: Sequence[tuple[str, int]], t: Translator) -> str:
    return "\n".join([title, *(f"{name}: {t.number(count)}" for name, count in items)])


def _range_text(t: Translator, days: Sequence[date]) -> str:
    if not days:
        return ""
    if days[0] == days[-1]:
        return t.date(days[0])
    return f"{t.date(days[0])} – {t.date(days[-1])}"


def _empty(axes, t: Translator) -> None:
    axes.text(0.5, 0.5, t.gettext("No reports in this period"), ha="center", va="center",
              fontsize=14, transform=axes.transAxes, color="#555555")
    axes.set_xticks([])
    axes.set_yticks([])


def _weekly(volume: DailyVolume) -> tuple[list[date], dict[str, list[int]]]:
    """Sum the days into weeks starting on the range's first day."""
    starts = volume.days[::7]
    weekly = {cat: [sum(counts[i:i + 7]) for i in range(0, len(counts), 7)]
              for cat, counts in volume.by_category.items()}
    return starts, weekly


REGION_CHART_TITLE = N_("Reports by regency/city")


def daily_volume_title(volume: DailyVolume) -> str:
    """The daily chart's title (a msgid): the same words head the image and its caption."""
    if len(volume.days) > WEEKLY_AFTER_DAYS:
        return N_("Reports per week by category")
    return N_("Reports per day by category")


def daily_volume_chart(volume: DailyVolume, *, t: Translator, labels: Labels) -> bytes:
    """Stacked bars of reports per WIB day (per week past 92 days), one colour per category."""
    figure = _figure()
    axes = figure.add_subplot()
    weekly = len(volume.days) > WEEKLY_AFTER_DAYS
    starts, series = _weekly(volume) if weekly else (volume.days, volume.by_category)
    title = t.gettext(daily_volume_title(volume))
    figure.suptitle(title, fontsize=15, fontweight="bold")
    axes.set_title(_range_text(t, volume.days), fontsize=11, color="#444444")
    if not any(sum(counts) for counts in series.values()):
        _empty(axes, t)
        return _png(figure)
    positions = list(range(len(starts)))
    bottom = [0] * len(starts)
    for index, (category, counts) in enumerate(series.items()):
        label = textwrap.fill(labels.category_label(t, category), LEGEND_WRAP)
        axes.bar(positions, counts, bottom=bottom, width=0.85 if len(starts) <= 60 else 1.0,
                 color=PALETTE[index % len(PALETTE)], label=label, linewidth=0)
        bottom = [b + c for b, c in zip(bottom, counts)]
    step = max(1, -(-len(starts) // 8))   # at most about 8 date labels
    ticks = positions[::step]
    axes.set_xticks(ticks)
    axes.set_xticklabels([format_date(starts[i], "d MMM", locale=t.locale) for i in ticks],
                         rotation=45, ha="right", fontsize=11)
    axes.yaxis.set_major_locator(_integer_ticks())
    axes.yaxis.set_major_formatter(lambda value, _pos: t.number(int(value)))
    axes.tick_params(axis="y", labelsize=11)
    axes.set_ylabel(t.gettext("Reports"), fontsize=12)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(-0.6, len(starts) - 0.4)
    # Legend under the plot, where it never hides bars.
    figure.legend(loc="outside lower center", ncols=2, fontsize=10, frameon=False)
    totals = [(labels.category_label(t, category), sum(counts))
              for category, counts in series.items()]
    return _png(figure, _description(title, totals, t))


def region_chart(by_region: dict[str, int], *, t: Translator, labels: Labels,
                 days: Sequence[date] = ()) -> bytes:
    """Horizontal bars of reports per regency/city, largest on top, each bar numbered."""
    figure = _figure()
    axes = figure.add_subplot()
    title = t.gettext(REGION_CHART_TITLE)
    figure.suptitle(title, fontsize=15, fontweight="bold")
    if days:
        axes.set_title(_range_text(t, days), fontsize=11, color="#444444")
    items = sorted(((n, code) for code, n in by_region.items() if n), key=lambda x: (-x[0], x[1]))
    if not items:
        _empty(axes, t)
        return _png(figure)
    items.reverse()   # barh draws from the bottom up
    names = [labels.short_region_label(t, code) for _, code in items]
    counts = [n for n, _ in items]
    bars = axes.barh(range(len(items)), counts, color=PALETTE[0], height=0.7)
    axes.set_yticks(range(len(items)))
    axes.set_yticklabels(names, fontsize=11)
    axes.bar_label(bars, labels=[t.number(n) for n in counts], padding=3, fontsize=10)
    axes.xaxis.set_major_locator(_integer_ticks(nbins=4))
    axes.xaxis.set_major_formatter(lambda value, _pos: t.number(int(value)))
    axes.set_xlim(0, max(counts) * 1.18)
    axes.set_xlabel(t.gettext("Reports"), fontsize=12)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    shown = list(zip(names, counts))[::-1]      # largest first, as read from the top
    return _png(figure, _description(title, shown, t))

