"""Submitted reports (cases), their evidence, contact details and timeline."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Report(SQLModel, table=True):
    """One case. Holds no identity of the reporter: see ReportContact and Reporter."""

    __tablename__ = "reports"
    # The statistics read these indexes alone (see bench/README.md for the figures).
    __table_args__ = (
        Index("ix_reports_created_category_urgent", "created_at", "category", "urgent"),
        Index("ix_reports_created_region", "created_at", "region_code"),
        Index("ix_reports_status_created", "status", "created_at"),
        Index("ix_reports_status_assignee", "status", "assignee_id"),
        Index("ix_reports_claim_seconds", "claim_seconds", "created_at"),
        Index("ix_reports_close_seconds", "close_seconds", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(max_length=24, unique=True, index=True)
    # What card buttons name the case by: random, so a case cannot be reached by
    # counting ids in forged callback data.
    card_token: str | None = Field(default_factory=lambda: secrets.token_urlsafe(9),
                                   max_length=24, unique=True, index=True)
    followup_hash: str = Field(max_length=64, unique=True, index=True)
    # The follow-up code, encrypted, only until the receipt carrying it is delivered.
    followup_enc: str | None = Field(default=None, sa_column=Column(Text))
    reporter_id: int | None = Field(default=None, foreign_key="reporters.id", index=True)
    locale: str = Field(default="id", max_length=8)
    # The channel the report came through (telegram, whatsapp): cards, statistics, exports.
    channel: str = Field(default="telegram", max_length=16,
                         sa_column_kwargs={"server_default": "telegram"})
    category: str = Field(max_length=32)
    urgent: bool = False
    region_code: str = Field(max_length=8)
    # The area of the reporter's pin, rounded to about a kilometre (for exports and
    # figures); the pin itself only in location_enc, encrypted, for the case's officer,
    # and gone with the purge.
    latitude: float | None = None
    longitude: float | None = None
    location_enc: str | None = Field(default=None, sa_column=Column(Text))
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    description_is_voice: bool = False
    suspect_name: str | None = Field(default=None, max_length=200)
    suspect_phone: str | None = Field(default=None, max_length=32, index=True)
    suspect_company: str | None = Field(default=None, max_length=200)
    suspect_social: str | None = Field(default=None, max_length=300)
    victim_count: int | None = None
    destination_country: str | None = Field(default=None, max_length=8)
    destination_other: str | None = Field(default=None, max_length=100)
    departure_date: date | None = None
    contactable: bool = False
    status: str = Field(default="new", max_length=16)
    status_reason: str | None = Field(default=None, sa_column=Column(Text))
    referred_to: str | None = Field(default=None, max_length=16)
    assignee_id: int | None = Field(default=None, foreign_key="officers.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Whole seconds from created_at to claimed_at / closed_at, written with them: the
    # response-time percentiles walk an index of these instead of sorting every case.
    claim_seconds: int | None = None
    close_seconds: int | None = None
    last_activity_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The assignee snoozed the case's reminders until then (1 h or 4 h from a card).
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when RETENTION_AFTER_CLOSE removed the reporter's link, contact, messages and files.
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReportContact(SQLModel, table=True):
    """Name and phone of a reporter who chose to be contactable, encrypted at rest."""

    __tablename__ = "report_contacts"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", unique=True)
    name_enc: str = Field(sa_column=Column(Text, nullable=False))
    phone_enc: str = Field(sa_column=Column(Text, nullable=False))


class Evidence(SQLModel, table=True):
    """A file the reporter sent, stored under DATA_DIR with its digest."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int | None = Field(default=None, foreign_key="reports.id", index=True)
    draft_id: int | None = Field(default=None, index=True)
    kind: str = Field(max_length=16)
    mime_type: str | None = Field(default=None, max_length=100)
    # Not kept any more (a file name can name its author); the column stays for old rows.
    file_name: str | None = Field(default=None, max_length=255)
    size: int
    # HMAC (lookup key) of the cleaned content's SHA-256: integrity without a fingerprint.
    sha256: str = Field(max_length=64)
    path: str = Field(max_length=500)
    is_description: bool = False
    # What the reporter wrote under the file ("ini foto rumahnya"); shown with it.
    caption: str | None = Field(default=None, sa_column=Column(Text))
    # False when its metadata could not be removed (video, unknown types): officers are warned.
    cleaned: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CaseEvent(SQLModel, table=True):
    """The case's timeline: created, alerted, claimed, status changes, notes, messages."""

    __tablename__ = "case_events"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: str = Field(max_length=32)
    officer_id: int | None = Field(default=None, foreign_key="officers.id")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ReportLink(SQLModel, table=True):
    """Two reports that name the same phone number or a similar person/agency."""

    __tablename__ = "report_links"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    other_id: int = Field(foreign_key="reports.id", index=True)
    reason: str = Field(max_length=16)
    score: float = 100.0


class EvidenceFile(SQLModel, table=True):
    """A stored file's bytes, encrypted (Fernet), named by Evidence.path (several evidence
    rows may name one file). In the database, not on one machine's disk: any instance can
    send it, and the purge deletes it everywhere."""

    __tablename__ = "evidence_files"

    path: str = Field(primary_key=True, max_length=500)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
