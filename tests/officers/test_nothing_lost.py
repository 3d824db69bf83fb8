"""Nothing is lost between reporter and officer: replies mid-form, the location pin,
captions, dialable phones in the export, and cases filed while nobody is registered."""
from __future__ import annotations

import asyncio
import io
import logging

from openpyxl import load_workbook
from sqlmodel import select

from models import CaseEvent, Draft, Evidence, Outbox, Report
from tests.helpers.form import ALL_DETAILS, walk_form
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import (
    FAST, all_rows, claim, deliver, exported_rows, make_officer, sweep, texts,
)



async def _report_through_the_form(reporter: Person, *, pin=True, photo_caption=None):
    """A whole report from the resident's side, with a pin and a captioned photo."""
    pin_ = dict(latitude=-5.42917, longitude=105.26111) if pin else None
    photo = dict(kind="photo", data=b"\xff\xd8form-photo", caption=photo_caption)
    await walk_form(reporter, pin=pin_, files=(photo,),
                    **{**ALL_DETAILS, "suspect_phone": "0812-7788-9900"})
    return await reporter.press("📨 Kirim laporan")


async def _claimed(tipbot, emu, **form):
    officer = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti")
    await _report_through_the_form(reporter, **form)
    await claim(tipbot, officer)
    return officer, reporter


async def _officer_asks(tipbot, officer, reporter, question: str):
    await officer.press("✉️ Kirim pesan ke pelapor", officer.message_with_button(
        "✉️ Kirim pesan ke pelapor"))
    await officer.say(question)
    await deliver(tipbot)
    return reporter.last


async def test_a_reply_to_the_officer_mid_form_reaches_the_officer(tipbot, emu):
    officer, reporter = await _claimed(tipbot, emu)
    question = await _officer_asks(tipbot, officer, reporter, "Apakah calonya masih aktif?")
    await reporter.say("/lapor")                                   # a second report begins
    async with tipbot.session() as session:
        assert (await session.exec(select(Draft))).one().step == "category"

    emu.send_text(reporter.user, "Masih aktif Pak, kemarin datang lagi.", reply_to=question)
    await deliver(tipbot)
    assert "Masih aktif Pak, kemarin datang lagi." in officer.last.text
    assert "Silakan pilih" not in reporter.last.text
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
        assert draft.step == "category" and draft.answers == {}

    # Plain text while the conversation is recent: the resident is asked which one it is.
    asked = await reporter.say("Dia pakai mobil hitam.")
    assert "untuk petugas" in asked.text.lower()
    assert [label for label, _ in asked.buttons] == ["✉️ Untuk petugas", "📝 Untuk laporan baru"]
    assert asked.reply_to is not None
    await reporter.press("✉️ Untuk petugas")
    await deliver(tipbot)
    assert "Dia pakai mobil hitam." in officer.last.text
    assert any("Apa yang ingin Anda laporkan" in text for text in texts(reporter)[-2:])

    # Meant for the report: it is taken as the answer to the current question.
    await reporter.say("Perekrut tanpa izin")
    before = len(officer.messages)
    await reporter.press("📝 Untuk laporan baru")
    await deliver(tipbot)
    assert len(officer.messages) == before
    assert any("tombol" in text for text in texts(reporter)[-2:])   # a category is a button
    kinds = [e.kind for e in await all_rows(tipbot, CaseEvent)]
    assert kinds.count("from_reporter") == 2
    assert emu.violations == []


async def test_the_pin_reaches_the_officer_and_the_export(tipbot, emu):
    officer, reporter = await _claimed(tipbot, emu, pin=True)
    card = officer.message_with_button("📄 Rincian")
    assert "Lokasi kejadian" in card.text
    details = "\n".join(m.html or m.text for m in officer.messages[-3:])
    assert "-5.42917,105.26111" in details
    assert "https://www.google.com/maps/search/?api=1" in details

    # The export (admins, supervisors) gets the area, about a kilometre; never the pin.
    admin, (row,) = await exported_rows(tipbot)
    # Text literals, so Excel keeps the + and runs no sum; the pin's area only (about 1 km).
    assert row["Lokasi, dibulatkan sekitar 1 km (lintang, bujur)"] == '="-5.43, 105.26"'
    assert row["Nomor telepon terlapor"] == '="+6281277889900"'     # no apostrophe
    assert row["Darurat"] == "Tidak"
    assert row["Jumlah korban"] == "3" and row["Negara tujuan"] == "Malaysia"
    assert row["Tanggal keberangkatan"] == "2027-01-15"
    assert row["Jumlah bukti"] == "1"
    assert row["Bersedia dihubungi"] == "Tidak"
    await admin.press("XLSX", message=admin.message_with_button("XLSX"))
    sheet = load_workbook(io.BytesIO(admin.last.file)).active
    rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1]))
    assert row["Nomor telepon terlapor"] == "+6281277889900"
    assert row["Lokasi, dibulatkan sekitar 1 km (lintang, bujur)"] == "-5.43, 105.26"
    assert "5.42917" not in str(rows) and "105.26111" not in str(rows)
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    assert emu.violations == []


async def test_captions_are_kept_and_shown_to_the_officer(tipbot, emu):
    officer, reporter = await _claimed(tipbot, emu, photo_caption="ini foto rumahnya")
    await reporter.send("photo", data=b"\xff\xd8later", caption="ini mobil calonya")
    await deliver(tipbot)
    notice = officer.last
    assert "ini mobil calonya" in notice.text
    await officer.press("📎 Bukti", notice)
    await deliver(tipbot)
    captions = [m.caption or "" for m in officer.messages if m.kind == "photo"]
    assert any("ini foto rumahnya" in c for c in captions)
    assert any("ini mobil calonya" in c for c in captions)
    rows = await all_rows(tipbot, Evidence)
    assert sorted(r.caption for r in rows) == ["ini foto rumahnya", "ini mobil calonya"]
    assert emu.violations == []


async def test_a_case_filed_with_nobody_registered_waits_for_the_first_officer(
        emu, engine, data_dir, key, caplog):
    caplog.set_level(logging.WARNING)
    running = await start_bot(emu, engine, data_dir, encryption_key=key, **FAST)
    emu.attach(running.app)
    await emu.settle()
    try:
        # The start-up job logs it; on a loaded machine it may come after the quiet window.
        for _ in range(200):
            if any("no active officer or admin" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.025)
        assert any("no active officer or admin" in r.getMessage() for r in caplog.records)
        reporter = Person(emu, first_name="Siti")
        receipt = await _report_through_the_form(reporter, pin=False)
        await deliver(running)
        async with running.session() as session:
            report = (await session.exec(select(Report))).one()
            assert report.case_number in receipt.text
            assert (await session.exec(select(Outbox).where(Outbox.purpose == "card"))).all() == []
        officer = await make_officer(running, "Budi")
        await sweep(running)
        card = officer.message_with_button("🙋 Ambil kasus")
        assert report.case_number in card.text
        await sweep(running)                                           # never twice
        assert len([m for m in officer.messages if m.buttons and report.case_number in m.text]) == 1
        assert emu.violations == []
    finally:
        await stop_bot(running)
