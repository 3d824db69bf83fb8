"""The task force's register of licensed recruitment agencies (P3MI), their status
history, and the anonymous counts of the prevention tools."""
from __future__ import annotations

from datetime import date, datetime
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class Agency(SQLModel, table=True):
    """One office of a P3MI (its head office or a branch), as the register lists it."""

    __tablename__ = "agencies"
    # The import upserts on this key (NULL nib never collides: such rows key on sip3mi_no).
    __table_args__ = (UniqueConstraint("nib", "jenis_kantor", "kab_kota",
                                       name="uq_agencies_office"),)

    id: int | None = Field(default=None, primary_key=True)
    nib: str | None = Field(default=None, max_length=32, index=True)
    sip3mi_no: str | None = Field(default=None, max_length=120, index=True)
    nama: str = Field(max_length=200)
    alias: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    jenis_kantor: str = Field(max_length=8)            # pusat | cabang
    induk_nib: str | None = Field(default=None, max_length=32)
    alamat: str | None = Field(default=None, sa_column=Column(Text))
    kab_kota: str = Field(default="", max_length=120)
    provinsi: str | None = Field(default=None, max_length=120)
    status: str = Field(max_length=24)                  # aktif | dihentikan_sementara | dicabut
    status_mulai: date | None = None
    status_sampai: date | None = None
    no_sk: str | None = Field(default=None, max_length=200)
    sumber: str | None = Field(default=None, max_length=300)
    tgl_verifikasi: date | None = None
    # Normalised nama and aliases, written by the import: what a typed name is matched to.
    match_keys: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AgencyStatus(SQLModel, table=True):
    """Each status an office has had, in the order the imports saw them: never overwritten."""

    __tablename__ = "agency_status_history"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agencies.id", index=True)
    status: str = Field(max_length=24)
    status_mulai: date | None = None
    status_sampai: date | None = None
    no_sk: str | None = Field(default=None, max_length=200)
    sumber: str | None = Field(default=None, max_length=300)
    tgl_verifikasi: date | None = None
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PreventionCount(SQLModel, table=True):
    """How often a prevention tool was used on one WIB day, by outcome. Nothing else is
    kept: not who asked, not what they typed or answered."""

    __tablename__ = "prevention_counts"
    __table_args__ = (
        UniqueConstraint("day", "kind", "outcome", name="uq_prevention_counts"),
        Index("ix_prevention_counts_kind_day", "kind", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date
    kind: str = Field(max_length=24)        # agency_check | offer_check | guide_view
    outcome: str = Field(max_length=32)
    count: int = 0


__all__ = ["Agency", "AgencyStatus", "PreventionCount"]
