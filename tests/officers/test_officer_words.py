"""What an officer writes: a status reason is internal (on the case and in /riwayat, never on
the reporter's phone); the reporter reads sentences written for them; a message to the
reporter is announced as such; a quick reply is read in full before it goes."""
from __future__ import annotations

from bot.engine.i18n import get_translator
from bot.render import casework as work_view
from bot.render.officer import reporter_notice
from models import Report
from tests.helpers.officers import card_of, claimed_case, deliver, make_officer, reload, texts

PLAN = "Pelapor kemungkinan hanya dendam pribadi; penggerebekan besok pukul 05.00"


def test_every_status_and_common_reason_has_a_sentence_for_the_reporter():
    for lang in ("id", "en"):
        t = get_translator(lang)
        for status, reasons in work_view.REASONS.items():
            for key, officer_words in reasons.items():
                sentence = t(work_view.REPORTER_REASONS[key])
                # Its own words, in the catalog, not the officer's wording of the reason.
                assert sentence and sentence != t(officer_words), key
                report = Report(case_number="LPG-2611-KXQ4M", status=status,
                                referred_to="police", category="calo", region_code="1871",
                                followup_hash="x")
                notice = reporter_notice(t, report, key).text
                assert sentence in notice, (lang, key)
    assert set(work_view.REPORTER_REASONS) == set(work_view.REASON_KEYS)


async def test_a_typed_reason_stays_on_the_case_and_never_reaches_the_reporter(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    budi, reporter, report = await claimed_case(tipbot, emu)
    await budi.press("🚫 Tidak dapat ditindaklanjuti", card_of(budi))
    # The prompt says plainly who reads the reason: officers, not the reporter.
    assert "pelapor tidak pernah melihatnya" in card_of(budi).text
    saved = await budi.say(PLAN)
    await deliver(tipbot)
    assert "hanya petugas yang dapat melihatnya" in saved.text
    notice = texts(reporter)[-1]
    assert notice.startswith(f"Laporan Anda {report.case_number} telah ditutup karena tidak "
                             "dapat ditindaklanjuti.")
    assert not any("dendam" in t or "penggerebekan" in t for t in texts(reporter))
    assert (await reload(tipbot, Report, report.id)).status_reason == PLAN
    await admin.say(f"/riwayat {report.case_number}")
    assert "Alasan: " + PLAN in "\n".join(m.text for m in admin.messages[-2:])
    assert emu.violations == []


async def test_a_common_reason_reaches_the_reporter_in_words_written_for_them(tipbot, emu):
    budi, reporter, report = await claimed_case(tipbot, emu)
    await budi.press("🚫 Tidak dapat ditindaklanjuti", card_of(budi))
    await budi.press("Pelapor tidak dapat dihubungi untuk keterangan lebih lanjut")
    await deliver(tipbot)
    notice = texts(reporter)[-1]
    assert "Kami belum memperoleh keterangan tambahan yang kami perlukan." in notice
    assert "tidak dapat dihubungi" not in notice and "Pelapor" not in notice
    assert emu.violations == []


async def test_the_message_prompt_says_the_reporter_reads_it(tipbot, emu):
    budi, _reporter, _report = await claimed_case(tipbot, emu)
    prompt = await budi.press("✉️ Kirim pesan ke pelapor")
    assert "Pelapor akan membacanya di ponselnya persis seperti yang Anda tulis" in prompt.text
    assert emu.violations == []


async def open_quick_replies(officer) -> None:
    """The quick replies are a panel of the case's details (the card fits a phone)."""
    details = officer.message_with_button("💬 Balasan cepat")
    officer.emu.press(officer.user, details, "💬 Balasan cepat")
    await officer.emu.settle()


async def test_a_quick_reply_is_read_in_full_then_sent_once_or_cancelled(tipbot, emu):
    budi, reporter, report = await claimed_case(tipbot, emu)
    await open_quick_replies(budi)
    label = next(label for m in reversed(budi.messages) for label, _ in m.buttons
                 if label.startswith("💬 Jika ada yang dalam bahaya"))
    before = len(reporter.messages)
    preview = await budi.press(label)
    await deliver(tipbot)
    assert len(reporter.messages) == before                      # nothing sent on a tap
    assert "segera hubungi polisi di nomor 110" in preview.text         # the whole text
    assert label.endswith("…") and label[2:-1] in preview.text

    await budi.press("✖️ Batal", preview)
    await deliver(tipbot)
    assert len(reporter.messages) == before
    assert "Tidak dikirim" in budi.last.text

    preview = await budi.press(label)
    await budi.press("✉️ Kirim", preview)
    await deliver(tipbot)
    assert len(reporter.messages) == before + 1
    assert "segera hubungi polisi di nomor 110" in reporter.last.text
    # The preview's buttons are gone: a second tap cannot send it again.
    shown = next(m for m in budi.messages if m.message_id == preview.message_id)
    assert shown.buttons == []
    assert emu.violations == []


async def test_send_under_a_preview_whose_words_changed_sends_nothing(tipbot, emu):
    from models import Reporter

    budi, reporter, report = await claimed_case(tipbot, emu)
    await open_quick_replies(budi)
    label = next(label for m in reversed(budi.messages) for label, _ in m.buttons
                 if label.startswith("💬 Terima kasih"))
    preview = await budi.press(label)
    async with tipbot.session() as session:         # the reporter switched to English since
        stored = await session.get(Reporter, report.reporter_id)
        stored.locale = "en"
        await session.commit()
    before = len(reporter.messages)
    await budi.press("✉️ Kirim", preview)
    await deliver(tipbot)
    assert len(reporter.messages) == before
    assert "sudah berubah" in list(emu.callbacks.values())[-1]["text"]
    assert emu.violations == []
