"""An officer's desk: /start as an officer, words sent without a pending action (kept
until the officer chooses), and quick replies in one tap."""
from __future__ import annotations

import pytest

from bot.engine.callbacks import MAX_CALLBACK_BYTES
from models import Officer
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import (
    FAST, claimed_case, deliver, file_report, make_officer, reload, texts
)

THANKS = "Terima kasih, laporan Anda sedang kami tindak lanjuti."


async def test_officer_start_shows_their_desk_and_lapor_still_files_a_report(tipbot, emu):
    officer, _reporter, report = await claimed_case(tipbot, emu)
    await file_report(tipbot, Person(emu, first_name="Ani", started=True))       # one more, unclaimed
    menu = await officer.say("/start")
    assert "Selamat datang kembali, Budi." in menu.text
    assert "Anda menangani 1 kasus yang masih terbuka." in menu.text
    assert "1 kasus menunggu untuk diambil." in menu.text
    assert "Piket: sedang piket" in menu.text
    assert "/kasus" in menu.text and "/antrian" in menu.text and "/lapor" in menu.text
    assert "Selamat datang di layanan pengaduan" not in menu.text
    mine = await officer.press("📂 Kasus saya")
    assert report.case_number in mine.text
    queue = await officer.press("📥 Antrean", menu)
    assert "Kasus yang belum diambil" in queue.text and report.case_number not in queue.text

    # The same person can still report as a resident; their typing then goes to the form.
    await officer.say("/lapor")
    assert any("calo" in label for label, _ in officer.last.buttons), officer.last.text
    resident = Person(emu, first_name="Warga")
    assert "Selamat datang di layanan pengaduan" in (await resident.say("/start")).text
    assert emu.violations == []


async def test_text_with_one_open_case_is_kept_until_the_officer_sends_it(tipbot, emu):
    officer, reporter, report = await claimed_case(tipbot, emu)
    before = len(reporter.messages)
    offer = await officer.say("Apakah Anda masih di alamat yang sama?")
    assert report.case_number in offer.text and "Kirim pesan ini" in offer.text
    stored = await reload(tipbot, Officer, officer.officer_id)
    assert stored.unsent["report_id"] == report.id and stored.pending is None
    assert "alamat" not in str(stored.unsent)             # kept encrypted, never in clear
    second = await officer.say("Mohon balas jika aman.")
    assert "Kirim 2 pesan" in second.text
    assert len(reporter.messages) == before               # nothing sent before the choice

    await officer.press("✉️ Kirim ke pelapor", second)
    await deliver(tipbot)
    relayed = texts(reporter)[before:]
    assert len(relayed) == 2
    assert "Apakah Anda masih di alamat yang sama?" in relayed[0]
    assert "Mohon balas jika aman." in relayed[1]
    assert all(f"Petugas Satgas, kasus {report.case_number}:" in text for text in relayed)
    assert all("Budi" not in text for text in relayed)
    assert (await reload(tipbot, Officer, officer.officer_id)).unsent is None

    # A second tap on the old offer sends nothing again.
    emu.press(officer.user, offer, "✉️ Kirim ke pelapor")
    await deliver(tipbot)
    assert len(reporter.messages) == before + 2

    dropped = await officer.say("Catatan untuk diri sendiri")
    await officer.press("✖️ Jangan kirim", dropped)
    await deliver(tipbot)
    assert "Tidak dikirim" in officer.last.text
    assert len(reporter.messages) == before + 2
    assert emu.violations == []


async def test_text_without_exactly_one_open_case_gets_officer_help(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    help_text = (await officer.say("halo")).text
    assert "Perintah petugas" in help_text and "/kasus" in help_text and "/piket" in help_text
    assert "/undang" not in help_text
    for name in ("Siti", "Ani"):
        await file_report(tipbot, Person(emu, first_name=name, started=True))
    for card in [m for m in officer.messages if "Ambil kasus" in str(m.reply_markup)]:
        await officer.press("🙋 Ambil kasus", card)
    await deliver(tipbot)
    again = await officer.say("halo lagi")
    assert "Perintah petugas" in again.text
    assert (await reload(tipbot, Officer, officer.officer_id)).unsent is None
    assert emu.violations == []


async def test_quick_reply_is_two_taps_on_the_case_details(tipbot, emu):
    officer, reporter, report = await claimed_case(tipbot, emu)
    details = officer.message_with_button("💬 Balasan cepat")     # the replies' own panel
    assert report.case_number in details.text
    emu.press(officer.user, details, "💬 Balasan cepat")
    await emu.settle()
    assert "💬 Terima kasih, laporan Anda sedang kami…" in dict(details.buttons)
    for row in details.reply_markup["inline_keyboard"]:
        for button in row:
            assert len(button["callback_data"].encode()) <= MAX_CALLBACK_BYTES
            assert "Terima" not in button["callback_data"]          # an index, not the text
    before = len(reporter.messages)
    preview = await officer.press("💬 Terima kasih, laporan Anda sedang kami…", details)
    await deliver(tipbot)
    # A tap shows the whole text first; nothing goes before Send.
    assert THANKS in preview.text and "akan membaca pesan ini" in preview.text
    assert [label for label, _ in preview.buttons] == ["✉️ Kirim", "✖️ Batal"]
    assert len(reporter.messages) == before
    await officer.press("✉️ Kirim", preview)
    await deliver(tipbot)
    assert len(reporter.messages) == before + 1
    assert THANKS in reporter.last.text and report.case_number in reporter.last.text
    assert "Budi" not in reporter.last.text
    # The officer is told it was delivered, as for the words they type.
    assert officer.last.text == f"✅ Pesan Anda sudah terkirim kepada pelapor kasus {report.case_number}."
    # The prompt of "message the reporter" offers them too.
    prompt = await officer.press("✉️ Kirim pesan ke pelapor")
    assert any(label.startswith("💬 Jika ada, mohon kirimkan") for label, _ in prompt.buttons)
    assert emu.violations == []


@pytest.fixture
async def configured_bot(emu, engine, data_dir, key):
    running = await start_bot(emu, engine, data_dir, encryption_key=key,
                              canned_replies=["Mohon datang ke kantor Disnaker hari Senin.",
                                              "Nomor kami: 0721-000000."], **FAST)
    emu.attach(running.app)
    await emu.settle()
    yield running
    await stop_bot(running)


async def test_configured_quick_replies_are_used_as_given(configured_bot, emu):
    officer, reporter, _report = await claimed_case(configured_bot, emu)
    details = officer.message_with_button("💬 Balasan cepat")
    emu.press(officer.user, details, "💬 Balasan cepat")
    await emu.settle()
    assert "💬 Nomor kami: 0721-000000." in dict(details.buttons)
    assert not any(THANKS[:20] in label for label, _ in details.buttons)
    await officer.press("💬 Nomor kami: 0721-000000.", details)
    await officer.press("✉️ Kirim")
    await deliver(configured_bot)
    assert "Nomor kami: 0721-000000." in reporter.last.text
    assert emu.violations == []


def test_canned_replies_setting_is_split_on_bars_and_kept_short():
    from pydantic import ValidationError

    from bot.config import Settings
    settings = Settings(_env_file=None, canned_replies="Terima kasih. | Mohon kirim foto; bila ada|")
    assert settings.canned_replies == ["Terima kasih.", "Mohon kirim foto; bila ada"]
    assert Settings(_env_file=None).canned_replies == []
    with pytest.raises(ValidationError):
        Settings(_env_file=None, canned_replies="|".join(str(i) for i in range(11)))


async def test_a_default_quick_reply_reaches_an_english_reporter_in_english(tipbot, emu):
    from models import Reporter
    officer, reporter, report = await claimed_case(tipbot, emu)
    async with tipbot.session() as session:
        stored = await session.get(Reporter, report.reporter_id)
        stored.locale = "en"
        await session.commit()
    preview = await officer.press("💬 Terima kasih, laporan Anda sedang kami…")
    # The officer reads what the reporter will read: the English words.
    assert "Thank you, we are following up on your report." in preview.text
    await officer.press("✉️ Kirim", preview)
    await deliver(tipbot)
    assert "Thank you, we are following up on your report." in reporter.last.text
    assert f"Task-force officer, case {report.case_number}:" in reporter.last.text
    assert emu.violations == []
