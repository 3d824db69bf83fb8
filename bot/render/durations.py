"""The one way a span of time is written for a reader: reminders, lists, figures, the
sandbox page. Whole units, the largest one and the next one down when it is not zero
("2 jam 5 menit", "3 hari", "45 menit")."""
from __future__ import annotations

from datetime import timedelta

from bot.engine.i18n import Translator

NO_DURATION = "–"
DAY, HOUR, MINUTE = 86400, 3600, 60


def duration_text(t: Translator, span: timedelta | float | None, *,
                  seconds: bool = False) -> str:
    """A timedelta or a number of seconds for the reader; a dash for None. Seconds are
    shown only with ``seconds=True`` (the sandbox's short timers); otherwise less than a
    minute reads "less than a minute"."""
    if span is None:
        return NO_DURATION
    total = max(int(span.total_seconds() if isinstance(span, timedelta) else span), 0)
    sizes = (DAY, HOUR, MINUTE, 1) if seconds else (DAY, HOUR, MINUTE)
    if total < sizes[-1]:
        return t("less than a minute") if not seconds else _units(t, 1, 0)
    first = next(size for size in sizes if total >= size)
    parts = [_units(t, first, total // first)]
    smaller = sizes[sizes.index(first) + 1:]
    if smaller and (total % first) // smaller[0]:
        parts.append(_units(t, smaller[0], (total % first) // smaller[0]))
    return " ".join(parts)


def _units(t: Translator, size: int, count: int) -> str:
    if size == DAY:
        text = t.ngettext("{n} day", "{n} days", count)
    elif size == HOUR:
        text = t.ngettext("{n} hour", "{n} hours", count)
    elif size == MINUTE:
        text = t.ngettext("{n} minute", "{n} minutes", count)
    else:
        text = t.ngettext("{n} second", "{n} seconds", count)
    return text.format(n=t.number(count))
