"""An officer's card fits a phone: at most six rows of buttons after a claim, the rest one
tap away behind More (and back); a closed case's card is no longer a new, urgent report;
/batal with nothing to cancel gives the officer's desk; /undang supervisor says supervisor."""
from __future__ import annotations

import pytest

from bot.engine.domain import Role
from bot.engine.i18n import get_translator
from bot.render import casework
from bot.render import officer as view
from bot.render.officer_desk import CANNED_LABEL_CHARS
from bot.render.text import truncate
from bot.services.desk import canned_replies
from models import Report
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import card_of, deliver, file_report, make_officer, reload

MORE, REPLIES, BACK = "⋯ Lainnya", "💬 Balasan cepat", "⬅️ Kembali"
# Everything an assignee could do on the card before it was cut to fit a phone.
EVERY_ACTION = {"✔️ Sudah diverifikasi", "🔍 Sedang diselidiki", "➡️ Kepolisian",
                "➡️ KP2MI / BP3MI", "➡️ Disnaker", "✅ Selesai ditangani",
                "🚫 Tidak dapat ditindaklanjuti", "♻️ Sama dengan laporan lain",
                "✉️ Kirim pesan ke pelapor", "📝 Catatan", "📎 Bukti", "⏰ Tunda 1 jam",
                "⏰ Tunda 4 jam", "↩️ Kembalikan ke antrean", "📄 Rincian"}


def rows(message) -> int:
    return len((message.reply_markup or {}).get("inline_keyboard", []))


def labels(message) -> set[str]:
    return {label for label, _ in message.buttons}


async def open_panel(person, message, label: str) -> set[str]:
    """Press a panel button on ``message``; what it shows then (checked: six rows)."""
    person.emu.press(person.user, message, label)
    await person.emu.settle()
    assert rows(message) <= 6, message.buttons
    return labels(message)


async def every_panel(person, message) -> set[str]:
    """What a message offers within two taps: its buttons and those of each panel."""
    seen = set(labels(message))
    for opener in (MORE, REPLIES):
        if opener in labels(message):
            seen |= await open_panel(person, message, opener)
            assert BACK in labels(message)
            await open_panel(person, message, BACK)
    return seen


async def test_the_claimed_card_and_details_have_six_rows_and_everything_two_taps_away(
        tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti", started=True)
    report = await file_report(tipbot, reporter, urgent=True)
    async with tipbot.session() as session:      # a file, so that Evidence is offered too
        from models import Evidence
        session.add(Evidence(report_id=report.id, kind="photo", path="x.jpg", sha256="0" * 64,
                             size=3, created_at=tipbot.clock()))
        await session.commit()
    await budi.press("🙋 Ambil kasus")
    await deliver(tipbot)
    card = card_of(budi)
    details = budi.message_with_button("✉️ Kirim pesan ke pelapor")
    assert details.message_id != card.message_id
    for shown in (card, details):
        assert rows(shown) <= 6, shown.buttons
        # The work done most is on the message itself.
        assert {"✉️ Kirim pesan ke pelapor", "✅ Selesai ditangani", "📝 Catatan",
                MORE} <= labels(shown)
        before = shown.text
        reachable = await every_panel(budi, shown)
        assert shown.text == before and rows(shown) <= 6      # only the buttons changed
        assert EVERY_ACTION - {"📄 Rincian"} <= reachable, EVERY_ACTION - reachable
        quick = canned_replies(get_translator("id"), [])
        assert {label for label in reachable if label.startswith("💬 ")} - {REPLIES} == {
            "💬 " + truncate(text, CANNED_LABEL_CHARS) for text in quick}
    assert "📄 Rincian" in labels(card)
    # An action behind More works from there, and the card comes back to its first panel.
    await open_panel(budi, card, MORE)
    await budi.press("⏰ Tunda 1 jam", card)
    await deliver(tipbot)
    assert (await reload(tipbot, Report, report.id)).snoozed_until is not None
    assert MORE in labels(card) and rows(card) <= 6
    assert emu.calls("editMessageReplyMarkup")             # a panel changes only buttons
    assert emu.violations == [] and emu.errors == []


async def test_ten_quick_replies_still_fit(emu, engine, data_dir):
    replies = [f"Balasan cepat nomor {n} untuk pelapor" for n in range(1, 11)]
    tipbot = await start_bot(emu, engine, data_dir, canned_replies=replies)
    try:
        budi = await make_officer(tipbot, "Budi")
        await file_report(tipbot, Person(emu, first_name="Siti", started=True))
        await budi.press("🙋 Ambil kasus")
        await deliver(tipbot)
        card = card_of(budi)
        shown = await open_panel(budi, card, REPLIES)
        assert {"💬 " + reply for reply in replies} <= shown and BACK in shown
    finally:
        await stop_bot(tipbot)


def test_no_panel_of_any_status_passes_six_rows():
    t = get_translator("id")
    facts = view.CardFacts(attachments=2, same_phone=0, assignee_name="Budi", assignee_id=1)
    from bot.engine.regions import load_regions
    regions = load_regions()
    for status in ("claimed", "verified", "in_progress", "referred", "resolved"):
        for awaits in (False, True):
            report = Report(case_number="LPG-2611-AAAAA", category="calo", urgent=True,
                            region_code="1871", status=status, card_token="tok12345678A",
                            referred_to="police" if status == "referred" else None)
            for panel in casework.PANELS:
                card = view.case_card(t, report, facts, regions, viewer_id=1, panel=panel,
                                      quick_replies=[f"q{n}" for n in range(10)])
                _, keyboard = view.details_blocks(
                    t, report, view.CardFacts(**{**facts.__dict__, "awaits_reason": awaits}),
                    regions, contact=None, mine=True, panel=panel,
                    quick_replies=[f"q{n}" for n in range(10)])
                assert len(card.keyboard.inline_keyboard) <= 6, (status, panel)
                assert len(keyboard.inline_keyboard) <= 6, (status, panel, awaits)


@pytest.mark.parametrize("urgent", [True, False])
async def test_a_card_is_new_until_claimed_and_urgent_until_closed(tipbot, emu, urgent):
    budi = await make_officer(tipbot, "Budi")
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True),
                               urgent=urgent)
    card = card_of(budi)
    assert f"Laporan baru {report.case_number}" in card.text
    await budi.press("🙋 Ambil kasus")
    await deliver(tipbot)
    # Claimed, it is no longer new (review row 29): "Kasus", still urgent while open.
    assert card.text.startswith(("🚨 DARURAT " if urgent else "") + f"Kasus {report.case_number}")
    assert "Laporan baru" not in card.text
    await budi.press("♻️ Sama dengan laporan lain", card)
    await budi.press("⏭️ Tanpa alasan", card)
    await deliver(tipbot)
    assert card.text.startswith(f"Kasus {report.case_number}")
    assert "🚨" not in card.text and "Laporan baru" not in card.text
    assert "Ditutup: sama dengan laporan lain" in card.text


async def test_batal_with_nothing_to_cancel_gives_the_officer_desk(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    reply = await budi.say("/batal")
    assert "Tidak ada yang perlu dibatalkan: Anda tidak sedang menulis" in reply.text
    assert "Selamat datang kembali, Budi" in reply.text and "/kasus" in reply.text
    assert "📝 Buat laporan" not in labels(reply)               # not the residents' menu
    # Mid-report (an officer may report too), /batal still cancels the report.
    await budi.say("/lapor")
    cancelled = await budi.say("/batal")
    assert "Laporan Anda dibatalkan" in cancelled.text or "dibatalkan" in cancelled.text
    assert "Selamat datang kembali" not in cancelled.text


@pytest.mark.parametrize("role,word", [("supervisor", "sebagai supervisor"),
                                       ("admin", "sebagai admin"),
                                       ("", "sebagai petugas"),
                                       ("kepala", "sebagai petugas")])
async def test_undang_says_the_role_the_link_gives(tipbot, emu, role, word):
    ani = await make_officer(tipbot, "Ani", role=Role.ADMIN)
    reply = await ani.say(f"/undang {role}".strip())
    assert word in reply.text and "t.me/" in reply.text
