"""Officers: who they are, their roles, invitations, and the roster import.

Roster CSV (``tipbot roster import FILE``), one shift a line, with a header::

    telegram_id,weekday,start,end,region_code
    111111111,0,08:00,16:00,
    111111111,selasa,16:00,00:00,1871
    222222222,Saturday,22:00,06:00,

* ``weekday``: 0-6 (Monday is 0) or a day name in Indonesian (senin, selasa, rabu, kamis,
  jumat, sabtu, minggu) or English (monday ... sunday, or mon ... sun);
* ``start``/``end``: HH:MM in WIB; an end at or before the start runs past midnight;
* ``region_code``: empty for every region, or a region code from ``bot/data/regions.csv``.

An import replaces the whole roster of every officer named in the file; officers must
already exist (``tipbot officer add``). See ``bot/data/roster.example.csv``.
"""
from __future__ import annotations

import csv
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.engine.domain import Role
from bot.engine.sanitize import clean_line, is_plain_number
from bot.services import cases, outbox
from models import AuditLog, DutyCheckin, Invite, Officer, Report, RosterShift

log = logging.getLogger(__name__)

DAY_NAMES = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
    "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}
ROLES = tuple(role.value for role in Role)


async def officer_by_telegram(session: AsyncSession, telegram_user_id: int) -> Officer | None:
    """The active officer with this Telegram account, or None."""
    officer = (await session.exec(_BY_TELEGRAM, params={"telegram_user_id": telegram_user_id})).first()
    return officer if officer is not None and officer.active else None


# Built once: asked for every text anyone types (officers' input is tried first).
_BY_TELEGRAM = select(Officer).where(Officer.telegram_user_id == bindparam("telegram_user_id"))


async def add_officer(session: AsyncSession, *, telegram_user_id: int, name: str,
                      role: str = Role.OFFICER, now: datetime) -> Officer:
    """Register (or reactivate and update) an officer."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    name = clean_line(name)[:120] or "Officer"     # shown on cards: no reordering tricks
    officer = (await session.exec(select(Officer).where(
        Officer.telegram_user_id == telegram_user_id))).first()
    if officer is None:
        officer = Officer(telegram_user_id=telegram_user_id, name=name, role=role, created_at=now)
        session.add(officer)
    else:
        officer.name, officer.role, officer.active, officer.blocked = name, role, True, False
    await session.flush()
    session.add(AuditLog(at=now, officer_id=None, action="officer_add",
                         detail={"officer_id": officer.id, "role": role}))
    return officer


async def list_officers(session: AsyncSession) -> list[Officer]:
    return list((await session.exec(select(Officer).order_by(Officer.id))).all())


async def set_locale(session: AsyncSession, *, telegram_user_id: int, locale: str) -> None:
    """The language an officer reads cards, reminders and notices in, if they are one."""
    officer = await officer_by_telegram(session, telegram_user_id)
    if officer is not None:
        officer.locale = locale


async def active_officers(session: AsyncSession) -> list[Officer]:
    """Everyone who works cases now."""
    return list((await session.exec(select(Officer).where(Officer.active))).all())


@dataclass(frozen=True)
class Departure:
    """What deactivating an officer undid: the cases they held, the messages not sent."""

    officer: Officer
    released: list[Report]
    cancelled_messages: int


async def deactivate_officer(session: AsyncSession, *, telegram_user_id: int,
                             now: datetime, by: Officer | None = None) -> Departure | None:
    """Cut an officer off at once: no more routing, no pending input, nothing queued to
    them, their open cases back in the queue. None if there is no such officer.

    The caller re-routes the released cases and tells supervisors (``followups.officer_left``).
    """
    officer = (await session.exec(select(Officer).where(
        Officer.telegram_user_id == telegram_user_id))).first()
    if officer is None:
        return None
    officer.active, officer.pending, officer.unsent = False, None, None
    cancelled = await outbox.cancel_for_officer(session, officer_id=officer.id,
                                                chat_id=officer.telegram_user_id, now=now)
    released = await cases.release_cases_of(session, officer=officer, now=now)
    await session.exec(update(DutyCheckin).where(
        DutyCheckin.officer_id == officer.id, DutyCheckin.ended_at == None)  # noqa: E711
        .values(ended_at=now))
    session.add(AuditLog(at=now, officer_id=by.id if by else None, action="officer_deactivate",
                         detail={
        "officer_id": officer.id, "released": len(released), "cancelled": cancelled}))
    await session.flush()
    return Departure(officer, released, cancelled)


async def may_deactivate(session: AsyncSession, *, admin: Officer, officer_id: int) -> Officer:
    """The active officer an admin may take off the line in the chat: never themselves
    (the CLI can); raises PermissionError or LookupError otherwise."""
    if admin.role != Role.ADMIN:
        raise PermissionError("admins only")
    officer = await session.get(Officer, officer_id)
    if officer is None or not officer.active:
        raise LookupError("no such active officer")
    if officer.id == admin.id:
        raise PermissionError("not oneself")
    return officer


async def bootstrap_admins(session: AsyncSession, *, telegram_ids: list[int], now: datetime) -> None:
    """ADMIN_TELEGRAM_IDS are admins from the first start; existing rows are promoted.

    A deactivated admin stays deactivated: someone took them off the line on purpose, and
    a restart must not quietly give a departed person their access back."""
    for telegram_id in telegram_ids:
        officer = (await session.exec(select(Officer).where(
            Officer.telegram_user_id == telegram_id))).first()
        if officer is None:
            session.add(Officer(telegram_user_id=telegram_id, name="Admin", role=Role.ADMIN,
                                created_at=now))
        elif not officer.active:
            log.warning("an account in ADMIN_TELEGRAM_IDS is deactivated and stays so "
                        "(reactivate it with `tipbot officer add --role admin`)")
        elif officer.role != Role.ADMIN:
            officer.role = Role.ADMIN


@dataclass(frozen=True)
class NewInvite:
    token: str
    expires_at: datetime
    role: str = Role.OFFICER      # what the link registers (an unknown role asked: officer)


async def create_invite(session: AsyncSession, *, vault: Vault, admin: Officer, role: str,
                        ttl: timedelta, now: datetime) -> NewInvite:
    """A one-time token; only its keyed hash is stored."""
    if admin.role != Role.ADMIN:
        raise PermissionError("only admins invite")
    if role not in ROLES:
        role = Role.OFFICER
    token = secrets.token_urlsafe(16)
    invite = Invite(token_hash=vault.lookup_hash("invite", token), role=role,
                    created_by_id=admin.id, created_at=now, expires_at=now + ttl)
    session.add(invite)
    session.add(AuditLog(at=now, officer_id=admin.id, action="invite", detail={"role": role}))
    return NewInvite(token, invite.expires_at, role)


async def redeem_invite(session: AsyncSession, *, vault: Vault, token: str, telegram_user_id: int,
                        name: str, now: datetime) -> Officer | None:
    """Registers whoever opens a valid invite; None if unknown, used or expired."""
    digest = vault.lookup_hash("invite", token)
    # One winner even if the link is opened twice at once.
    result = await session.exec(update(Invite).where(
        Invite.token_hash == digest, Invite.used_at == None,  # noqa: E711
        Invite.expires_at > now).values(used_at=now))
    if result.rowcount != 1:
        return None
    invite = (await session.exec(select(Invite).where(Invite.token_hash == digest))).one()
    existing = (await session.exec(select(Officer).where(
        Officer.telegram_user_id == telegram_user_id))).first()
    if existing is not None and existing.active:
        role = existing.role if ROLES.index(existing.role) >= ROLES.index(invite.role) else invite.role
        officer = await add_officer(session, telegram_user_id=telegram_user_id,
                                    name=existing.name, role=role, now=now)
    else:
        officer = await add_officer(session, telegram_user_id=telegram_user_id,
                                    name=name[:120] or "Officer", role=invite.role, now=now)
    invite.used_by_id = officer.id
    return officer


class RosterError(ValueError):
    """A line of the roster file is wrong; the message names the line."""


@dataclass(frozen=True)
class ShiftLine:
    telegram_id: int
    weekday: int
    start_minute: int
    end_minute: int
    region_code: str | None


def parse_roster(text: str) -> list[ShiftLine]:
    """The CSV described in this module's docstring, checked line by line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    needed = {"telegram_id", "weekday", "start", "end"}
    if not reader.fieldnames or not needed <= {f.strip() for f in reader.fieldnames}:
        raise RosterError("header must be: telegram_id,weekday,start,end,region_code")
    lines = []
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        try:
            lines.append(ShiftLine(int(row["telegram_id"]), _weekday(row["weekday"]),
                                   _minute(row["start"]), _minute(row["end"]),
                                   row.get("region_code") or None))
        except (KeyError, ValueError) as exc:
            raise RosterError(f"line {number}: {exc}") from None
    return lines


def _weekday(value: str) -> int:
    if is_plain_number(value) and 0 <= int(value) <= 6:
        return int(value)
    if value.lower() in DAY_NAMES:
        return DAY_NAMES[value.lower()]
    raise ValueError(f"unknown weekday {value!r}")


def _minute(value: str) -> int:
    hours, _, minutes = value.partition(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60) or h * 60 + m > 24 * 60:
        raise ValueError(f"time must be HH:MM, not {value!r}")
    return (h * 60 + m) % (24 * 60)


async def import_roster(session: AsyncSession, *, lines: list[ShiftLine], now: datetime) -> int:
    """Replace the shifts of every officer in ``lines``; returns the number of shifts."""
    by_telegram: dict[int, Officer] = {}
    for line in lines:
        if line.telegram_id not in by_telegram:
            officer = (await session.exec(select(Officer).where(
                Officer.telegram_user_id == line.telegram_id))).first()
            if officer is None:
                raise RosterError(f"no officer with telegram_id {line.telegram_id}; "
                                  "add them first with `tipbot officer add`")
            by_telegram[line.telegram_id] = officer
    officer_ids = [officer.id for officer in by_telegram.values()]
    if officer_ids:
        await session.exec(delete(RosterShift).where(RosterShift.officer_id.in_(officer_ids)))
    for line in lines:
        session.add(RosterShift(officer_id=by_telegram[line.telegram_id].id, weekday=line.weekday,
                                start_minute=line.start_minute, end_minute=line.end_minute,
                                region_code=line.region_code))
    session.add(AuditLog(at=now, action="roster_import", detail={"shifts": len(lines)}))
    return len(lines)


async def remember_prompt(session: AsyncSession, *, officer_id: int, kind: str,
                          report_id: int, message_id: int) -> None:
    """Where the question for the officer's pending input was shown, so that the answer
    replaces it (its buttons would only invite a second answer); the caller commits.
    Nothing when the officer moved on meanwhile."""
    officer = await session.get(Officer, officer_id)
    pending = officer.pending if officer is not None else None
    if pending and pending.get("kind") == kind and pending.get("report_id") == report_id:
        officer.pending = {**pending, "prompt": message_id}
