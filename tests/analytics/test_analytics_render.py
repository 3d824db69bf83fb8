"""Rendering of /statistik and /terlapor, the charts, and the admin catalog."""
from __future__ import annotations

import io
import re
import struct
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from PIL import Image

from bot.analytics.charts import daily_volume_chart, region_chart
from bot.analytics.period import DateRange
from bot.analytics.stats import (
    DailyVolume, DurationFigures, Headline, OfficerLoad, OldestUnclaimed, Stats,
)
from bot.analytics.suspects import Reported, TopReported
from bot.engine.i18n import get_translator, load_catalog
from bot.engine.labels import Labels
from bot.engine.regions import load_regions
from bot.render.stats import render_stats, render_top_reported
from bot.render.text import MAX_TEXT, visible_length

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PO = ROOT / "locales" / "id" / "LC_MESSAGES" / "admin.po"
NOV = DateRange(date(2026, 11, 1), date(2026, 11, 30))
NOW = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)
LABELS = Labels(load_regions())


def make_stats(officers: int = 3, name: str = "Andi") -> Stats:
    return Stats(
        range=NOV, generated_at=NOW, total=1234, urgent=56,
        by_category={"calo": 1000, "tppo": 234}, by_region={"1871": 1200, "OUT": 34},
        by_status={"resolved": 1200, "new": 34},
        time_to_claim=DurationFigures(1200, 754, 4 * 3600 + 5 * 60),
        time_to_close=DurationFigures(1100, 3 * 86400 + 7200, 20 * 86400),
        open_backlog=34, backlog_by_status={"new": 34},
        oldest_unclaimed=OldestUnclaimed("LPG-2611-K7Q4M", datetime(2026, 11, 27, 17, 30,
                                         tzinfo=timezone.utc), 9 * 3600 + 30 * 60),
        officer_load=[OfficerLoad(i, f"{name} {i}", "officer", 40 - i) for i in range(officers)],
    )


def test_stats_in_indonesian_use_babel_numbers_dates_and_words():
    messages = render_stats(make_stats(name="<Andi & co>"), get_translator("id"), LABELS,
                            headline=Headline(12, 345, 1234))
    assert len(messages) == 1
    text = messages[0]
    assert "Statistik layanan pengaduan" in text
    assert "1 Nov 2026 s.d. 30 Nov 2026" in text
    assert "Jumlah: 1.234 laporan" in text
    assert "Diterima hari ini: 12 · 7 hari terakhir: 345 · 30 hari terakhir: 1.234" in text
    assert "<b>1.000</b> (81%)" in text
    assert "median 12 menit; 90% kasus dalam 4 jam 5 menit atau kurang (1.200 kasus)" in text
    assert "median 3 hari 2 jam" in text
    assert "LPG-2611-K7Q4M (menunggu 9 jam 30 menit, sejak 28 Nov 2026 00.30 WIB)" in text
    assert "&lt;Andi &amp; co&gt; 0" in text and "<Andi" not in text


def test_stats_in_english_keep_english_plurals_and_separators():
    text = "\n".join(render_stats(make_stats(), get_translator("en"), LABELS))
    assert "Total: 1,234 reports" in text
    assert "Open cases now</b>: 34 cases" in text


def test_long_stats_are_split_under_the_telegram_limit():
    messages = render_stats(make_stats(officers=400, name="Petugas dengan nama panjang"),
                            get_translator("id"), LABELS)
    assert len(messages) >= 2
    assert all(visible_length(m) <= MAX_TEXT for m in messages)   # as Telegram counts
    joined = "\n".join(messages)
    assert "Petugas dengan nama panjang 399" in joined
    for message in messages:   # every message is balanced HTML
        assert message.count("<b>") == message.count("</b>")


def test_top_reported_lists_escape_names():
    top = TopReported(NOV, phones=[Reported("+6281234567890", 3)],
                      people=[Reported("Budi <script>", 2)], agencies=[])
    text = "\n".join(render_top_reported(top, get_translator("id")))
    assert "1. <code>+6281234567890</code>: 3 laporan" in text
    assert "Budi &lt;script&gt;" in text
    assert "Belum ada yang disebut di lebih dari satu laporan." in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("days", [1, 30, 200])
def test_daily_chart_is_a_phone_sized_png(days):
    first = date(2026, 1, 1)
    volume = DailyVolume(
        days=[date.fromordinal(first.toordinal() + i) for i in range(days)],
        by_category={"calo": [i % 5 for i in range(days)], "tppo": [1] * days},
    )
    png = daily_volume_chart(volume, t=get_translator("id"), labels=LABELS)
    width, height = _png_size(png)
    assert (width, height) == (1080, 1350)
    assert len(png) > 10_000


def test_charts_of_empty_ranges_are_still_images():
    volume = DailyVolume(days=[date(2026, 11, 28)], by_category={})
    assert _png_size(daily_volume_chart(volume, t=get_translator("en"), labels=LABELS))[0] == 1080
    assert _png_size(region_chart({}, t=get_translator("id"), labels=LABELS))[0] == 1080


def test_region_chart_is_a_png():
    png = region_chart({"1871": 1234, "1804": 400, "OUT": 3}, t=get_translator("id"),
                       labels=LABELS, days=NOV.each_day())
    assert _png_size(png) == (1080, 1350)
    assert len(png) > 10_000
    # What the bars show, as text in the PNG (largest first).
    assert Image.open(io.BytesIO(png)).text["Description"].split("\n") == [
        "Laporan per kabupaten/kota", "Bandar Lampung: 1.234", "Lampung Timur: 400",
        "Di luar Lampung: 3"]


def _analytics_messages() -> set:
    keywords = {"gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for path in sorted((ROOT / "bot" / "analytics").glob("*.py")):
        for _lineno, message, _comments, _context in extract_from_file("python", path,
                                                                        keywords=keywords):
            found.add(message)
    return found


def test_admin_catalog_translates_every_analytics_message():
    with ADMIN_PO.open("rb") as handle:
        admin = read_po(handle, locale="id")
    assert admin.plural_forms == "nplurals=1; plural=0;"
    write_mo(io.BytesIO(), admin)     # compiles
    # Later additions may live in another file of the same folder; the loader merges them.
    catalog = load_catalog("id")
    for message in _analytics_messages():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        assert entry is not None, f"missing in the Indonesian catalogs: {msgid!r}"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"untranslated: {msgid!r}"
        wanted = set(re.findall(r"\{\w+\}", msgid))
        for string in strings:
            assert set(re.findall(r"\{\w+\}", string)) == wanted, msgid
