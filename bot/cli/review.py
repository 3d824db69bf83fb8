"""``tipbot stats`` and ``tipbot export``: the admins' figures and files, for scheduled
reports. The same services as /statistik and /ekspor; ranges are WIB calendar days."""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from datetime import date
from pathlib import Path

from bot.cli.common import UsageError
from bot.services.container import system_clock


def _range(args: argparse.Namespace, default_days: int):
    from bot.analytics.period import DateRange, range_last_days

    now = system_clock()
    if args.date_from is None and args.date_to is None:
        return range_last_days(default_days, now)
    default = range_last_days(default_days, now)
    start, end = args.date_from or default.start, args.date_to or default.end
    if start > end:
        raise UsageError(f"the range ends before it starts: first day {start}, "
                         f"last day {end} (--from comes before --to)")
    return DateRange(start, end)


def _as_plain_text(messages: list[str]) -> str:
    """The chat's HTML rendering as terminal text."""
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", text)) for text in messages)


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the figures of a range, as text in DEFAULT_LOCALE or as JSON."""
    from bot.render.stats import render_stats
    from bot.analytics.stats import compute_stats
    from bot.cli.common import run_with_session
    from bot.prevention.counts import prevention_figures
    from bot.render.prevention_stats import prevention_block

    date_range = _range(args, default_days=7)

    async def work(session, settings) -> int:
        figures = await compute_stats(session, date_range=date_range, now=system_clock())
        prevention = await prevention_figures(session, date_range=date_range)
        if args.json:
            json.dump({**figures.to_json(), "prevention": prevention.to_json()}, sys.stdout,
                      ensure_ascii=False, indent=2)
            print()
        else:
            from bot.engine.i18n import get_translator
            t = get_translator(settings.default_locale, settings.timezone)
            print(_as_plain_text(render_stats(figures, t, _labels(settings),
                                              extra=[prevention_block(t, prevention)])))
        return 0

    return run_with_session(work)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the cases of a range to a CSV or XLSX file; recorded in the audit trail."""
    from bot.analytics.export import export_cases
    from bot.cli.common import run_with_session

    date_range = _range(args, default_days=30)
    folder = Path(args.out).absolute().parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {args.out}: there is no folder {folder}")
    if args.sep != ";" and args.format != "csv":
        raise UsageError("--sep is for CSV; an XLSX file has no separator")

    async def work(session, settings) -> int:
        from bot.cli.common import open_vault
        from bot.engine.i18n import get_translator

        decrypt = open_vault(settings).decrypt if args.with_contacts else None
        try:
            _owner_only(args.out)
        except OSError as exc:
            raise UsageError(f"cannot write {args.out}: {exc.strerror}") from None
        result = await export_cases(
            session, args.out, fmt=args.format, date_range=date_range, officer_id=None,
            now=system_clock(), t=get_translator(settings.default_locale, settings.timezone),
            labels=_labels(settings), decrypt=decrypt, channel="cli", sep=args.sep)
        print(f"{result.rows} case(s) written to {args.out}")
        return 0

    return run_with_session(work)


def _labels(settings):
    """Names for stored codes with the configured regions (``REGIONS_FILE``)."""
    from bot.engine.labels import Labels
    from bot.engine.regions import load_regions

    return Labels(load_regions(settings.regions_file))


def _owner_only(path: str) -> None:
    """Create (or truncate) the export file readable by its owner only, before any row is
    written: it may hold reporters' contacts."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)      # an existing file keeps its old mode otherwise
    finally:
        os.close(descriptor)


def _day(text: str) -> date:
    from bot.services.review import plausible_day

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    if not plausible_day(day):
        raise argparse.ArgumentTypeError(f"not a plausible day (2000-2099): {text!r}")
    return day


def _range_options(parser: argparse.ArgumentParser, default_days: int) -> None:
    parser.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD",
                        help=f"first day, WIB (default: {default_days} days ago, today included)")
    parser.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD",
                        help="last day, WIB, included (default: today)")


def register(commands: argparse._SubParsersAction) -> None:
    stats = commands.add_parser("stats", help="tip volumes, response times and backlog of a range")
    _range_options(stats, 7)
    stats.add_argument("--json", action="store_true", help="print JSON instead of text")
    stats.set_defaults(handler=cmd_stats)

    export = commands.add_parser("export", help="write the cases of a range to CSV or XLSX")
    _range_options(export, 30)
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                        help="file format (default: csv)")
    export.add_argument("--sep", choices=(";", ","), default=";",
                        help="CSV column separator: ';' (default) opens as columns in Excel "
                             "set to Indonesian, with decimal commas and phone numbers kept "
                             "as text; ',' writes a plain CSV for other programs")
    export.add_argument("--out", required=True, metavar="FILE",
                        help="file to write (its folder must exist; readable by you only)")
    export.add_argument("--with-contacts", action="store_true",
                        help="include contactable reporters' name and phone (audited)")
    export.set_defaults(handler=cmd_export)
