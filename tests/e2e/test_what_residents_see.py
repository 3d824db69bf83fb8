"""What a frightened resident sees: the emergency numbers stay, a tip in at most eight
actions, no button left that could be pressed by mistake, and honest answers after the
case is closed, to /darurat mid-form and to /help."""
from __future__ import annotations

from tests.helpers.officers import deliver, make_officer, send_and_claim

from sqlmodel import select

from bot.engine.form_types import Step
from bot.services.codes import CODE_ALPHABET
from models import Report
from tests.helpers.form import ALL_DETAILS, STORY, Counted, walk_form

NUMBERS = ("110", "0800-1000")
SEND_NOW, ADD_DETAILS = "📨 Kirim sekarang", "➕ Tambah rincian"
NOTHING_KNOWN = "Saya tidak tahu apa pun tentang perekrutnya"


def emergency_messages(person):
    return [m for m in person.messages if all(n in (m.text or "") for n in NUMBERS)]


async def test_emergency_numbers_stay_in_the_chat_and_come_again_with_the_receipt(
        tipbot, resident):
    await resident.say("/lapor")
    await resident.press("Dugaan perdagangan orang (TPPO)")
    region = await resident.press("Ya, ada yang dalam bahaya")
    [numbers] = emergency_messages(resident)
    shown, edits = numbers.text, len(numbers.edits)
    assert numbers.buttons == [] and "Di mana kejadiannya" in region.text
    assert region.message_id > numbers.message_id               # the question comes after
    await resident.press("Bandar Lampung")
    await resident.press("Lewati")
    await resident.say(STORY)
    await resident.press(SEND_NOW)
    await deliver(tipbot)
    # Every later answer edited only its own question: the numbers are as they were.
    [still] = [m for m in resident.messages if m.message_id == numbers.message_id]
    assert still.text == shown and len(still.edits) == edits       # never edited since
    receipt = resident.last
    assert "Laporan Anda sudah kami terima" in receipt.text
    assert all(number in receipt.text for number in NUMBERS)


async def test_a_report_that_is_not_urgent_gets_no_numbers_in_its_receipt(tipbot, resident):
    await walk_form(resident, **ALL_DETAILS)
    await resident.press("📨 Kirim laporan")
    await deliver(tipbot)
    assert "Laporan Anda sudah kami terima" in resident.last.text
    assert "110" not in resident.last.text and emergency_messages(resident) == []


async def test_the_shortest_anonymous_report_takes_seven_actions(tipbot, resident, emu):
    await make_officer(tipbot, "Budi")
    siti = Counted(resident)
    await siti.say("/lapor")
    await siti.press("Perekrut tanpa izin (calo)")
    await siti.press("Tidak")
    await siti.press("Bandar Lampung")
    await siti.press("Lewati")                                   # the location pin
    offer = await siti.say(STORY)
    # What would be sent is shown above the offer, and the step counter says the end.
    assert "Langkah 6 dari 6" in offer.text and STORY in offer.text
    assert "Kota Bandar Lampung" in offer.text and "anonim" in offer.text
    assert [label for label, _ in offer.buttons] == [SEND_NOW, ADD_DETAILS, "⬅️ Kembali"]
    await siti.press(SEND_NOW)
    await deliver(tipbot)
    assert siti.actions == 7 <= 8
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
    assert report.category == "calo" and report.region_code == "1871"
    assert report.description == STORY and not report.contactable and not report.urgent
    assert report.case_number in resident.last.text
    # The offer that was answered keeps no button that could be pressed again.
    [answered] = [m for m in resident.messages if m.message_id == offer.message_id]
    assert answered.buttons == []
    assert emu.violations == []


async def test_the_full_form_is_one_tap_away_and_nothing_known_skips_the_recruiter(
        tipbot, resident):
    await walk_form(resident, to=Step.SEND_OR_ADD, region="Metro")
    name = await resident.press(ADD_DETAILS)
    assert "Siapa nama" in name.text and "Rincian: langkah 1 dari" in name.text
    assert NOTHING_KNOWN in [label for label, _ in name.buttons]
    victims = await resident.press(NOTHING_KNOWN)                # name, phone, company, social
    assert "Berapa orang" in victims.text
    back = await resident.press("⬅️ Kembali")                    # back to where it was offered
    assert "Siapa nama" in back.text
    summary = await walk_form(resident, start=Step.SUSPECT_NAME)
    assert "Mohon periksa kembali laporan Anda" in summary.text
    await resident.press("📨 Kirim laporan")
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
    assert report.suspect_name is None and report.suspect_company is None


async def test_after_sending_the_summary_offers_no_button_and_old_ones_promise_nothing(
        tipbot, resident, emu):
    summary = await walk_form(resident, **ALL_DETAILS)
    await resident.press("📨 Kirim laporan", summary)
    await deliver(tipbot)
    [sent] = [m for m in resident.messages if m.message_id == summary.message_id]
    assert sent.buttons == [] and "Mohon periksa kembali laporan Anda" in sent.text
    # An older question's button (the story was typed: its question kept [Back]).
    old = next(m for m in resident.messages if "⬅️ Kembali" in dict(m.buttons))
    count = len(resident.messages)
    tap = emu.press(resident.user, old, "⬅️ Kembali")
    await emu.settle()
    assert emu.callback_answer(tap)["text"] == "Tombol ini sudah tidak berlaku."
    assert len(resident.messages) == count                      # and nothing else is shown


async def test_a_message_after_the_case_is_closed_is_told_so(tipbot, emu, resident):
    budi = await make_officer(tipbot, "Budi")
    await walk_form(resident, **ALL_DETAILS)
    await send_and_claim(tipbot, resident, budi)
    card = budi.message_with_button("✅ Selesai ditangani")
    await budi.press("✅ Selesai ditangani", card)
    await budi.press("⏭️ Tanpa alasan", budi.message_with_button("⏭️ Tanpa alasan"))
    await deliver(tipbot)
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
    reply = await resident.say("Apakah ada kabar tentang laporan saya?")
    assert f"Laporan Anda {report.case_number} sudah ditutup" in reply.text
    assert "/lapor" in reply.text and "/darurat" in reply.text
    assert "Apa yang ingin Anda lakukan" not in reply.text       # not the generic menu
    assert not any("Apakah ada kabar" in (m.text or "") for m in budi.messages)


async def test_darurat_mid_form_shows_the_numbers_then_the_question_again(tipbot, resident):
    await resident.say("/lapor")
    await resident.press("Perekrut tanpa izin (calo)")
    question = await resident.say("/darurat")
    assert all(number in resident.messages[-2].text for number in NUMBERS)
    assert "lanjutkan laporan Anda" in resident.messages[-2].text
    assert "Apakah ada orang yang sedang dalam bahaya" in question.text
    await resident.press("Tidak", question)                     # and it is answered as usual
    assert "Di mana kejadiannya" in resident.last.text


async def test_darurat_without_a_report_points_to_lapor(tipbot, resident):
    reply = await resident.say("/darurat")
    assert all(number in reply.text for number in NUMBERS)
    assert "/lapor" in reply.text and "lanjutkan laporan Anda" not in reply.text


async def test_help_names_the_prevention_tools_and_a_code_that_could_exist(tipbot, resident):
    reply = await resident.say("/help")
    for command in ("/lapor", "/status", "/darurat", "/cekagensi", "/cektawaran", "/info"):
        assert command in reply.text, command
    example = reply.text.split("/status ")[1][:11]
    assert example[5] == "-" and all(ch in CODE_ALPHABET for ch in example.replace("-", ""))
    await resident.press("🔎 Cek laporan", reply)
    ask = await resident.press("Cek dengan kode tindak lanjut")
    code = ask.text.split("contoh: ")[1][:11]
    assert all(ch in CODE_ALPHABET for ch in code.replace("-", ""))
