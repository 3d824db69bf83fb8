"""People who report, and the form they are filling in."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Reporter(SQLModel, table=True):
    """A resident on some channel. Their chat address is kept only encrypted."""

    __tablename__ = "reporters"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(default="telegram", max_length=16)
    # Keyed hash of (channel, user id): finds the row without storing the id in clear.
    lookup_hash: str = Field(max_length=64, unique=True, index=True)
    chat_ref_enc: str = Field(sa_column=Column(Text, nullable=False))
    locale: str | None = Field(default=None, max_length=8)
    blocked: bool = False
    # What free text from this person means outside the form (e.g. a follow-up code).
    awaiting: str | None = Field(default=None, max_length=32)
    # Wrong follow-up codes typed from this account since code_failures_since (guessing
    # brake; see bot/services/abuse.py).
    code_failures: int = 0
    code_failures_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Something to tell them when they come back (e.g. their abandoned draft was deleted).
    notice: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # WhatsApp's 24-hour window: when they last wrote (set on that channel only), and when
    # the neutral template last told them there is news (once until they reply).
    last_message_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    nudged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Draft(SQLModel, table=True):
    """A report being written; saved after every answer so nothing is lost."""

    __tablename__ = "drafts"

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="reporters.id", unique=True, index=True)
    step: str = Field(max_length=32)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    history: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    editing: str | None = Field(default=None, max_length=16)  # summary section being changed
    # The answers that name the reporter (contact name and phone), encrypted.
    secret_enc: str | None = Field(default=None, sa_column=Column(Text))
    # A text typed mid-form on a channel without replies to messages (WhatsApp) while an
    # officer was writing to them: kept, encrypted, until they say whether it was for the
    # officer or for this report.
    pending_enc: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
