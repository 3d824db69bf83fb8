"""Officers send photos, documents, voice notes and locations to the reporter through the
relay: labelled with the case number only, never with the officer's account or name."""
from __future__ import annotations

import io
import json

import pikepdf

from models import CaseEvent, Outbox, RelayMessage
from tests.helpers import planted_files as planted
from tests.helpers.officers import all_rows, claimed_case, deliver

MESSAGE = "✉️ Kirim pesan ke pelapor"


def _pdf_by(author: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = author
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _assert_anonymous(message, officer) -> None:
    shown = str(message.text) + str(message.caption) + str(message.extra) + str(message.media)
    assert "Budi" not in shown and str(officer.chat_id) not in shown
    assert "forward_origin" not in message.extra


async def test_photo_voice_document_and_location_reach_the_reporter_without_the_officer(
        tipbot, emu):
    officer, reporter, report = await claimed_case(tipbot, emu, "Budi Santoso")
    label = f"Petugas Satgas, kasus {report.case_number}:"

    await officer.press(MESSAGE)
    await officer.send("photo", data=b"\xff\xd8\xff\xe0office-photo", caption="Apakah ini rumahnya?")
    await deliver(tipbot)
    photo = reporter.last
    assert photo.kind == "photo" and photo.file == b"\xff\xd8\xff\xe0office-photo"
    assert label in photo.caption and "Apakah ini rumahnya?" in photo.caption
    _assert_anonymous(photo, officer)
    assert isinstance(emu.calls("sendPhoto")[-1]["photo"], str)      # by file id, no upload

    await officer.press(MESSAGE)
    await officer.send("voice", data=b"OggS officer-voice")
    await deliver(tipbot)
    voice = reporter.last
    assert voice.kind == "voice" and voice.file == b"OggS officer-voice"
    assert label in voice.caption
    _assert_anonymous(voice, officer)

    await officer.press(MESSAGE)
    await officer.send("document", data=_pdf_by("Budi Santoso"), file_name="Surat_Budi_Santoso.pdf",
                       mime_type="application/pdf", caption="Surat panggilan")
    await deliver(tipbot)
    document = reporter.last
    assert document.kind == "document"
    assert document.media["document"]["file_name"] == f"{report.case_number}-satgas.pdf"
    assert b"Budi" not in document.file and document.file.startswith(b"%PDF")
    assert label in document.caption and "Surat panggilan" in document.caption
    _assert_anonymous(document, officer)

    await officer.press(MESSAGE)
    await officer.send("location", latitude=-5.4292, longitude=105.2610)
    await deliver(tipbot)
    pin, before = reporter.messages[-1], reporter.messages[-2]
    assert pin.kind == "location" and pin.extra["location"]["latitude"] == -5.4292
    assert label in before.text and "Lokasi dari petugas" in before.text

    # The reporter answers the officer's photo with a Telegram reply: it reaches the officer.
    emu.send_text(reporter.user, "Ya, benar itu rumahnya.", reply_to=photo)
    await deliver(tipbot)
    assert "Ya, benar itu rumahnya." in officer.last.text
    kinds = [e.kind for e in await all_rows(tipbot, CaseEvent)]
    assert kinds.count("to_reporter") == 4
    assert len([r for r in await all_rows(tipbot, RelayMessage) if r.side == "reporter"]) == 5
    for row in await all_rows(tipbot, Outbox):
        assert row.secret_enc is None                      # erased once sent
        kept = json.dumps(row.params or {})
        assert "file_id" not in kept and "105.26" not in kept
    assert emu.violations == []


async def test_a_document_that_cannot_be_cleaned_is_not_passed_on(tipbot, emu):
    officer, reporter, _report = await claimed_case(tipbot, emu, "Budi Santoso")
    before = len(reporter.messages)
    await officer.press(MESSAGE)
    refusal = await officer.send("document", data=b"PK\x03\x04zip", file_name="arsip.zip",
                                 mime_type="application/zip")
    assert "tidak dapat dibersihkan" in refusal.text
    big = await officer.send("document", data=b"%PDF-1.4 big", file_name="besar.pdf",
                             mime_type="application/pdf", size=25 * 1024 * 1024)
    assert "terlalu besar" in big.text
    await deliver(tipbot)
    assert len(reporter.messages) == before
    # Still waiting for the message: a photo now goes.
    await officer.send("photo", data=b"\xff\xd8\xff\xe0ok")
    await deliver(tipbot)
    assert reporter.last.kind == "photo"
    assert emu.violations == []


async def test_an_office_file_reported_as_octet_stream_is_cleaned_and_passed_on(tipbot, emu):
    """Some phones send a Word file as application/octet-stream: its name says what it is,
    and what the reporter gets is cleaned like any Word file."""
    officer, reporter, report = await claimed_case(tipbot, emu, "Budi Santoso")
    original = planted.docx_with_everything()
    assert planted_in(planted.office_everything_inside(original))
    await officer.press(MESSAGE)
    await officer.send("document", data=original, file_name="Surat panggilan.docx",
                       mime_type="application/octet-stream", caption="Surat panggilan")
    await deliver(tipbot)
    document = reporter.last
    assert document.kind == "document"
    assert document.media["document"]["file_name"] == f"{report.case_number}-satgas.docx"
    assert planted_in(planted.office_everything_inside(document.file)) == []
    _assert_anonymous(document, officer)
    # A name alone does not make a file cleanable.
    refusal = await officer.send("document", data=b"PK\x03\x04zip", file_name="arsip.bin",
                                 mime_type="application/octet-stream")
    assert "tidak dapat dibersihkan" in refusal.text
    assert emu.violations == []


def planted_in(data: bytes) -> list[str]:
    return [text for text in planted.PLANTED if text.encode() in data]


async def test_a_photo_without_a_pending_action_is_offered_for_the_one_open_case(tipbot, emu):
    officer, reporter, report = await claimed_case(tipbot, emu, "Budi Santoso")
    before = len(reporter.messages)
    offer = await officer.send("photo", data=b"\xff\xd8\xff\xe0kept", caption="Kantor PT")
    assert report.case_number in offer.text
    await officer.press("✉️ Kirim ke pelapor", offer)
    await deliver(tipbot)
    assert len(reporter.messages) == before + 1
    assert reporter.last.kind == "photo" and "Kantor PT" in reporter.last.caption
    # A note is typed: a file there is refused and the note still waits.
    await officer.press("📝 Catatan")
    wrong = await officer.send("photo", data=b"\xff\xd8\xff\xe0note")
    assert "Mohon ketik sebagai teks" in wrong.text
    saved = await officer.say("Sudah dicek ke lokasi.")
    assert "Catatan" in saved.text or report.case_number in saved.text
    assert emu.violations == []


async def test_evidence_button_sends_the_files_themselves_with_the_reporters_caption(tipbot, emu):
    officer, reporter, report = await claimed_case(tipbot, emu, "Budi Santoso")
    await reporter.send("photo", data=b"\xff\xd8\xff\xe0rumah", caption="ini foto rumahnya")
    await reporter.send("document", data=_pdf_by("Siti"), file_name="kontrak.pdf",
                        mime_type="application/pdf", caption="kontrak kerjanya")
    await deliver(tipbot)
    notice = officer.last
    assert "ini" in notice.text or "kontrak kerjanya" in notice.text
    await officer.press("📎 Bukti", notice)
    await deliver(tipbot)
    photo = next(m for m in officer.messages if m.kind == "photo")
    document = next(m for m in officer.messages if m.kind == "document")
    assert report.case_number in photo.caption and "ini foto rumahnya" in photo.caption
    assert "kontrak kerjanya" in document.caption
    assert document.media["document"]["file_name"].startswith(report.case_number)
    assert b"Siti" not in document.file
    assert emu.violations == []
