"""One duration formatter for every reader: reminders, lists, figures, the sandbox page."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from bot.engine.i18n import get_translator
from bot.render.durations import duration_text

ROOT = Path(__file__).resolve().parents[2]
ID, EN = get_translator("id"), get_translator("en")


def test_the_largest_unit_and_the_next_one_down():
    assert duration_text(ID, timedelta(minutes=45)) == "45 menit"
    assert duration_text(ID, timedelta(hours=2, minutes=5, seconds=59)) == "2 jam 5 menit"
    assert duration_text(ID, 3 * 86400 + 4 * 3600 + 120) == "3 hari 4 jam"
    # A gap below the largest unit is not skipped over: no "3 hari 5 menit".
    assert duration_text(ID, 3 * 86400 + 300) == "3 hari"
    assert duration_text(ID, 3600) == "1 jam"
    assert duration_text(EN, 90061) == "1 day 1 hour"
    assert duration_text(EN, 7200) == "2 hours"


def test_under_a_minute_nothing_and_numbers():
    assert duration_text(ID, 30) == "kurang dari 1 menit"
    assert duration_text(EN, timedelta(seconds=-5)) == "less than a minute"
    assert duration_text(ID, None) == "–"
    assert duration_text(ID, timedelta(days=1500)) == "1.500 hari"


def test_seconds_when_asked_for():
    assert duration_text(ID, timedelta(seconds=30), seconds=True) == "30 detik"
    assert duration_text(ID, 90, seconds=True) == "1 menit 30 detik"
    assert duration_text(EN, 0, seconds=True) == "0 seconds"
    assert duration_text(ID, 3601, seconds=True) == "1 jam"


def test_there_is_no_second_duration_formatter():
    """The old copies (bot/render/officer.py, bot/analytics/render.py, the sandbox page)
    are gone: only one module spells out units of time for a reader."""
    units = re.compile(r"""["'](\{\w+\} (minute|min|hour|h|day|d|second|sec)s?|under 1 min)["']""")
    found = sorted({
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        if units.search(path.read_text(encoding="utf-8"))
    })
    assert found == ["bot/render/durations.py"]
