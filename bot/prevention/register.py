"""The licensed-agency register: reading the task force's CSV, upserting it with the
status history kept, and looking offices up by number or name.

CSV (UTF-8, header row): ``nib,sip3mi_no,nama,alias,jenis_kantor,induk_nib,alamat,kab_kota,
provinsi,status,status_mulai,status_sampai,no_sk,sumber,tgl_verifikasi``. ``alias``: several
separated by ``;``. ``jenis_kantor``: ``pusat`` or ``cabang``. ``status``: ``aktif``,
``dihentikan_sementara`` or ``dicabut``. Dates ``YYYY-MM-DD``. Rows upsert on (nib,
jenis_kantor, kab_kota), or (sip3mi_no, jenis_kantor, kab_kota) when the NIB is not known.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.prevention.names import (
    MAX_SUGGESTIONS, digits_of, near_keys, normalize_name, number_key, words_of,
)
from bot.engine.sanitize import clean_line
from models import Agency, AgencyStatus

COLUMNS = ("nib", "sip3mi_no", "nama", "alias", "jenis_kantor", "induk_nib", "alamat",
           "kab_kota", "provinsi", "status", "status_mulai", "status_sampai", "no_sk", "sumber",
           "tgl_verifikasi")
OFFICE_KINDS = ("pusat", "cabang")
STATUSES = ("aktif", "dihentikan_sementara", "dicabut")
DATE_COLUMNS = ("status_mulai", "status_sampai", "tgl_verifikasi")
# A change of any of these is a new line in the office's status history.
STATUS_FIELDS = ("status", "status_mulai", "status_sampai", "no_sk")
DATA_FIELDS = ("sip3mi_no", "nib", "nama", "alias", "jenis_kantor", "induk_nib", "alamat",
               "kab_kota", "provinsi", *STATUS_FIELDS, "sumber", "tgl_verifikasi")


class RegisterFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, a column missing)."""


@dataclass
class ImportResult:
    added: list[tuple[int, str]] = field(default_factory=list)       # (line, office)
    changed: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)     # (line, why)


def _blank_to_none(value: str | None) -> str | None:
    value = clean_line(value or "")     # officers' cards and residents read these
    return value or None


def _row_values(row: dict[str, str]) -> dict:
    """One CSV row as column values; raises ValueError saying what is wrong."""
    values = {name: _blank_to_none(row.get(name)) for name in COLUMNS}
    if not values["nib"] and not values["sip3mi_no"]:
        raise ValueError("neither nib nor sip3mi_no is given")
    if values["nib"]:
        values["nib"] = values["nib"].replace(" ", "")
        if not values["nib"].isdigit():
            raise ValueError(f"nib must be digits: {values['nib']!r}")
    if not values["nama"]:
        raise ValueError("nama is empty")
    kind = (values["jenis_kantor"] or "").lower()
    if kind not in OFFICE_KINDS:
        raise ValueError(f"jenis_kantor must be pusat or cabang: {values['jenis_kantor']!r}")
    values["jenis_kantor"] = kind
    status = (values["status"] or "").lower()
    if status not in STATUSES:
        raise ValueError("status must be aktif, dihentikan_sementara or dicabut: "
                         f"{values['status']!r}")
    values["status"] = status
    for name in DATE_COLUMNS:
        if values[name]:
            try:
                values[name] = date.fromisoformat(values[name])
            except ValueError:
                raise ValueError(f"{name} is not a YYYY-MM-DD date: {values[name]!r}") from None
    values["alias"] = [a.strip() for a in (values["alias"] or "").split(";") if a.strip()]
    values["kab_kota"] = values["kab_kota"] or ""
    return values


def parse_register(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """Rows (with their line numbers) and refused lines (line, why)."""
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale saves "CSV" with semicolons; the header tells which.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as exc:
        raise RegisterFileError(f"line {reader.line_num}: {exc}") from None
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise RegisterFileError("missing column(s): " + ", ".join(missing))
    rows, refused = [], []
    for start, end, fields in _records(reader):
        if not any(value.strip() for value in fields):
            continue
        if end > start:
            # No field of the register spans lines: a quote left open read the lines
            # after it into this record, and they would be lost without a word.
            refused.append((start, f"lines {start}-{end} were read as one record: a quote "
                                   f"(\") opened on line {start} is not closed, so lines "
                                   f"{start + 1}-{end} are inside it; close the quote"))
            continue
        try:
            rows.append((start, _row_values(dict(zip(header, fields)))))
        except ValueError as exc:
            refused.append((start, str(exc)))
    return rows, refused


def _records(reader) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each record; every line belongs to one."""
    previous = reader.line_num
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RegisterFileError(f"lines {previous + 1}-{reader.line_num}: {exc}") from None
        yield previous + 1, reader.line_num, fields
        previous = reader.line_num


def match_keys_of(nama: str, aliases: list[str]) -> list[str]:
    keys = []
    for name in [nama, *aliases]:
        key = normalize_name(name)
        if key and key not in keys:
            keys.append(key)
    return keys


def office_label(agency: Agency) -> str:
    return f"{agency.nama} ({agency.jenis_kantor}, {agency.kab_kota or '-'})"


async def _existing(session: AsyncSession, values: dict) -> Agency | None:
    query = select(Agency).where(Agency.jenis_kantor == values["jenis_kantor"],
                                 Agency.kab_kota == values["kab_kota"])
    if values["nib"]:
        query = query.where(Agency.nib == values["nib"])
    else:
        query = query.where(Agency.nib.is_(None), Agency.sip3mi_no == values["sip3mi_no"])
    return (await session.exec(query)).first()


def _history_row(agency: Agency, now: datetime) -> AgencyStatus:
    return AgencyStatus(agency_id=agency.id, status=agency.status,
                        status_mulai=agency.status_mulai, status_sampai=agency.status_sampai,
                        no_sk=agency.no_sk, sumber=agency.sumber,
                        tgl_verifikasi=agency.tgl_verifikasi, recorded_at=now)


async def import_register(session: AsyncSession, *, text: str, now: datetime) -> ImportResult:
    """Upsert every good row; a status change adds to the history, never overwrites it.
    Raises RegisterFileError when the file cannot be read at all. The caller commits."""
    rows, refused = parse_register(text)
    result = ImportResult(refused=refused)
    for line, values in rows:
        agency = await _existing(session, values)
        keys = match_keys_of(values["nama"], values["alias"])
        if agency is None:
            agency = Agency(**values, match_keys=keys, created_at=now, updated_at=now)
            session.add(agency)
            await session.flush()
            session.add(_history_row(agency, now))
            result.added.append((line, office_label(agency)))
            continue
        status_changed = any(getattr(agency, name) != values[name] for name in STATUS_FIELDS)
        if not any(getattr(agency, name) != values[name] for name in DATA_FIELDS):
            result.unchanged += 1
            continue
        for name in DATA_FIELDS:
            setattr(agency, name, values[name])
        agency.match_keys, agency.updated_at = keys, now
        if status_changed:
            session.add(_history_row(agency, now))
        result.changed.append((line, office_label(agency)))
    await session.flush()
    return result


async def list_agencies(session: AsyncSession) -> list[Agency]:
    return list((await session.exec(select(Agency).order_by(Agency.nama, Agency.jenis_kantor,
                                                            Agency.kab_kota))).all())


async def status_history(session: AsyncSession, agency_id: int) -> list[AgencyStatus]:
    return list((await session.exec(select(AgencyStatus).where(
        AgencyStatus.agency_id == agency_id).order_by(AgencyStatus.id))).all())


async def register_date(session: AsyncSession) -> date | None:
    """The latest verification date in the register: what "per <date>" refers to."""
    return (await session.exec(select(func.max(Agency.tgl_verifikasi)))).one()


async def register_loaded(session: AsyncSession) -> bool:
    return (await session.exec(select(Agency.id).limit(1))).first() is not None


# --- looking up ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Lookup:
    """What the register says about a typed name or number."""

    offices: list[Agency]                  # identical key or number: the answer
    suggestions: list[Agency]              # near names: "Maksud Anda…?"

    @property
    def found(self) -> bool:
        return bool(self.offices)


def _by_number(agencies: list[Agency], digits: str, compact: str) -> list[Agency]:
    hits = [a for a in agencies if a.nib and a.nib == digits]
    if hits:
        return hits
    return [a for a in agencies if a.sip3mi_no and (
        digits_of(a.sip3mi_no) == digits or "".join(words_of(a.sip3mi_no)) == compact)]


async def find_agency(session: AsyncSession, query: str) -> Lookup:
    """Number first (NIB, then SIP3MI), then the name: identical key, else near keys."""
    # The register is small (hundreds of offices): matching in memory is the simple way.
    agencies = list((await session.exec(select(Agency).order_by(Agency.id))).all())
    digits = number_key(query)
    if digits:
        return Lookup(_by_number(agencies, digits, "".join(words_of(query))), [])
    key = normalize_name(query)
    if not key:
        return Lookup([], [])
    exact = [a for a in agencies if key in a.match_keys]
    if exact:
        return Lookup(exact, [])
    flat = [(agency, k) for agency in agencies for k in agency.match_keys]
    seen: dict[str, Agency] = {}     # one suggestion per firm name, not per office
    for index, _score in near_keys(key, [k for _a, k in flat]):
        agency = flat[index][0]
        seen.setdefault(normalize_name(agency.nama), agency)
    return Lookup([], list(seen.values())[:MAX_SUGGESTIONS])


async def agencies_by_ids(session: AsyncSession, ids: list[int]) -> list[Agency]:
    if not ids:
        return []
    return list((await session.exec(select(Agency).where(Agency.id.in_(ids))
                                   .order_by(Agency.id))).all())


async def offices_of_firm(session: AsyncSession, agency_id: int) -> list[Agency]:
    """The office chosen from "Maksud Anda…?" and every other office under the same name."""
    chosen = await session.get(Agency, agency_id)
    if chosen is None:
        return []
    key = normalize_name(chosen.nama)
    agencies = (await session.exec(select(Agency).order_by(Agency.id))).all()
    return [a for a in agencies if a.id == chosen.id or key in a.match_keys]
