"""Admins and supervisors review figures, charts, exports and histories from Telegram."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from PIL import Image

from models import AuditLog, Officer, ReportLink
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, deliver, file_report, make_officer


async def _reports(tipbot, emu, n=3):
    reporter = Person(emu, first_name="Siti", started=True)
    return [await file_report(tipbot, reporter, description=f"Calo ke-{i} menawarkan kerja.")
            for i in range(n)]


async def test_statistik_shows_figures_ranges_and_charts(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    await _reports(tipbot, emu)
    figures = await admin.say("/statistik")
    assert "Statistik layanan pengaduan" in figures.text
    assert "3 laporan" in figures.text
    assert "Perekrut tanpa izin (calo)" in "\n".join(m.text for m in admin.messages)
    month = await admin.press("30 hari")
    assert "3 laporan" in month.text
    before = len(admin.messages)
    await admin.press("📊 Grafik")
    photos = [m for m in admin.messages[before:] if m.kind == "photo"]
    assert len(photos) == 2
    assert all(p.file.startswith(b"\x89PNG") and len(p.file) > 5000 for p in photos)
    assert "Laporan per hari menurut kategori" in photos[0].caption
    # Each caption names what its image's title says (the title is the PNG's description).
    titles = [Image.open(io.BytesIO(p.file)).text["Description"].split("\n")[0] for p in photos]
    assert titles == ["Laporan per hari menurut kategori", "Laporan per kabupaten/kota"]
    assert [p.caption.split(",")[0] for p in photos] == titles
    assert emu.violations == []


async def test_ekspor_sends_csv_and_xlsx_and_records_the_audit_trail(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    reports = await _reports(tipbot, emu, n=2)
    offer = await admin.say("/ekspor")
    assert "Pilih format" in offer.text and "data kontak" in offer.text
    document = await admin.press("CSV")
    assert document.kind == "document" and "2 kasus" in document.caption
    rows = list(csv.reader(io.StringIO(document.file.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert {r[0] for r in rows[1:]} == {r.case_number for r in reports}
    await admin.press("XLSX", message=offer)
    workbook = load_workbook(io.BytesIO(admin.last.file), read_only=True)
    assert len(list(workbook.active.iter_rows())) == 3
    audits = [a for a in await all_rows(tipbot, AuditLog) if a.action == "export"]
    assert [(a.action, a.detail["format"], a.officer_id) for a in audits] == [
        ("export", "csv", admin.officer_id), ("export", "xlsx", admin.officer_id)]


async def test_supervisor_export_has_no_contact_columns(tipbot, emu):
    supervisor = await make_officer(tipbot, "Sari", role="supervisor", shift=False)
    await _reports(tipbot, emu, n=1)
    offer = await supervisor.say("/ekspor 30")
    assert "data kontak" not in offer.text
    document = await supervisor.press("CSV")
    header = next(csv.reader(io.StringIO(document.file.decode("utf-8-sig")), delimiter=";"))
    assert not any("pelapor" in column.lower() for column in header)
    exports = [a for a in await all_rows(tipbot, AuditLog) if a.action == "export"]
    assert [a.detail["with_contacts"] for a in exports] == [False]


async def test_plain_officers_and_residents_are_refused(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    resident = Person(emu, first_name="Warga")
    for person in (officer, resident):
        for command in ("/statistik", "/ekspor", "/riwayat LPG-2611-AAAAA", "/terlapor"):
            reply = await person.say(command)
            assert "hanya untuk admin dan supervisor" in reply.text, command
    assert [a for a in await all_rows(tipbot, AuditLog) if a.action == "export"] == []


async def test_a_demoted_admin_cannot_use_an_old_export_button(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    await admin.say("/ekspor")
    async with tipbot.session() as session:
        officer = await session.get(Officer, admin.officer_id)
        officer.role = "officer"
        await session.commit()
    refused = await admin.press("CSV")
    assert refused.kind == "text" and "hanya untuk admin" in refused.text
    assert [a for a in await all_rows(tipbot, AuditLog) if a.action == "export"] == []


async def test_riwayat_shows_the_timeline_and_related_cases(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    officer = await make_officer(tipbot, "Budi")
    first, second = await _reports(tipbot, emu, n=2)
    assert await all_rows(tipbot, ReportLink)
    await officer.press("🙋 Ambil kasus", message=officer.message_with_button("🙋 Ambil kasus"))
    await deliver(tipbot)
    history = await admin.say(f"/riwayat {second.case_number.lower()}")
    text = "\n".join(m.text for m in admin.messages[-2:])
    assert second.case_number in text and first.case_number in text
    assert "Laporan diterima" in text
    assert history.text
    missing = await admin.say("/riwayat LPG-0000-AAAAA")
    assert "Tidak ada kasus" in missing.text


async def test_terlapor_lists_the_most_reported(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    await _reports(tipbot, emu, n=3)
    top = await admin.say("/terlapor")
    text = "\n".join(m.text for m in admin.messages[-2:])
    assert "+6281234567890" in text and "Joko" in text
    assert top.text
