"""What an officer types lands where they meant it: a reporter's own reply reaches their
case's officer, and words kept for an offer are never dropped without a word."""
from __future__ import annotations

from tests.helpers.officers import (
    cards_of, claimed_case, deliver, file_report, first_text, make_officer, reload, send_and_claim,
    texts,
)

from models import Officer, Report
from tests.helpers.form import ALL_DETAILS, walk_form
from tests.helpers.harness import Person


async def test_an_officer_who_filed_a_report_answers_its_officer_by_replying(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    citra = await make_officer(tipbot, "Citra")
    siti = Person(emu, first_name="Siti", started=True)
    await file_report(tipbot, siti)
    await budi.press("🙋 Ambil kasus")        # Budi holds one open case as an officer
    await deliver(tipbot)

    # Budi files a report of his own as a resident; Citra takes it and writes to him.
    await walk_form(budi, **ALL_DETAILS)
    receipt = await send_and_claim(tipbot, budi, citra)
    own_case = first_text(cards_of(citra)[-1]).split()[2]
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
    assert "Kirim pesan ini" in offer.text
    assert emu.violations == []


async def _kept_offer(tipbot, emu):
    """Budi holds Siti's case and typed words for her without a button: they are kept."""
    budi, siti, report = await claimed_case(tipbot, emu)
    offer = await budi.say("Apakah Anda masih di alamat yang sama?")
    assert "Kirim pesan ini" in offer.text
    return budi, siti, report, offer


async def test_kept_words_outlive_a_status_and_its_typed_reason(tipbot, emu):
    budi, siti, report, offer = await _kept_offer(tipbot, emu)
    await budi.press("🔍 Sedang diselidiki", budi.message_with_button("🔍 Sedang diselidiki"))
    await budi.say("Menunggu keterangan saksi.")
    await deliver(tipbot)
    saved, again = budi.messages[-2:]
    assert saved.text == (f"Alasan disimpan pada kasus {report.case_number}; hanya petugas "
                          "yang dapat melihatnya.")
    assert again.text == (f"Pesan yang Anda tulis sebelumnya untuk pelapor kasus "
                          f"{report.case_number} belum dikirim. Kirim sekarang?")
    assert [label for label, _ in again.buttons] == ["✉️ Kirim ke pelapor", "✖️ Jangan kirim"]
    stored = await reload(tipbot, Report, report.id)
    assert stored.status_reason == "Menunggu keterangan saksi."   # the reason, not the kept words
    assert not any("alamat yang sama" in text for text in texts(siti))

    # /batal while a note is asked for: the note is let go, the kept words offered again.
    await budi.press("📝 Catatan", budi.message_with_button("📝 Catatan"))
    await budi.say("/batal")
    assert budi.messages[-2].text == "Dibatalkan."
    reminder = budi.last
    assert "belum dikirim. Kirim sekarang?" in reminder.text

    # The first offer's button still sends them, once.
    await budi.press("✉️ Kirim ke pelapor", offer)
    await deliver(tipbot)
    assert "Apakah Anda masih di alamat yang sama?" in siti.last.text
    assert f"Petugas Satgas, kasus {report.case_number}:" in siti.last.text
    sent = len(siti.messages)
    await budi.press("✉️ Kirim ke pelapor", reminder)
    await deliver(tipbot)
    assert len(siti.messages) == sent
    assert (await reload(tipbot, Officer, budi.officer_id)).unsent is None
    assert emu.violations == []


async def test_kept_words_for_a_case_closed_meanwhile_are_not_sent_and_the_officer_is_told(
        tipbot, emu):
    budi, siti, report, offer = await _kept_offer(tipbot, emu)
    await budi.press("✅ Selesai ditangani", budi.message_with_button("✅ Selesai ditangani"))
    await budi.say("Perekrut sudah ditangkap.")
    await deliver(tipbot)
    assert budi.last.text == (f"Pesan yang Anda tulis sebelumnya tidak dikirim karena kasus "
                              f"{report.case_number} sudah ditutup. Pelapor tidak akan "
                              "melihatnya.")
    assert (await reload(tipbot, Officer, budi.officer_id)).unsent is None
    await _offer_sends_nothing(tipbot, budi, siti, offer)


async def test_batal_with_only_kept_words_lets_them_go_and_says_so(tipbot, emu):
    budi, siti, _report, offer = await _kept_offer(tipbot, emu)
    dropped = await budi.say("/batal")
    assert dropped.text == "Tidak dikirim. Pelapor tidak akan melihatnya."
    await _offer_sends_nothing(tipbot, budi, siti, offer)


async def _offer_sends_nothing(tipbot, budi, siti, offer) -> None:
    """The reporter never saw the kept words, and the old offer's button sends nothing."""
    assert not any("alamat yang sama" in text for text in texts(siti))
    await budi.press("✉️ Kirim ke pelapor", offer)
    await deliver(tipbot)
    assert not any("alamat yang sama" in text for text in texts(siti))
    assert tipbot.emu.violations == []


async def test_kept_words_are_offered_again_after_a_reason_chosen_by_button(tipbot, emu):
    budi, siti, report, _offer = await _kept_offer(tipbot, emu)
    await budi.press("✔️ Sudah diverifikasi", budi.message_with_button("✔️ Sudah diverifikasi"))
    await budi.press("⏭️ Tanpa alasan", budi.message_with_button("⏭️ Tanpa alasan"))
    await deliver(tipbot)
    again = budi.message_with_button("✉️ Kirim ke pelapor")
    assert "belum dikirim. Kirim sekarang?" in again.text and report.case_number in again.text
    await budi.press("✉️ Kirim ke pelapor", again)
    await deliver(tipbot)
    assert "Apakah Anda masih di alamat yang sama?" in siti.last.text
    assert emu.violations == []
