"""``tipbot agencies import FILE``, ``tipbot agencies list`` and ``tipbot agencies show``:
the task force's register of licensed agencies (format in ``bot/prevention/register.py``
and the README)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.services.container import system_clock


def cmd_agencies_import(args: argparse.Namespace) -> int:
    """Upsert the register from a CSV; prints what was added, changed and refused."""
    from bot.cli.common import run_with_session
    from bot.prevention.register import RegisterFileError, import_register

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"tipbot: cannot read {args.file}: {exc}", file=sys.stderr)
        return 1

    async def work(session, _settings) -> int:
        try:
            result = await import_register(session, text=text, now=system_clock())
        except RegisterFileError as exc:
            print(f"tipbot: {exc}", file=sys.stderr)
            return 1
        for line, office in result.added:
            print(f"added    line {line}: {office}")
        for line, office in result.changed:
            print(f"changed  line {line}: {office}")
        for line, why in result.refused:
            print(f"refused  line {line}: {why}")
        print(f"{len(result.added)} added, {len(result.changed)} changed, "
              f"{result.unchanged} unchanged, {len(result.refused)} refused")
        return 0 if not result.refused else 3

    return run_with_session(work)


def cmd_agencies_list(args: argparse.Namespace) -> int:
    """Every office in the register, one a line."""
    from bot.cli.common import run_with_session
    from bot.prevention.register import list_agencies

    async def work(session, _settings) -> int:
        offices = await list_agencies(session)
        if not offices:
            print("The register is empty. Load it with: tipbot agencies import FILE")
            return 0
        print("\t".join(["nib", "sip3mi_no", "jenis_kantor", "kab_kota", "status",
                         "tgl_verifikasi", "nama"]))
        for a in offices:
            print("\t".join([a.nib or "-", a.sip3mi_no or "-", a.jenis_kantor, a.kab_kota or "-",
                             a.status, str(a.tgl_verifikasi or "-"), a.nama]))
        return 0

    return run_with_session(work)


def cmd_agencies_show(args: argparse.Namespace) -> int:
    """The offices a number or name finds, each with its status history."""
    from bot.cli.common import run_with_session
    from bot.prevention.register import find_agency, status_history

    async def work(session, _settings) -> int:
        lookup = await find_agency(session, " ".join(args.query))
        if not lookup.found:
            names = ", ".join(a.nama for a in lookup.suggestions)
            print("not in the register" + (f"; similar: {names}" if names else ""))
            return 1
        for a in lookup.offices:
            print(f"{a.nama} [{a.jenis_kantor}] NIB {a.nib or '-'} SIP3MI {a.sip3mi_no or '-'}")
            print(f"  alias: {'; '.join(a.alias) or '-'}  induk_nib: {a.induk_nib or '-'}")
            print(f"  {a.alamat or '-'}, {a.kab_kota or '-'}, {a.provinsi or '-'}")
            print(f"  source: {a.sumber or '-'}, verified {a.tgl_verifikasi or '-'}")
            for h in await status_history(session, a.id):
                print(f"  {h.recorded_at:%Y-%m-%d}  {h.status}  from {h.status_mulai or '-'}"
                      f" until {h.status_sampai or '-'}  SK {h.no_sk or '-'}")
        return 0

    return run_with_session(work)


def register(commands: argparse._SubParsersAction) -> None:
    """Adds ``agencies`` to the ``tipbot`` parser."""
    agencies = commands.add_parser("agencies", help="the register of licensed agencies (P3MI)")
    actions = agencies.add_subparsers(dest="agencies_command", required=True, metavar="ACTION")
    imp = actions.add_parser("import", help="upsert the register from a CSV: nib,sip3mi_no,"
                             "nama,alias,jenis_kantor,induk_nib,alamat,kab_kota,provinsi,status,"
                             "status_mulai,status_sampai,no_sk,sumber,tgl_verifikasi")
    imp.add_argument("file", help="the register as CSV (UTF-8), one office a line")
    imp.set_defaults(handler=cmd_agencies_import)
    actions.add_parser("list", help="list every office").set_defaults(handler=cmd_agencies_list)
    show = actions.add_parser("show", help="an office by NIB, SIP3MI number or name, with "
                              "its status history")
    show.add_argument("query", nargs="+", help="an NIB, a SIP3MI number or a name")
    show.set_defaults(handler=cmd_agencies_show)
