"""A resident files a report through Telegram, end to end."""
from __future__ import annotations

from sqlmodel import select

from bot.engine.form_types import Step
from models import CaseEvent, Draft, Evidence, Report, ReportContact, Reporter
from tests.helpers.form import ALL_DETAILS, FAKE_PHOTO, SITI, STORY, walk_form


async def test_resident_files_a_complete_report_and_gets_a_receipt(tipbot, resident):
    start = await resident.say("/start")
    assert "Satgas Perlindungan" in start.text
    assert any(text == "📝 Buat laporan" for text, _ in start.buttons)

    summary = await walk_form(resident, **ALL_DETAILS, files=(FAKE_PHOTO,), contact=SITI)
    assert "Mohon periksa kembali laporan Anda" in summary.text
    assert "Pak Joko" in summary.text and "0812-3456-7890" in summary.text
    assert "Malaysia" in summary.text and "15 Jan 2027" in summary.text

    receipt = await resident.press("📨 Kirim laporan")
    assert "Laporan Anda sudah kami terima" in receipt.text
    assert "Anda dapat menghapus percakapan ini" in receipt.text     # if the phone is checked

    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
        assert report.case_number in receipt.text
        assert report.category == "calo" and report.region_code == "1871"
        assert report.suspect_phone == "+6281234567890"
        assert report.suspect_company == "PT Maju Jaya"
        assert report.victim_count == 3 and report.destination_country == "MY"
        assert report.description == STORY
        assert report.contactable
        contact = (await session.exec(select(ReportContact))).one()
        vault = tipbot.services.vault
        assert vault.decrypt(contact.name_enc) == "Siti"
        assert vault.decrypt(contact.phone_enc) == "+6281122334455"
        assert "Siti" not in contact.name_enc
        evidence = (await session.exec(select(Evidence))).one()
        assert evidence.report_id == report.id and evidence.kind == "photo"
        stored = await tipbot.services.evidence.read(session, evidence.path)
        assert stored == b"\xff\xd8\xff\xe0fake-jpeg-bytes"
        assert (await session.exec(select(Draft))).first() is None
        events = (await session.exec(select(CaseEvent))).all()
        assert [e.kind for e in events][:1] == ["created"]
        reporter = (await session.exec(select(Reporter))).one()
        assert str(resident.chat_id) not in reporter.lookup_hash + reporter.chat_ref_enc


async def test_status_lists_own_reports_and_code_works_from_another_account(tipbot, emu, resident):
    await walk_form(resident, **ALL_DETAILS)
    receipt = await resident.press("📨 Kirim laporan")
    code = next(e for e in receipt.entities if e["type"] == "code")
    codes = [receipt.text[e["offset"]:e["offset"] + e["length"]]
             for e in receipt.entities if e["type"] == "code"]
    case_number, followup = codes[0], codes[1]
    assert code

    listing = await resident.say("/status")
    assert case_number in listing.text and "menunggu petugas" in listing.text

    from tests.helpers.harness import Person
    other = Person(emu, first_name="Budi")
    found = await other.say(f"/status {followup.lower()}")
    assert case_number in found.text
    await other.press("Cek dengan kode tindak lanjut", message=(await other.say("/status")))
    wrong = await other.say("AAAAA-AAAAA")
    assert "Tidak ada laporan" in wrong.text
    typed = await other.say(followup)              # a code typed without the button
    assert case_number in typed.text


async def test_every_optional_step_can_be_skipped(tipbot, resident):
    await resident.say("/lapor")
    await resident.press("Dugaan perdagangan orang (TPPO)")
    urgent = await resident.press("Ya, ada yang dalam bahaya")
    texts = [m.text for m in resident.messages[-3:]]
    assert any("110" in text and "0800-1000" in text for text in texts)
    assert urgent.text
    await resident.press("Di luar Lampung")
    await walk_form(resident, start=Step.LOCATION, to=Step.EVIDENCE)
    await walk_form(resident, start=Step.EVIDENCE)
    await resident.press("📨 Kirim laporan")
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
    assert report.urgent and report.region_code == "OUT"
    assert report.suspect_name is None and report.victim_count is None
    assert report.destination_country is None and report.departure_date is None
    assert not report.contactable
