"""Who is on duty: the weekly roster (WIB) and ad-hoc check-ins."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.engine.domain import CLOSED_STATUSES, Role
from bot.engine.i18n import WIB
from models import DutyCheckin, Officer, Report, RosterShift



def wib_position(now: datetime) -> tuple[int, int]:
    """(weekday, minute of the day) in WIB."""
    local = now.astimezone(WIB)
    return local.weekday(), local.hour * 60 + local.minute


def shift_covers(shift: RosterShift, now: datetime) -> bool:
    """True when ``now`` falls in the shift; a shift ending at or before its start runs
    past midnight into the next day."""
    weekday, minute = wib_position(now)
    if shift.end_minute > shift.start_minute:
        return shift.weekday == weekday and shift.start_minute <= minute < shift.end_minute
    if shift.weekday == weekday and minute >= shift.start_minute:
        return True
    return (shift.weekday + 1) % 7 == weekday and minute < shift.end_minute


def shift_end(shift: RosterShift, now: datetime) -> datetime:
    """When the shift covering ``now`` ends, in UTC."""
    local = now.astimezone(WIB)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end = midnight + timedelta(minutes=shift.end_minute)
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(now.tzinfo)


async def active_officers(session: AsyncSession, roles: Iterable[str] | None = None) -> list[Officer]:
    query = select(Officer).where(Officer.active == True, Officer.blocked == False)  # noqa: E712
    if roles is not None:
        query = query.where(Officer.role.in_(list(roles)))
    return list((await session.exec(query.order_by(Officer.id))).all())


async def on_duty_officers(session: AsyncSession, *, now: datetime,
                           region_code: str | None = None) -> list[Officer]:
    """Active, reachable officers with a shift covering now (in the region) or checked in."""
    return await on_duty_among(session, await active_officers(session), now=now,
                               region_code=region_code)


async def on_duty_among(session: AsyncSession, officers: list[Officer], *, now: datetime,
                        region_code: str | None = None) -> list[Officer]:
    """Those of ``officers`` (active and reachable, as active_officers gives them) with a
    shift covering now (in the region) or checked in."""
    if not officers:
        return []
    ids = [officer.id for officer in officers]
    shifts = (await session.exec(select(RosterShift).where(RosterShift.officer_id.in_(ids)))).all()
    covered = {s.officer_id for s in shifts if shift_covers(s, now)
               and (s.region_code is None or region_code is None or s.region_code == region_code)}
    checked_in = set((await session.exec(select(DutyCheckin.officer_id).where(
        DutyCheckin.officer_id.in_(ids), DutyCheckin.ended_at == None,  # noqa: E711
        (DutyCheckin.ends_at == None) | (DutyCheckin.ends_at > now)))).all())  # noqa: E711
    return [o for o in officers if o.id in covered or o.id in checked_in]


async def is_on_duty(session: AsyncSession, *, officer_id: int, now: datetime) -> bool:
    return any(o.id == officer_id for o in await on_duty_officers(session, now=now))


BOSS_ROLES = (Role.SUPERVISOR, Role.ADMIN)


async def supervisors_and_admins(session: AsyncSession) -> list[Officer]:
    return await active_officers(session, roles=BOSS_ROLES)


async def open_loads(session: AsyncSession, officer_ids: list[int]) -> dict[int, int]:
    """Open assigned cases per officer."""
    if not officer_ids:
        return {}
    rows = (await session.exec(
        select(Report.assignee_id, func.count()).where(
            Report.assignee_id.in_(officer_ids),
            Report.status.not_in([s.value for s in CLOSED_STATUSES]))
        .group_by(Report.assignee_id))).all()
    return {officer_id: count for officer_id, count in rows}


@dataclass(frozen=True)
class CheckinResult:
    checked_in: bool
    ends_at: datetime | None


async def toggle_checkin(session: AsyncSession, *, officer_id: int, now: datetime) -> CheckinResult:
    """/piket: check out if checked in; else check in until check-out or the end of the
    shift covering now."""
    open_rows = (await session.exec(select(DutyCheckin).where(
        DutyCheckin.officer_id == officer_id, DutyCheckin.ended_at == None,  # noqa: E711
        (DutyCheckin.ends_at == None) | (DutyCheckin.ends_at > now)))).all()  # noqa: E711
    if open_rows:
        for row in open_rows:
            row.ended_at = now
        return CheckinResult(False, None)
    shifts = (await session.exec(select(RosterShift).where(
        RosterShift.officer_id == officer_id))).all()
    ends_at = min((shift_end(s, now) for s in shifts if shift_covers(s, now)), default=None)
    session.add(DutyCheckin(officer_id=officer_id, started_at=now, ends_at=ends_at))
    return CheckinResult(True, ends_at)


async def roster(session: AsyncSession) -> list[tuple[RosterShift, Officer]]:
    """Every shift of an active officer, by weekday and start."""
    rows = (await session.exec(
        select(RosterShift, Officer).join(Officer, Officer.id == RosterShift.officer_id)
        .where(Officer.active == True)  # noqa: E712
        .order_by(RosterShift.weekday, RosterShift.start_minute, Officer.name))).all()
    return list(rows)


async def open_checkins(session: AsyncSession, *, now: datetime) -> list[tuple[DutyCheckin, Officer]]:
    rows = (await session.exec(
        select(DutyCheckin, Officer).join(Officer, Officer.id == DutyCheckin.officer_id)
        .where(DutyCheckin.ended_at == None,  # noqa: E711
               (DutyCheckin.ends_at == None) | (DutyCheckin.ends_at > now))  # noqa: E711
        .order_by(DutyCheckin.started_at))).all()
    return list(rows)
