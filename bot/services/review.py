"""Who may review figures, and the date ranges they ask for."""
from __future__ import annotations

from datetime import date, datetime

from bot.analytics.period import DateRange, range_last_days, range_today
from bot.engine.domain import Role
from bot.engine.form import parse_date
from bot.engine.sanitize import is_plain_number
from models import Officer

REVIEW_ROLES = frozenset({Role.ADMIN.value, Role.SUPERVISOR.value})
MAX_RANGE_DAYS = 3660
TODAY_WORDS = {"hari-ini", "hariini", "today", "0"}
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def may_review(officer: Officer | None) -> bool:
    """Admins and supervisors see figures, histories and exports; officers do not."""
    return officer is not None and officer.active and officer.role in REVIEW_ROLES


def parse_range(words: list[str], now: datetime, default_days: int = 7) -> DateRange | None:
    """``[]`` (last 7 days), ``today``/``hari-ini``, ``30`` (last 30 days), or two dates
    (``2026-11-01 2026-11-28``, ``01-11-2026 28-11-2026``); None when not understood."""
    joined = "-".join(word.lower() for word in words)
    if not words:
        return range_last_days(default_days, now)
    if joined in TODAY_WORDS:
        return range_today(now)
    if len(words) == 1 and is_plain_number(words[0]) and 1 <= int(words[0]) <= MAX_RANGE_DAYS:
        return range_last_days(int(words[0]), now)
    if len(words) == 2:
        start, end = parse_date(words[0]), parse_date(words[1])
        if start and end and start <= end and (end - start).days <= MAX_RANGE_DAYS \
                and plausible_day(start) and plausible_day(end):
            return DateRange(start, end)
    return None


def plausible_day(day: date) -> bool:
    """Days the tip line can have data for; year 1 or 9999 would overflow the UTC bounds."""
    return FIRST_DAY <= day <= LAST_DAY


def range_token(date_range: DateRange) -> str:
    """Compact form for callback data: ``20261101-20261128``."""
    return f"{date_range.start:%Y%m%d}-{date_range.end:%Y%m%d}"


def range_from_token(token: str) -> DateRange | None:
    """The range of a button, or None for anything this bot would not have sent."""
    try:
        start, end = (_day(part) for part in token.split("-"))
        if not (plausible_day(start) and plausible_day(end)):
            return None
        return DateRange(start, end)
    except ValueError:
        return None


def _day(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


