"""/ekspor and ``tipbot export``: the cases of a range as CSV or XLSX, streamed.

Rows are read with a streamed result (server-side cursor on PostgreSQL) in batches of
``batch_size`` and written out at once, so memory stays flat whatever the range; the
XLSX workbook is openpyxl's write-only kind, which spools rows to a temporary file.

Times are WIB wall-clock times. Durations are whole seconds between the truncated
timestamps (as in the statistics) and shown in minutes with one decimal.

Formulas never run, and phone numbers stay dialable and matchable. In CSV a text cell
that a spreadsheet would run as a formula (first character ``=``, ``+``, ``-``, ``@``,
tab or carriage return) gets a leading apostrophe, except a phone number (``+62812...``)
or coordinates: a sign, digits and separators compute nothing. In XLSX every text cell is written as a
text cell, never prefixed: ``=HYPERLINK(...)`` in a suspect's name is shown as typed.
Numbers we write ourselves are left as numbers.

CSV is written for the spreadsheet an Indonesian admin opens it in (``sep=";"``, the
default): Excel set to Indonesian splits columns at ``;`` and reads ``,`` as the decimal
mark, so minutes are written ``1,5``; a value of digits and signs that Excel would turn
into a number or a formula (``+6281...``, ``0812...``, ``-5.42917, 105.26111``) is written
as the text literal ``="+6281..."``, so a phone keeps its ``+`` and leading zero. A UTF-8
BOM lets Excel read the letters. ``sep=","`` writes a plain CSV for other programs
(decimal point, values as they are). No ``sep=`` hint line: with it Excel ignores the BOM.

Reporter name and phone are only written when a ``decrypt`` function is passed; the
caller passes one for admins only (see ``contacts_allowed``). Every export must be
recorded with ``record_export`` (``export_cases`` does both).
"""
from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import and_, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.analytics.period import WIB_OFFSET_SECONDS, DateRange, whole_seconds_between
from bot.engine.domain import Role
from bot.engine.form import STEPS, ExportColumn, Show, coarse_degrees
from bot.engine.i18n import N_, Translator
from bot.engine.labels import Labels
from models import AuditLog, Evidence, Officer, Report, ReportContact

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")
FORMULA_TRIGGERS = "=+-@\t\r"
# A phone number (+6281...) or coordinates (-5.42917, 105.26111): digits with a sign,
# spaces and separators compute nothing, so they are written as they are.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d .,]*")
# ";" for Excel in Indonesian (the default), "," for a plain CSV.
CSV_SEPARATORS = (";", ",")
XLSX_CELL_LIMIT = 32767

# (key, header msgid). Keys are stable; headers are translated when a Translator is given.
# A case's columns: what identifies it, then its answers in the form's order (each
# step's column is in bot.engine.form.STEPS), then what was done with it.
CASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_number", N_("Case number")),
    ("created_at", N_("Received (WIB)")),
)
WORK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", N_("Status")),
    ("status_reason", N_("Status reason")),
    ("assignee", N_("Assigned officer")),
    ("claimed_at", N_("Claimed (WIB)")),
    ("closed_at", N_("Closed (WIB)")),
    ("minutes_to_claim", N_("Minutes to claim")),
    ("minutes_to_close", N_("Minutes to close")),
    ("referred_to", N_("Referred to")),
)


def answer_exports() -> tuple[ExportColumn, ...]:
    """The export column of each step that has one, in the form's order."""
    return tuple(spec.export for spec in STEPS if spec.export is not None and not spec.secret)


def contact_exports() -> tuple[ExportColumn, ...]:
    """The reporter's name and number: only for an admin who asks (encrypted at rest)."""
    return tuple(spec.export for spec in STEPS if spec.export is not None and spec.secret)


def export_file_name(date_range: DateRange, fmt: str) -> str:
    """``kasus_2026-11-01_2026-11-30.xlsx``: the name the file is sent or saved under."""
    return f"kasus_{date_range.start.isoformat()}_{date_range.end.isoformat()}.{fmt}"


def contacts_allowed(role: str) -> bool:
    """Only admins may see reporters' contact data in an export."""
    return role == Role.ADMIN.value


def neutralize(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would treat as a formula (CSV)."""
    if value and value[0] in FORMULA_TRIGGERS and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def excel_text(value: str) -> str:
    """A text cell as Excel should show it: a formula start neutralized; digits and signs
    (a phone, coordinates) as the literal ``="..."``, or Excel would make a number of them
    (dropping the ``+`` and leading zeros) or run them as a sum. Nothing but digits, signs,
    spaces and separators ever goes inside the quotes."""
    if PLAIN_NUMBER.fullmatch(value):
        return f'="{value}"'
    return neutralize(value)


def columns(with_contacts: bool) -> tuple[tuple[str, str], ...]:
    """(key, header msgid) of every column, in order."""
    answers = tuple((c.key, c.header) for c in answer_exports())
    contacts = tuple((c.key, c.header) for c in contact_exports()) if with_contacts else ()
    return CASE_COLUMNS + answers + WORK_COLUMNS + contacts


def headers(with_contacts: bool, t: Translator | None = None) -> list[str]:
    return [t.gettext(msgid) if t else msgid for _, msgid in columns(with_contacts)]


TIME_KEYS = frozenset({"created_at", "claimed_at", "closed_at"})
# Written as they are (numbers, dates), never neutralised; and the answers shown so.
NUMBER_KEYS = frozenset({"minutes_to_claim", "minutes_to_close"})
NUMBER_SHOWS = (Show.NUMBER, Show.DATE)
_WIB_DELTA = timedelta(seconds=WIB_OFFSET_SECONDS)


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round(whole_seconds_between(start, end) / 60, 1)


def _wib(moment: datetime | None) -> datetime | None:
    # UTCDateTime always returns UTC, and WIB has no DST: a fixed shift, cheaper than
    # astimezone() on half a million rows.
    return None if moment is None else moment.replace(tzinfo=None) + _WIB_DELTA


@dataclass(frozen=True)
class ExportResult:
    rows: int
    fmt: str
    with_contacts: bool


# The case's own columns, read for CASE_COLUMNS and WORK_COLUMNS (positions below).
_CASE_FIELDS = (Report.case_number, Report.created_at, Report.status, Report.status_reason,
                Officer.name, Report.claimed_at, Report.closed_at, Report.referred_to)


def _answer_field(name: str):
    if name == "evidence_count":
        return (select(func.count()).select_from(Evidence)
                .where(Evidence.report_id == Report.id,
                       Evidence.is_description == False)  # noqa: E712
                .correlate(Report).scalar_subquery())
    return getattr(Report, name)


def _query(date_range: DateRange, with_contacts: bool):
    selected = list(_CASE_FIELDS)
    selected += [_answer_field(name) for c in answer_exports() for name in c.fields]
    if with_contacts:
        selected += [getattr(ReportContact, name) for c in contact_exports() for name in c.fields]
    query = (
        select(*selected)
        .select_from(Report)
        .outerjoin(Officer, Officer.id == Report.assignee_id)
        .where(and_(Report.created_at >= date_range.utc_start,
                    Report.created_at < date_range.utc_end))
        .order_by(Report.created_at, Report.id)
    )
    if with_contacts:
        query = query.outerjoin(ReportContact, ReportContact.report_id == Report.id)
    return query


class _Cached:
    """Labels per code, looked up once per export instead of once per row."""

    def __init__(self, function: Callable[[Translator, str], str | None] | None,
                 t: Translator | None) -> None:
        self.function, self.t, self.seen = function, t, {}

    def __call__(self, code: str | None) -> str | None:
        if self.function is None or code is None:
            return code
        if code not in self.seen:
            self.seen[code] = self.function(self.t, code)
        return self.seen[code]


async def iter_export_rows(
    session: AsyncSession,
    *,
    date_range: DateRange,
    t: Translator | None = None,
    labels: Labels | None = None,
    decrypt: Callable[[str], str] | None = None,
    batch_size: int = 1000,
) -> AsyncIterator[tuple[Any, ...]]:
    """The export's rows, values in ``columns(decrypt is not None)`` order, streamed in
    batches of ``batch_size`` from a server-side cursor.

    Values are plain (not yet neutralized): naive WIB datetimes, numbers, text or None.
    Category, status, region and referral are names for the reader when ``t`` is given
    (with the ``labels`` of the configured regions), codes otherwise.
    """
    with_contacts = decrypt is not None
    named = t is not None
    if named and labels is None:
        raise ValueError("names for the reader need the labels of the configured regions")
    category = _Cached(labels.category_label if named else None, t)
    region = _Cached(labels.region_label if named else None, t)
    status = _Cached(labels.status_label if named else None, t)
    referred = _Cached(labels.referral_label if named else None, t)
    country = _Cached((lambda tr, code: tr.country(code)) if t else None, t)
    yes_no = (t("Yes"), t("No")) if t else ("yes", "no")
    shown = {
        Show.CATEGORY: category,
        Show.REGION: region,
        Show.YES_NO: lambda value: yes_no[0] if value else yes_no[1],
        Show.LOCATION: _location,
        Show.COUNTRY: lambda code, typed: typed or (country(code) if code != "OTHER" else None),
    }
    answers: list[tuple[Callable[..., Any] | None, int, int]] = []
    position = len(_CASE_FIELDS)
    for column in answer_exports():
        answers.append((shown.get(column.show), position, position + len(column.fields)))
        position += len(column.fields)
    result = await session.stream(
        _query(date_range, with_contacts).execution_options(yield_per=batch_size)
    )
    try:
        async for partition in result.partitions(batch_size):
            for row in partition:
                created, claimed, closed = row[1], row[5], row[6]
                values = (row[0], _wib(created)) + tuple(
                    row[first] if show is None else show(*row[first:end])
                    for show, first, end in answers
                ) + (
                    status(row[2]), row[3], row[4], _wib(claimed), _wib(closed),
                    _minutes(created, claimed), _minutes(created, closed), referred(row[7]),
                )
                if with_contacts:
                    values += tuple(_safe_decrypt(decrypt, token) for token in row[position:])
                yield values
    finally:
        await result.close()


def _location(latitude: float | None, longitude: float | None) -> str | None:
    """``-5.43, 105.26``: the pin's area (about 1 km), never the pin itself, which only
    the officer handling the case sees."""
    if latitude is None or longitude is None:
        return None
    return f"{coarse_degrees(latitude):.2f}, {coarse_degrees(longitude):.2f}"


def _safe_decrypt(decrypt: Callable[[str], str], token: str | None) -> str | None:
    if not token:
        return None
    try:
        return decrypt(token)
    except Exception:  # a wrong key must not abort the whole export
        logger.warning("a reporter contact could not be decrypted during export")
        return None


def _kinds(with_contacts: bool) -> tuple[list[int], list[int]]:
    keys = [key for key, _ in columns(with_contacts)]
    numbers = NUMBER_KEYS | {c.key for c in answer_exports() if c.show in NUMBER_SHOWS}
    times = [i for i, key in enumerate(keys) if key in TIME_KEYS]
    texts = [i for i, key in enumerate(keys) if key not in TIME_KEYS | numbers]
    return times, texts


def _decimal_columns(with_contacts: bool) -> list[int]:
    return [i for i, (key, _) in enumerate(columns(with_contacts)) if key in NUMBER_KEYS]


async def write_csv(
    session: AsyncSession,
    out: BinaryIO,
    *,
    date_range: DateRange,
    t: Translator | None = None,
    labels: Labels | None = None,
    decrypt: Callable[[str], str] | None = None,
    batch_size: int = 1000,
    sep: str = ";",
) -> int:
    """Write the range's cases as UTF-8 CSV (with a BOM, for Excel) to ``out``; rows written.

    Times are ``YYYY-MM-DD HH:MM:SS`` in WIB; empty cells for missing values. ``sep``: ";"
    for Excel in Indonesian, "," for a plain CSV (see the module's docstring).
    """
    if sep not in CSV_SEPARATORS:
        raise ValueError(f"CSV separator must be one of {' '.join(CSV_SEPARATORS)}")
    for_excel = sep == ";"
    with_contacts = decrypt is not None
    times, texts = _kinds(with_contacts)
    decimals = _decimal_columns(with_contacts) if for_excel else []
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, delimiter=sep)
        writer.writerow(headers(with_contacts, t))
        count = 0
        async for values in iter_export_rows(session, date_range=date_range, t=t,
                                             labels=labels, decrypt=decrypt,
                                             batch_size=batch_size):
            cells = list(values)
            for i in times:
                if cells[i] is not None:
                    cells[i] = cells[i].isoformat(" ", "seconds")
            for i in texts:
                if cells[i]:
                    cells[i] = excel_text(cells[i]) if for_excel else neutralize(cells[i])
            for i in decimals:
                if isinstance(cells[i], float):
                    cells[i] = str(cells[i]).replace(".", ",")
            writer.writerow(cells)     # None is written as an empty cell
            count += 1
        text.flush()
    finally:
        text.detach()  # leave ``out`` open for the caller
    return count


def _xlsx_text(sheet, value: str):
    """A text cell: openpyxl would store a value starting with ``=`` as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT])
    cell.data_type = "s"
    return cell


async def write_xlsx(
    session: AsyncSession,
    out: BinaryIO | str | Path,
    *,
    date_range: DateRange,
    t: Translator | None = None,
    labels: Labels | None = None,
    decrypt: Callable[[str], str] | None = None,
    batch_size: int = 1000,
) -> int:
    """Write the range's cases as an XLSX workbook (write-only mode) to ``out``; rows written.

    Times are real spreadsheet dates (WIB wall-clock); text cells never hold a formula.
    """
    # openpyxl (and lxml) load with the first export an admin asks for, not with the bot.
    from openpyxl import Workbook

    with_contacts = decrypt is not None
    _times, texts = _kinds(with_contacts)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(t.gettext("Cases") if t else "Cases")[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_text(sheet, h) for h in headers(with_contacts, t)])
    count = 0
    async for values in iter_export_rows(session, date_range=date_range, t=t, labels=labels,
                                         decrypt=decrypt, batch_size=batch_size):
        cells = list(values)
        for i in texts:
            if cells[i]:
                cells[i] = _xlsx_text(sheet, cells[i])
        sheet.append(cells)
        count += 1
    workbook.save(out)
    return count


async def record_export(
    session: AsyncSession,
    *,
    officer_id: int | None,
    date_range: DateRange,
    fmt: str,
    rows: int,
    with_contacts: bool,
    now: datetime,
    channel: str = "telegram",
) -> AuditLog:
    """Write (and commit) the AuditLog row of one export."""
    entry = AuditLog(
        at=now, officer_id=officer_id, action="export",
        detail={**date_range.as_dict(), "format": fmt, "rows": rows,
                "with_contacts": with_contacts, "channel": channel},
    )
    session.add(entry)
    await session.commit()
    return entry


async def export_cases(
    session: AsyncSession,
    out: BinaryIO | str | Path,
    *,
    fmt: str,
    date_range: DateRange,
    officer_id: int | None,
    now: datetime,
    t: Translator | None = None,
    labels: Labels | None = None,
    decrypt: Callable[[str], str] | None = None,
    channel: str = "telegram",
    sep: str = ";",
) -> ExportResult:
    """Write the export in ``fmt`` ("csv" or "xlsx") and record it in the audit trail.
    ``sep`` is the CSV's separator (";" for Excel in Indonesian, "," plain)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (use csv or xlsx)")
    if fmt == "csv":
        if isinstance(out, (str, Path)):
            with open(out, "wb") as handle:
                rows = await write_csv(session, handle, date_range=date_range, t=t,
                                       labels=labels, decrypt=decrypt, sep=sep)
        else:
            rows = await write_csv(session, out, date_range=date_range, t=t, labels=labels,
                                   decrypt=decrypt, sep=sep)
    else:
        rows = await write_xlsx(session, out, date_range=date_range, t=t, labels=labels,
                                decrypt=decrypt)
    with_contacts = decrypt is not None
    await record_export(session, officer_id=officer_id, date_range=date_range, fmt=fmt,
                        rows=rows, with_contacts=with_contacts, now=now, channel=channel)
    return ExportResult(rows, fmt, with_contacts)
