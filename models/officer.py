"""Task-force officers, their invitations and duty."""
from __future__ import annotations

from datetime import datetime

from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Officer(SQLModel, table=True):
    __tablename__ = "officers"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    name: str = Field(max_length=120)
    role: str = Field(default="officer", max_length=16)
    active: bool = True
    blocked: bool = False
    locale: str | None = Field(default=None, max_length=8)
    last_routed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What the officer's next text means (a reason, a note, a message to a reporter),
    # kept here so a restart between the button and the typing loses nothing.
    pending: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # What they sent with no pending action, kept (encrypted) for their one open case
    # until they choose: {"report_id", "kept_enc"}. Apart from ``pending``, so a reason,
    # note or message started meanwhile never replaces it.
    unsent: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Invite(SQLModel, table=True):
    """A one-time, expiring link that registers whoever opens it as an officer."""

    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    role: str = Field(default="officer", max_length=16)
    created_by_id: int | None = Field(default=None, foreign_key="officers.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_by_id: int | None = Field(default=None, foreign_key="officers.id")
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RosterShift(SQLModel, table=True):
    """A weekly shift in WIB; minutes since midnight so both databases agree."""

    __tablename__ = "roster_shifts"

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officers.id", index=True)
    weekday: int  # Monday is 0
    start_minute: int
    end_minute: int
    region_code: str | None = Field(default=None, max_length=8)


class DutyCheckin(SQLModel, table=True):
    """An ad-hoc check-in; holds until check-out or the end of the officer's shift."""

    __tablename__ = "duty_checkins"

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officers.id", index=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
