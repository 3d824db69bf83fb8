"""Outgoing messages (a persistent outbox) and the messages already sent."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Outbox(SQLModel, table=True):
    """A message to deliver; retried until sent, so nothing is lost on a failure."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Unique: the same reminder or alert can never be queued twice.
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    purpose: str = Field(max_length=16)
    officer_id: int | None = Field(default=None, foreign_key="officers.id")
    reporter_id: int | None = Field(default=None, foreign_key="reporters.id")
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    report_id: int | None = Field(default=None, foreign_key="reports.id", index=True)
    # The channel that carries it (its adapter renders and sends the row: see
    # bot/services/delivery.py). A row is an intent: what happened and to whom (purpose,
    # case, recipient, a few channel-neutral parameters), never a channel's markup.
    channel: str = Field(default="telegram", max_length=16,
                         sa_column_kwargs={"server_default": "telegram"})
    params: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # The words a person wrote (a relayed message, a caption), kept only encrypted and
    # erased once sent; everything else is rendered from the tables when sent.
    secret_enc: str | None = Field(default=None, sa_column=Column(Text))
    # Set when this entry edits a message already sent (a case card) instead of sending.
    edit_message_id: int | None = None
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_message_id: int | None = None
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CaseCard(SQLModel, table=True):
    """A message that shows a case (its card, its details, a reminder about it), so later
    changes edit the same message; ``digest`` is what it shows now, so an edit that would
    change nothing is never sent (Telegram refuses it: "message is not modified")."""

    __tablename__ = "case_cards"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    message_id: int
    officer_id: int | None = Field(default=None, foreign_key="officers.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(default="card", max_length=16, sa_column_kwargs={"server_default": "card"})
    # Keyed (HMAC) when the message shows the reporter's contact: a dump must not let
    # anyone confirm a guessed name or number against it.
    digest: str | None = Field(default=None, max_length=32)
    # Details too long for one message: its parts share ``view_key`` and are edited
    # together, each by its ``part`` (0 first); None for a message on its own.
    view_key: str | None = Field(default=None, max_length=16)
    part: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The details showed the contactable reporter's name and number to the officer handling
    # the case, so an edit shows them too (read from report_contacts, never kept here).
    shows_contact: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})


class RelayMessage(SQLModel, table=True):
    """A relayed message, so a reply to it reaches the right case."""

    __tablename__ = "relay_messages"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    side: str = Field(max_length=8)  # "reporter" or "officer": whose chat it is in
    chat_key: str = Field(max_length=64, index=True)
    message_id: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditLog(SQLModel, table=True):
    """Who did what sensitive thing (exports, role changes), and when."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    officer_id: int | None = Field(default=None, foreign_key="officers.id")
    action: str = Field(max_length=32)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class JobRun(SQLModel, table=True):
    """When a periodic job (the daily purge) last ran: one conditional UPDATE elects the
    process that runs it, so two bot processes never both do."""

    __tablename__ = "job_runs"

    name: str = Field(primary_key=True, max_length=32)
    last_run_at: datetime = Field(sa_type=UTCDateTime)


class SurgeWindow(SQLModel, table=True):
    """The surge brake's count (ALERTS_PER_MINUTE): the minute whose send slots are being
    handed out, and how many it has handed out. One row per purpose, moved in one UPDATE
    by every card queued, so reports submitted at the same moment each get a slot of
    their own (counting stored rows let them all read the same count)."""

    __tablename__ = "surge_windows"

    purpose: str = Field(primary_key=True, max_length=16)
    # Milliseconds since the epoch: the arithmetic is done by the database, the same in
    # SQLite and PostgreSQL.
    starts_at_ms: int = Field(sa_column=Column(BigInteger, nullable=False))
    taken: int
