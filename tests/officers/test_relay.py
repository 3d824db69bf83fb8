"""Officer and reporter talk through the bot; the officer never learns who the reporter is."""
from __future__ import annotations

from models import CaseEvent, RelayMessage
from tests.helpers.form import ALL_DETAILS, walk_form
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, deliver, make_officer, send_and_claim, texts


async def test_relay_both_ways_keeps_the_reporter_anonymous(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    other = await make_officer(tipbot, "Citra", shift=False)
    reporter = Person(emu, first_name="Siti", last_name="Rahayu", username="siti_lpg")
    await walk_form(reporter, **ALL_DETAILS)
    receipt = await reporter.press("📨 Kirim laporan")
    await deliver(tipbot)
    case_number = next(t for t in texts(officer) if "Laporan baru" in t).split()[2]
    assert case_number in receipt.text

    await officer.press("🙋 Ambil kasus")
    await deliver(tipbot)
    assert "sedang ditangani oleh petugas Satgas" in reporter.last.text
    await officer.press("✉️ Kirim pesan ke pelapor")
    await officer.say("Apakah Anda tahu alamat kantor PT Maju Jaya? <b>penting</b>")
    await deliver(tipbot)
    relayed = reporter.last
    assert f"Petugas Satgas, kasus {case_number}:" in relayed.text
    assert "Apakah Anda tahu alamat kantor PT Maju Jaya? <b>penting</b>" in relayed.text
    assert "Budi" not in relayed.text

    emu.send_text(reporter.user, "Di Jalan Kartini 12, Bandar Lampung.", reply_to=relayed)
    await deliver(tipbot)
    assert "sudah kami teruskan" in reporter.last.text
    incoming = officer.last
    assert incoming.text.startswith(f"Pelapor kasus {case_number}:")
    assert "Di Jalan Kartini 12" in incoming.text

    # A plain message (no reply) reaches the same, most recent open case.
    await reporter.say("Kantornya buka jam 9.")
    await deliver(tipbot)
    assert "Kantornya buka jam 9." in officer.last.text

    # The officer answers by replying to the reporter's message, without a button.
    emu.send_text(officer.user, "Terima kasih, kami segera ke sana.", reply_to=incoming)
    await deliver(tipbot)
    assert "Terima kasih, kami segera ke sana." in reporter.last.text

    identity = [str(reporter.chat_id), "Siti", "Rahayu", "siti_lpg"]
    for person in (officer, other):
        for message in person.messages:
            shown = (message.text or "") + (message.html or "") + str(message.reply_markup)
            assert not any(part in shown for part in identity), message
    kinds = [e.kind for e in await all_rows(tipbot, CaseEvent)]
    assert kinds.count("to_reporter") == 2 and kinds.count("from_reporter") == 2
    for row in await all_rows(tipbot, RelayMessage):
        assert str(reporter.chat_id) not in row.chat_key and str(officer.chat_id) not in row.chat_key
    assert emu.violations == []


async def test_reporter_without_an_assigned_case_gets_the_menu(tipbot, emu):
    await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti")
    await walk_form(reporter, **ALL_DETAILS)
    await reporter.press("📨 Kirim laporan")
    await deliver(tipbot)
    await reporter.say("Halo?")
    assert any(label == "📝 Buat laporan" for label, _ in reporter.last.buttons)
    assert emu.violations == []


async def _claimed_case(tipbot, emu):
    """A resident's report, filed through the form and claimed by an officer."""
    officer = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti")
    await walk_form(reporter, **ALL_DETAILS)
    await send_and_claim(tipbot, reporter, officer)
    return officer, reporter


async def test_a_long_message_is_split_not_cut(tipbot, emu):
    officer, reporter = await _claimed_case(tipbot, emu)
    words = " ".join(f"kata{i}" for i in range(700))          # about 4,800 characters
    long_text = words[:4096].rstrip()
    await reporter.say(long_text)
    await deliver(tipbot)
    parts = [m.text for m in officer.messages if m.text.startswith("Pelapor kasus")]
    assert len(parts) == 2 and "(1/2)" in parts[0] and "(2/2)" in parts[1]
    received = " ".join(p.split("\n", 1)[1] for p in parts)
    assert received.split() == long_text.split()
    assert emu.violations == []


async def test_a_file_from_the_reporter_joins_the_case_evidence(tipbot, emu):
    from models import Evidence
    officer, reporter = await _claimed_case(tipbot, emu)
    await reporter.send("photo", data=b"\xff\xd8later-photo")
    await deliver(tipbot)
    assert "sudah kami teruskan" in reporter.last.text
    notice = officer.last
    assert "mengirim bukti baru (foto)" in notice.text
    await officer.press("📎 Bukti", notice)
    await deliver(tipbot)
    photos = [m for m in officer.messages if m.kind == "photo"]
    assert photos and photos[-1].file == b"\xff\xd8later-photo"
    rows = await all_rows(tipbot, Evidence)
    assert [r.kind for r in rows] == ["photo"] and rows[0].report_id is not None
    assert emu.violations == []
