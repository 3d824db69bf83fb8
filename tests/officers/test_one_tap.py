"""One tap for officers: the claimed card carries the work, a status takes one tap and
the reason is optional, a case can be released, reopened and snoozed, and every message
showing a case is edited when it changes (never with an edit that changes nothing)."""
from __future__ import annotations

from tests.helpers.officers import (
    CLAIM, DETAILS, all_rows, card_of, cards_of, claimed_case, deliver, file_report, make_officer,
    reload, sweep, texts,
)

from datetime import timedelta

from bot.services.followups import REASON_WAIT
from models import CaseCard, CaseEvent, Outbox, Report
from tests.helpers.harness import Person

# The claimed card: the work done most, then More (one tap) for the rest, and back.
WORK = ["✉️ Kirim pesan ke pelapor", "💬 Balasan cepat", "🔍 Sedang diselidiki",
        "✔️ Sudah diverifikasi", "✅ Selesai ditangani", "🚫 Tidak dapat ditindaklanjuti",
        "📝 Catatan", "⋯ Lainnya"]
MORE = ["➡️ Kepolisian", "➡️ KP2MI / BP3MI", "➡️ Disnaker", "♻️ Sama dengan laporan lain",
        "⏰ Tunda 1 jam", "⏰ Tunda 4 jam", "↩️ Kembalikan ke antrean", "⬅️ Kembali"]


def labels(message) -> list[str]:
    return [label for label, _ in message.buttons]


async def test_the_claimed_card_carries_the_work_and_a_status_takes_one_tap(tipbot, emu):
    budi, citra = await make_officer(tipbot, "Budi"), await make_officer(tipbot, "Citra")
    reporter = Person(emu, first_name="Siti", started=True)
    report = await file_report(tipbot, reporter, urgent=True)       # both get a card
    sent = budi.message_with_button(CLAIM)
    await budi.press(CLAIM, sent)
    await deliver(tipbot)

    card = card_of(budi)                          # the same message, edited in place
    assert card.message_id == sent.message_id and card.edits
    assert labels(card) == WORK + [DETAILS]
    assert all(len(data.encode()) <= 64 for _, data in card.buttons)
    other = card_of(citra)
    assert "Diambil oleh Budi" in other.text and CLAIM not in labels(other)
    assert "↩️ Kembalikan ke antrean" not in labels(other)
    told = len(texts(reporter))

    await budi.press("🔍 Sedang diselidiki", card)     # one tap: applied at once
    stored = await reload(tipbot, Report, report.id)
    assert stored.status == "in_progress" and stored.status_reason is None
    card = card_of(budi)
    assert "Alasan (tidak wajib)" in card.text
    assert labels(card) == ["Petugas sedang memeriksa di lapangan",
                            "Sedang dikoordinasikan dengan instansi terkait",
                            "Menunggu informasi tambahan dari pelapor", "⏭️ Tanpa alasan",
                            DETAILS]
    await deliver(tipbot)
    assert len(texts(reporter)) == told           # the notice waits for the reason

    await budi.press("⏭️ Tanpa alasan", card)      # skipping is fine: told at once
    await deliver(tipbot)
    assert texts(reporter)[-1].startswith(
        f"Laporan Anda {report.case_number} sedang diselidiki oleh Satgas. Jika ada informasi")
    assert "Keterangan petugas" not in texts(reporter)[-1]
    card = card_of(budi)
    assert "Alasan (tidak wajib)" not in card.text and "🔍 Sedang diselidiki" not in labels(card)
    assert "✔️ Sudah diverifikasi" in labels(card)

    # A status whose reason is never given: the reporter is told after REASON_WAIT.
    await budi.press("✔️ Sudah diverifikasi", card_of(budi))
    await deliver(tipbot)
    assert len([t for t in texts(reporter) if "diverifikasi" in t]) == 0
    tipbot.clock.advance(seconds=REASON_WAIT.total_seconds() + 1)
    await deliver(tipbot)
    assert "sudah diperiksa dan diverifikasi oleh petugas Satgas" in texts(reporter)[-1]

    # A double tap changes nothing and edits nothing.
    await budi.press("⏭️ Tanpa alasan", card_of(budi))
    taps = [emu.press(budi.user, card_of(budi), "✅ Selesai ditangani") for _ in range(2)]
    await emu.settle()
    await deliver(tipbot)
    assert "sudah ditutup" in emu.callback_answer(taps[1])["text"]
    events = sorted((e for e in await all_rows(tipbot, CaseEvent) if e.kind == "status"),
                    key=lambda e: e.id)       # PostgreSQL returns rows in no set order
    assert [(e.detail["from"], e.detail["status"]) for e in events] == [
        ("claimed", "in_progress"), ("in_progress", "verified"), ("verified", "resolved")]
    assert emu.unanswered_callbacks == []
    assert emu.violations == [] and emu.errors == []


async def test_release_puts_the_case_back_in_the_queue_and_alerts_again(tipbot, emu):
    budi, reporter, report = await claimed_case(tipbot, emu)
    citra = await make_officer(tipbot, "Citra")           # on duty now, had no card
    details = budi.message_with_button("✅ Selesai ditangani")

    await budi.press("↩️ Kembalikan ke antrean", card_of(budi))
    await deliver(tipbot)
    stored = await reload(tipbot, Report, report.id)
    assert stored.assignee_id is None and stored.status == "new" and stored.claimed_at is None
    released = [e for e in await all_rows(tipbot, CaseEvent) if e.kind == "released"]
    assert [(e.officer_id, e.detail["status"]) for e in released] == [(budi.officer_id, "claimed")]
    # Routed again (not back to Budi): Citra gets the card; Budi's messages offer the claim
    # again and no work.
    assert CLAIM in labels(card_of(citra))
    assert CLAIM in labels(card_of(budi)) and "✅ Selesai ditangani" not in labels(card_of(budi))
    details = next(m for m in budi.messages if m.message_id == details.message_id)
    assert labels(details) == [CLAIM]
    await citra.press(CLAIM)
    await deliver(tipbot)
    assert (await reload(tipbot, Report, report.id)).assignee_id == citra.officer_id
    assert "Diambil oleh Citra" in card_of(budi).text
    assert emu.violations == [] and emu.errors == []


async def test_a_closed_case_reopens_and_its_messages_lose_the_old_status_buttons(tipbot, emu):
    budi, reporter, report = await claimed_case(tipbot, emu)
    await budi.press(DETAILS, card_of(budi))            # asked for: edited later too
    asked = budi.last
    await budi.press("🚫 Tidak dapat ditindaklanjuti", card_of(budi))
    await budi.press("Informasi belum cukup untuk ditelusuri")
    await deliver(tipbot)
    notice = texts(reporter)[-1]
    assert notice == (
        f"Laporan Anda {report.case_number} telah ditutup karena tidak dapat "
        "ditindaklanjuti. Informasi yang ada belum cukup untuk menelusuri hal ini. Jika "
        "masalahnya berlanjut atau ada informasi baru, silakan buat laporan baru dengan "
        "/lapor. Jika ada yang sedang dalam bahaya, lihat nomor darurat dengan /darurat.")
    views = [c for c in await all_rows(tipbot, CaseCard)]
    assert sorted(c.kind for c in views) == ["card", "details", "details"]
    for view in views:                 # card, details after the claim, details asked for
        message = next(m for m in budi.messages if m.message_id == view.message_id)
        assert "🚫 Tidak dapat ditindaklanjuti" not in labels(message)
        assert "🔓 Buka kembali" in labels(message)
        assert "Ditutup: tidak dapat ditindaklanjuti" in message.text
        assert "Alasan: Informasi belum cukup untuk ditelusuri" in message.text
    assert asked.message_id in [v.message_id for v in views]

    await budi.press("🔓 Buka kembali", card_of(budi))
    await deliver(tipbot)
    stored = await reload(tipbot, Report, report.id)
    assert stored.status == "in_progress" and stored.closed_at is None
    assert stored.status_reason is None
    assert texts(reporter)[-1].startswith(f"Laporan Anda {report.case_number} dibuka kembali")
    assert "✅ Selesai ditangani" in labels(card_of(budi))
    reopened = [e for e in await all_rows(tipbot, CaseEvent) if e.kind == "reopened"]
    assert [e.detail["from"] for e in reopened] == ["invalid"]
    assert emu.violations == [] and emu.errors == []


async def test_snooze_holds_the_reminders_until_it_ends(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    await budi.press(CLAIM)
    await deliver(tipbot)
    await budi.press("⏰ Tunda 1 jam", card_of(budi))
    await deliver(tipbot)
    stored = (await all_rows(tipbot, Report))[0]
    assert stored.snoozed_until == tipbot.clock() + timedelta(hours=1)
    assert "Pengingat ditunda sampai" in card_of(budi).text
    assert [e.detail["hours"] for e in await all_rows(tipbot, CaseEvent)
            if e.kind == "snoozed"] == [1]

    tipbot.clock.advance(seconds=601)               # stale after 600 s, but snoozed
    assert await sweep(tipbot) == 0
    tipbot.clock.advance(seconds=3000)              # the snooze is over: reminded once
    await sweep(tipbot)
    assert await sweep(tipbot) == 0
    reminders = [t for t in texts(budi) if "belum ada tindak lanjut" in t]
    assert len(reminders) == 1
    rows = [r for r in await all_rows(tipbot, Outbox) if r.purpose == "remind"]
    assert len(rows) == 1 and rows[0].status == "sent"
    assert emu.violations == [] and emu.errors == []


async def test_riwayat_shows_old_and_new_status_with_the_reason(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    budi = await make_officer(tipbot, "Budi")
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    await budi.press(CLAIM)
    await deliver(tipbot)
    await budi.press("➡️ Disnaker", card_of(budi))
    await budi.say("Perekrut tidak terdaftar di Disnaker.")
    await deliver(tipbot)       # the card's edit (reasons gone, snooze back) is sent first
    await budi.press("⏰ Tunda 4 jam", card_of(budi))
    await budi.press("↩️ Kembalikan ke antrean", card_of(budi))
    await deliver(tipbot)
    await admin.say(f"/riwayat {report.case_number}")
    history = "\n".join(m.text for m in admin.messages[-2:])
    assert "Sedang ditangani petugas → Diteruskan ke instansi berwenang" in history
    assert "Alasan: Perekrut tidak terdaftar di Disnaker." in history
    assert "Pengingat ditunda · Budi · sampai" in history
    assert "Dikembalikan ke antrean oleh petugas · Budi" in history
    assert emu.violations == []


async def test_a_stale_reminder_snoozes_and_is_edited_to_say_so(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    await budi.press(CLAIM)
    await deliver(tipbot)
    tipbot.clock.advance(seconds=601)
    await sweep(tipbot)
    reminder = budi.message_with_button("⏰ Tunda 4 jam")
    assert "belum ada tindak lanjut" in reminder.text
    await budi.press("⏰ Tunda 4 jam", reminder)
    await deliver(tipbot)
    reminder = next(m for m in budi.messages if m.message_id == reminder.message_id)
    assert "Pengingat ditunda sampai 28 Nov 2026 13.10 WIB" in reminder.text
    assert labels(reminder) == [DETAILS]
    tipbot.clock.advance(hours=3)
    assert await sweep(tipbot) == 0
    assert [t for t in texts(budi) if "belum ada tindak lanjut" in t] == []
    assert emu.violations == [] and emu.errors == []


async def test_offered_reasons_give_way_to_other_work_and_a_reply_still_reaches_the_reporter(
        tipbot, emu):
    budi, siti, first = await claimed_case(tipbot, emu)
    second = await file_report(tipbot, Person(emu, first_name="Rina", started=True),
                               phone=None, company=None)
    await budi.press(CLAIM, budi.message_with_button(CLAIM))
    await deliver(tipbot)
    cards = cards_of(budi)
    card_a = next(m for m in cards if first.case_number in m.text)
    card_b = next(m for m in cards if second.case_number in m.text)

    # The reporter of the first case writes; Budi taps a status on it, then replies to her
    # message: the reply goes to her, not into the reason.
    await siti.say("Orangnya masih di rumah itu.")
    await deliver(tipbot)
    incoming = budi.message_with_button("↩️ Balas")
    await budi.press("🔍 Sedang diselidiki", card_a)
    emu.send_text(budi.user, "Baik, terima kasih infonya.", reply_to=incoming)
    await emu.settle()
    await deliver(tipbot)
    assert any("Baik, terima kasih infonya." in t for t in texts(siti))
    stored = await reload(tipbot, Report, first.id)
    assert stored.status == "in_progress" and stored.status_reason is None

    # A status on the second case: the first card's offered reasons go away.
    assert "Alasan (tidak wajib)" not in card_a.text            # the reply withdrew them already
    await budi.press("✔️ Sudah diverifikasi", card_a)
    assert "Alasan (tidak wajib)" in card_a.text
    await budi.press("✔️ Sudah diverifikasi", card_b)
    await deliver(tipbot)
    assert "Alasan (tidak wajib)" in card_b.text and "Alasan (tidak wajib)" not in card_a.text
    assert "🔍 Sedang diselidiki" in labels(card_a)
    # /batal withdraws them too; the reporter is told without a reason after REASON_WAIT.
    await budi.say("/batal")
    await deliver(tipbot)
    assert "Alasan (tidak wajib)" not in card_b.text and "🔍 Sedang diselidiki" in labels(card_b)
    tipbot.clock.advance(seconds=REASON_WAIT.total_seconds() + 1)
    await deliver(tipbot)
    assert (await reload(tipbot, Report, second.id)).status_reason is None
    assert emu.violations == [] and emu.errors == []


async def test_reminders_change_with_the_claim_and_the_close_not_with_each_status(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    tipbot.clock.advance(seconds=61)
    await sweep(tipbot)
    reminder = budi.message_with_button(CLAIM)
    assert "tanpa petugas" in reminder.text
    await budi.press(CLAIM, card_of(budi))
    await deliver(tipbot)
    assert reminder.text.endswith("· Diambil oleh Budi") and labels(reminder) == [DETAILS]
    edits = len(reminder.edits)
    for status in ("✔️ Sudah diverifikasi", "🔍 Sedang diselidiki"):
        await budi.press(status, card_of(budi))
        await budi.press("⏭️ Tanpa alasan", card_of(budi))
    await deliver(tipbot)
    assert len(reminder.edits) == edits          # the work's steps leave it alone
    await budi.press("✅ Selesai ditangani", card_of(budi))
    await deliver(tipbot)
    assert reminder.text.endswith("· Diambil oleh Budi · Selesai ditangani")
    assert len(reminder.edits) == edits + 1
    assert emu.violations == [] and emu.errors == []
