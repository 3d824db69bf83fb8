"""Voice notes, documents, location pins and the evidence limits."""
from __future__ import annotations

from sqlmodel import select

from bot.engine.form_types import Step
from bot.services.drafts import all_answers
from models import Draft, Evidence, EvidenceFile, Report
from tests.helpers.form import walk_form


async def reach_story(person):
    await person.say("/lapor")
    await person.press("Pemalsuan dokumen atau data (umur, paspor)")
    await person.press("Tidak")
    await person.press("Tanggamus")


async def test_location_pin_and_voice_note_as_the_story(tipbot, resident):
    await reach_story(resident)
    await resident.send("location", latitude=-5.45, longitude=104.62)
    asked = await resident.send("voice", data=b"OggS-voice-note", duration=4)
    assert "(pesan suara)" in asked.text and "📨 Kirim sekarang" in dict(asked.buttons)
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
        evidence = (await session.exec(select(Evidence))).one()
        stored = await tipbot.services.evidence.read(session, evidence.path)
    # The pin waits in the draft only encrypted, like the contact.
    assert "latitude" not in draft.answers and draft.answers["description_voice"]
    assert all_answers(draft, tipbot.services.vault)["latitude"] == -5.45
    assert evidence.is_description and evidence.kind == "voice"
    assert stored == b"OggS-voice-note"


async def test_documents_and_videos_are_stored_with_digest_and_type(tipbot, resident):
    await reach_story(resident)
    await walk_form(resident, start=Step.LOCATION, to=Step.EVIDENCE,
                    story="Umur calon pekerja dipalsukan agar bisa membuat paspor.")
    ack = await resident.send("document", data=b"%PDF-1.4 ktp", file_name="ktp palsu.pdf",
                              mime_type="application/pdf")
    assert "1 bukti diterima" in ack.text
    await resident.send("video", data=b"\x00\x00\x00\x18ftypmp42", duration=5)
    await walk_form(resident, start=Step.EVIDENCE)
    await resident.press("📨 Kirim laporan")
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
        files = (await session.exec(select(Evidence).order_by(Evidence.id))).all()
    assert [f.kind for f in files] == ["document", "video"]
    assert all(f.report_id == report.id for f in files)
    import hashlib
    # Keyed: the digest of the content under the lookup key, never the bare SHA-256.
    assert files[0].sha256 == tipbot.services.vault.lookup_hash(
        "evidence", hashlib.sha256(b"%PDF-1.4 ktp").hexdigest())
    # Not a readable PDF, so it could not be cleaned: kept as sent, flagged, name dropped.
    assert files[0].mime_type == "application/pdf" and files[0].file_name is None
    assert files[0].size == len(b"%PDF-1.4 ktp") and not files[0].cleaned
    assert not files[1].cleaned


async def test_too_big_and_too_many_files_are_refused(emu, engine, data_dir):
    from tests.helpers.harness import Person, start_bot, stop_bot
    bot = await start_bot(emu, engine, data_dir, max_evidence_files=2)
    try:
        person = Person(emu, first_name="Yanti")
        await reach_story(person)
        await walk_form(person, start=Step.LOCATION, to=Step.EVIDENCE,
                    story="Ada penampungan calon pekerja di rumah kosong dekat pasar.")
        big = await person.send("document", data=b"x", file_name="video.mp4",
                                size=25 * 1024 * 1024)
        assert "lebih dari 20 MB" in "\n".join(m.text for m in person.messages[-2:])
        assert big is not None
        await person.send("photo", data=b"\xff\xd8one")
        await person.send("photo", data=b"\xff\xd8two")
        await person.send("photo", data=b"\xff\xd8three")
        assert any("batas maksimal" in m.text for m in person.messages[-2:])
        async with bot.session() as session:
            assert len((await session.exec(select(Evidence))).all()) == 2
    finally:
        await stop_bot(bot)
    assert emu.violations == []


async def test_unknown_command_and_text_outside_the_form_show_the_menu(tipbot, resident):
    reply = await resident.say("/apaini")
    assert "/lapor" in reply.text and reply.buttons
    reply = await resident.say("halo")
    assert "/lapor" in reply.text


async def test_cancelling_deletes_the_uploaded_files(tipbot, resident):
    await reach_story(resident)
    await resident.press("Lewati")
    await resident.send("voice", data=b"OggS-secret-voice", duration=2)
    async with tipbot.session() as session:
        path = (await session.exec(select(Evidence))).one().path
        assert await tipbot.services.evidence.read(session, path) == b"OggS-secret-voice"
    await resident.say("/batal")
    async with tipbot.session() as session:
        assert (await session.exec(select(Evidence))).first() is None
        assert (await session.exec(select(EvidenceFile))).first() is None
