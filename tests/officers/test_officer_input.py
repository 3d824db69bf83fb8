"""What an officer types lands where they meant it: a reporter's own reply reaches their
case's officer, and words kept for an offer are never dropped without a word."""
from __future__ import annotations

from models import Officer
from tests.e2e.test_resident_flow import fill_until_summary
from tests.harness import Person
from tests.officers.conftest import deliver, file_report, make_officer, reload, texts


async def test_an_officer_who_filed_a_report_answers_its_officer_by_replying(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    citra = await make_officer(tipbot, "Citra")
    siti = Person(emu, first_name="Siti", started=True)
    await file_report(tipbot, siti)
    await budi.press("🙋 Ambil kasus")        # Budi holds one open case as an officer
    await deliver(tipbot)

    # Budi files a report of his own as a resident; Citra takes it and writes to him.
    await fill_until_summary(budi)
    receipt = await budi.press("📨 Kirim laporan")
    await deliver(tipbot)
    await citra.press("🙋 Ambil kasus")
    await deliver(tipbot)
    own_case = [t for t in texts(citra) if "Laporan baru" in t][-1].split()[2]
    assert own_case in receipt.text
    await citra.press("✉️ Kirim pesan ke pelapor")
    await citra.say("Apakah Anda masih aman?")
    await deliver(tipbot)
    relayed = budi.last
    assert f"Petugas Satgas, kasus {own_case}:" in relayed.text

    siti_before = len(siti.messages)
    emu.send_text(budi.user, "Ya, saya aman di rumah.", reply_to=relayed)
    await deliver(tipbot)
    assert "sudah kami teruskan" in budi.last.text
    assert "Kirim ke pelapor" not in str(budi.last.reply_markup)
    incoming = citra.last
    assert incoming.text.startswith(f"Pelapor kasus {own_case}:")
    assert "Ya, saya aman di rumah." in incoming.text
    assert len(siti.messages) == siti_before
    assert (await reload(tipbot, Officer, budi.officer_id)).pending is None

    # A plain message, no reply, is still his officer's work: offered for his one case.
    offer = await budi.say("Catatan kerja")
    assert "Kirim 1 pesan" in offer.text
    assert emu.violations == []
