"""``tipbot officer add|list|deactivate`` and ``tipbot roster import FILE``.

The roster file format is described in ``bot/services/officers.py``; a sample is
``bot/data/roster.example.csv``.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.cli.common import UsageError
from bot.services.container import system_clock


def _run(work: Callable[..., Awaitable[int]]) -> int:
    from bot.cli.common import run_with_session

    return run_with_session(lambda session, _settings: work(session))


def cmd_officer_add(args: argparse.Namespace) -> int:
    """Register an officer (or update an existing one's name and role)."""
    from bot.services.officers import add_officer

    if args.telegram_id <= 0:
        # Groups and channels have negative ids; an officer is a person, who has a positive one.
        raise UsageError(f"--telegram-id {args.telegram_id} is a group or channel, not a "
                         "person: give the officer's own Telegram user id (a positive number)")
    if not args.name.strip():
        raise UsageError("--name is empty: give the name officers and cards will show")

    async def work(session) -> int:
        officer = await add_officer(session, telegram_user_id=args.telegram_id, name=args.name,
                                    role=args.role, now=system_clock())
        print(f"officer {officer.id}: {officer.name} ({officer.role})")
        return 0

    return _run(work)


def cmd_officer_list(args: argparse.Namespace) -> int:
    """The active officers (with ``--all`` the deactivated ones too), with role and state."""
    from bot.services.officers import list_officers

    async def work(session) -> int:
        everyone = await list_officers(session)
        shown = everyone if args.all else [o for o in everyone if o.active]
        if not shown:
            hidden = len(everyone) - len(shown)
            print("No active officers" + (f" ({hidden} deactivated; see --all)." if hidden
                                         else " yet.")
                  + " Add one with: tipbot officer add --telegram-id ID --name NAME")
            return 0
        print("telegram_id\trole\tstate\tname")
        for officer in shown:
            state = "active" if officer.active else "inactive"
            if officer.blocked:
                state += ", blocked the bot"
            print(f"{officer.telegram_user_id}\t{officer.role}\t{state}\t{officer.name}")
        return 0

    return _run(work)


def cmd_officer_deactivate(args: argparse.Namespace) -> int:
    """Cut an officer off: no routing, no relay, their open cases back in the queue and
    re-sent to the officers on duty; supervisors and admins are told."""
    from bot.app import build_services
    from bot.cli.common import run_with_session
    from bot.services.followups import officer_left
    from bot.services.officers import deactivate_officer

    async def work(session, settings) -> int:
        now = system_clock()
        departure = await deactivate_officer(session, telegram_user_id=args.telegram_id, now=now)
        if departure is None:
            print(f"tipbot: no officer with telegram id {args.telegram_id}", file=sys.stderr)
            return 1
        # The running bot's sweep delivers what this queues (within SWEEP_INTERVAL).
        await officer_left(session, build_services(settings, session.bind), departure, now=now)
        print(f"deactivated; {len(departure.released)} open case(s) back in the queue, "
              f"{departure.cancelled_messages} queued message(s) cancelled")
        return 0

    return run_with_session(work)


def cmd_roster_import(args: argparse.Namespace) -> int:
    """Replace the weekly shifts of the officers named in a CSV file."""
    from bot.services.officers import RosterError, import_roster, parse_roster

    try:
        lines = parse_roster(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, RosterError) as exc:
        print(f"tipbot: {exc}", file=sys.stderr)
        return 1

    async def work(session) -> int:
        try:
            count = await import_roster(session, lines=lines, now=system_clock())
        except RosterError as exc:
            print(f"tipbot: {exc}", file=sys.stderr)
            await session.rollback()
            return 1
        print(f"imported {count} shift(s)")
        return 0

    return _run(work)


def register(commands: argparse._SubParsersAction) -> None:
    """Adds ``officer`` and ``roster`` to the ``tipbot`` parser."""
    officer = commands.add_parser("officer", help="task-force officers")
    actions = officer.add_subparsers(dest="officer_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register an officer (again: update name and role)")
    add.add_argument("--telegram-id", type=int, required=True, metavar="ID",
                     help="the officer's own Telegram user id (a positive number)")
    add.add_argument("--name", required=True, help="the name cards and colleagues see")
    add.add_argument("--role", choices=("officer", "supervisor", "admin"), default="officer",
                     help="officer works cases; supervisor also reassigns and sees figures; "
                          "admin also exports contacts (default: officer)")
    add.set_defaults(handler=cmd_officer_add)
    listing = actions.add_parser("list", help="list the active officers")
    listing.add_argument("--all", action="store_true", help="include deactivated officers")
    listing.set_defaults(handler=cmd_officer_list)
    off = actions.add_parser("deactivate", help="deactivate an officer; their open cases go "
                             "back to the queue")
    off.add_argument("--telegram-id", type=int, required=True, metavar="ID",
                     help="the officer's Telegram user id")
    off.set_defaults(handler=cmd_officer_deactivate)

    roster = commands.add_parser("roster", help="the weekly duty roster")
    roster_actions = roster.add_subparsers(dest="roster_command", required=True, metavar="ACTION")
    imp = roster_actions.add_parser(
        "import", help="import shifts from CSV: telegram_id,weekday,start,end,region_code (WIB)")
    imp.add_argument("file", help="the CSV file (UTF-8)")
    imp.set_defaults(handler=cmd_roster_import)
