"""Evidence is re-sent to the officer; a contactable reporter's details reach only the assignee."""
from __future__ import annotations

from models import CaseEvent, Report
from tests.helpers.form import ALL_DETAILS, FAKE_PHOTO, SITI, walk_form
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, deliver, forged_press, make_officer, texts


async def test_assignee_sees_contact_details_and_gets_the_evidence_again(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    reporter = Person(emu, first_name="Siti")
    await walk_form(reporter, **ALL_DETAILS, files=(FAKE_PHOTO,), contact=SITI)
    await reporter.press("📨 Kirim laporan")
    await deliver(tipbot)
    card = officer.message_with_button("🙋 Ambil kasus")
    assert "1 bukti" in card.text
    assert "Siti" not in card.text and "0811" not in card.text

    await officer.press("🙋 Ambil kasus")
    await deliver(tipbot)
    details = officer.message_with_button("📎 Bukti")
    assert "Siti" not in details.text and "+6281122334455" not in details.text
    contact = officer.last
    assert "Pelapor bersedia dihubungi" in contact.text
    assert "Siti" in contact.text and "+6281122334455" in contact.text

    await officer.press("📎 Bukti", details)
    await deliver(tipbot)                    # through the outbox, like every message
    photo = officer.last
    # Not a decodable picture, so it is kept as sent and the officer is warned.
    assert photo.kind == "photo" and emu.file_bytes(photo.file_id) == b"\xff\xd8\xff\xe0fake-jpeg-bytes"
    assert "Belum dibersihkan" in photo.caption
    assert any(e.kind == "evidence_resent" for e in await all_rows(tipbot, CaseEvent))

    # A supervisor opening the details sees the case but not the contact.
    await boss.say("/antrian")
    token = (await all_rows(tipbot, Report))[0].card_token
    await forged_press(emu, boss, f"c:view:{token}")
    assert "hanya petugas yang menangani" in boss.last.text
    assert not any("+6281122334455" in t for t in texts(boss))
    assert emu.violations == []
