"""CSV and XLSX exports: columns, WIB times, escaping, formula neutralization, audit."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.analytics.export import (
    columns, contacts_allowed, export_cases, export_file_name, neutralize, write_csv,
    write_xlsx,
)
from bot.analytics.period import DateRange
from bot.engine.i18n import get_translator
from bot.engine.labels import Labels
from bot.engine.regions import load_regions
from models import AuditLog, ReportContact
from tests.helpers.analytics import make_officer, make_report, utc

NOV = DateRange(date(2026, 11, 1), date(2026, 11, 30))
NOW = utc(2026, 11, 30, 5, 0)
HYPERLINK = '=HYPERLINK("http://evil.example","klik")'


def reverse(text: str) -> str:
    """A stand-in for Vault.decrypt."""
    return text[::-1]


@pytest.fixture
async def cases(session):
    andi = await make_officer(session, "Andi, \"Koordinator\"")
    first = await make_report(
        session, created_at=utc(2026, 11, 27, 17, 30), case_number="LPG-2611-AAAA1",
        category="calo", region_code="1804", status="resolved", claim_after=90,
        close_after=7200, assignee=andi, suspect_name=HYPERLINK, suspect_phone="+6281234567890",
        suspect_company="-1", suspect_social="@SUM(A1:A9)", urgent=True, contactable=True)
    session.add(ReportContact(report_id=first.id, name_enc=reverse("Siti =1+1"),
                              phone_enc=reverse("+62 811 000")))
    await make_report(session, created_at=utc(2026, 11, 28, 3, 0), case_number="LPG-2611-AAAA2",
                      category="fake_job", region_code="OUT",
                      suspect_company="PT Maju, Jaya\nBaris dua")
    for hour in range(5):
        await make_report(session, created_at=utc(2026, 11, 29, hour, 0),
                          case_number=f"LPG-2611-BULK{hour}")
    # Outside the range (1 Dec 00:30 WIB).
    await make_report(session, created_at=utc(2026, 11, 30, 17, 30), case_number="LPG-2612-OUT01")
    await session.commit()


def test_neutralize_prefixes_only_formula_starts():
    assert neutralize("=1+1") == "'=1+1"
    assert neutralize("+6281234") == "+6281234"          # a phone stays dialable
    assert neutralize("+62 811 000") == "+62 811 000"
    assert neutralize("+1-1") == "'+1-1"
    assert neutralize("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert neutralize("-1") == "-1"                      # a number, not a formula
    assert neutralize("-2+3") == "'-2+3"
    assert neutralize("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize("\t=1") == "'\t=1"
    assert neutralize("Budi = calo") == "Budi = calo"
    assert neutralize("") == ""
    assert contacts_allowed("admin") and not contacts_allowed("supervisor")
    assert export_file_name(NOV, "xlsx") == "kasus_2026-11-01_2026-11-30.xlsx"


async def test_plain_csv_has_the_columns_wib_times_and_neutralized_cells(session, cases):
    out = io.BytesIO()
    rows = await write_csv(session, out, date_range=NOV, batch_size=2, sep=",")
    assert rows == 7
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")   # BOM, so Excel reads UTF-8
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, first, second = table[0], table[1], table[2]
    assert header == [msgid for _, msgid in columns(False)]
    assert "Reporter name" not in header
    row = dict(zip(header, first))
    assert row["Case number"] == "LPG-2611-AAAA1"
    assert row["Received (WIB)"] == "2026-11-28 00:30:00"       # 27 Nov 17:30 UTC
    assert row["Claimed (WIB)"] == "2026-11-28 00:31:30"
    assert row["Minutes to claim"] == "1.5"
    assert row["Minutes to close"] == "120.0"
    assert row["Assigned officer"] == 'Andi, "Koordinator"'      # quoting survives
    assert row["Urgent"] == "yes"
    assert row["Reported person"] == "'" + HYPERLINK
    assert row["Reported phone number"] == "+6281234567890"
    assert row["Reported agency/company"] == "-1"
    assert row["Reported social media account"] == "'@SUM(A1:A9)"
    assert dict(zip(header, second))["Reported agency/company"] == "PT Maju, Jaya\nBaris dua"
    assert [r[0] for r in table[1:]] == ["LPG-2611-AAAA1", "LPG-2611-AAAA2"] + [
        f"LPG-2611-BULK{h}" for h in range(5)]


async def test_csv_for_an_indonesian_excel_splits_at_semicolons_and_keeps_phones_as_text(
        session, cases):
    """Excel set to Indonesian reads ";" as the column separator and "," as the decimal
    mark; "+62..." or "0812..." bare would become a number (the + and the 0 lost)."""
    out = io.BytesIO()
    await write_csv(session, out, date_range=NOV, decrypt=reverse)     # the default
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbfCase number;Received (WIB);")
    assert b"sep=" not in raw           # with a sep= line Excel would ignore the BOM
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    row = dict(zip(table[0], table[1]))
    assert row["Minutes to claim"] == "1,5" and row["Minutes to close"] == "120,0"
    assert row["Reported phone number"] == '="+6281234567890"'
    assert row["Reporter phone"] == '="+62 811 000"'
    assert row["Reported agency/company"] == '="-1"'
    assert row["Reported person"] == "'" + HYPERLINK             # still never a formula
    assert row["Reported social media account"] == "'@SUM(A1:A9)"
    assert row["Assigned officer"] == 'Andi, "Koordinator"'
    assert dict(zip(table[0], table[2]))["Reported agency/company"] == "PT Maju, Jaya\nBaris dua"
    # Only digits, signs, spaces and separators are ever put inside a ="..." literal.
    literals = [cell for line in table for cell in line if cell.startswith("=")]
    assert literals and all(re.fullmatch(r'="[+-]?\d[\d .,]*"', cell) for cell in literals)
    with pytest.raises(ValueError):
        await write_csv(session, io.BytesIO(), date_range=NOV, sep="\t")


async def test_csv_contacts_only_with_a_decrypt_function(session, cases):
    out = io.BytesIO()
    await write_csv(session, out, date_range=NOV, decrypt=reverse, sep=",")
    table = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    header = table[0]
    assert header[-2:] == ["Reporter name", "Reporter phone"]
    first = dict(zip(header, table[1]))
    assert first["Reporter name"] == "Siti =1+1"
    assert first["Reporter phone"] == "+62 811 000"
    assert dict(zip(header, table[2]))["Reporter name"] == ""


async def test_translated_headers_and_labels(session, cases):
    out = io.BytesIO()
    await write_csv(session, out, date_range=NOV, t=get_translator("id"),
                    labels=Labels(load_regions()))
    table = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline=""),
                            delimiter=";"))
    assert table[0][:3] == ["Nomor kasus", "Diterima (WIB)", "Kategori"]
    region = [key for key, _ in columns(False)].index("region")
    assert table[1][region] == "Kabupaten Lampung Timur"      # the name, not the code 1804


async def test_xlsx_cells_are_typed_and_formulas_neutralized(session, cases, tmp_path):
    path = tmp_path / "kasus.xlsx"
    rows = await write_xlsx(session, path, date_range=NOV, decrypt=reverse, batch_size=3)
    assert rows == 7
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    assert header == [msgid for _, msgid in columns(True)]
    first = dict(zip(header, values[1]))
    assert first["Received (WIB)"] == datetime(2026, 11, 28, 0, 30)
    assert first["Minutes to claim"] == 1.5
    # Text cells as typed, never prefixed: formulas are text cells, phones stay dialable.
    assert first["Reported person"] == HYPERLINK
    assert first["Reported phone number"] == "+6281234567890"
    assert first["Reported agency/company"] == "-1"
    assert first["Reported social media account"] == "@SUM(A1:A9)"
    assert first["Reporter name"] == "Siti =1+1"
    # No cell anywhere is stored as a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert len(values) == 8


async def test_export_is_recorded_in_the_audit_trail(session, cases, tmp_path):
    admin = await make_officer(session, "Admin", role="admin")
    await session.commit()
    result = await export_cases(session, tmp_path / "kasus.csv", fmt="csv", date_range=NOV,
                                officer_id=admin.id, now=NOW, decrypt=reverse)
    assert (result.rows, result.fmt, result.with_contacts) == (7, "csv", True)
    await export_cases(session, io.BytesIO(), fmt="xlsx", date_range=NOV, officer_id=admin.id,
                       now=NOW)
    entries = (await session.exec(select(AuditLog).order_by(AuditLog.id))).all()
    assert [e.action for e in entries] == ["export", "export"]
    assert entries[0].officer_id == admin.id
    assert entries[0].detail == {"from": "2026-11-01", "to": "2026-11-30", "format": "csv",
                                 "rows": 7, "with_contacts": True, "channel": "telegram"}
    assert entries[1].detail["format"] == "xlsx" and not entries[1].detail["with_contacts"]
    with pytest.raises(ValueError):
        await export_cases(session, io.BytesIO(), fmt="pdf", date_range=NOV, officer_id=None,
                           now=NOW)
