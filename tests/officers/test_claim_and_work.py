"""One winner per case, every card shows who took it, and the case is worked from chat."""
from __future__ import annotations

from tests.helpers.officers import (
    all_rows, card_of, claimed_case, deliver, exported_rows, file_report, forged_press,
    make_officer, reload, texts,
)

from models import CaseCard, CaseEvent, Officer, Report
from tests.helpers.harness import Person, start_bot, stop_bot

CLAIM = "🙋 Ambil kasus"


async def test_simultaneous_claims_have_exactly_one_winner_and_every_card_shows_it(
        emu, engine, data_dir, key):
    group = emu.group("Satgas PMI")
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, taskforce_chat_id=group.id)
    emu.attach(bot.app)
    try:
        officers = [await make_officer(bot, name) for name in ("Budi", "Citra", "Dewi", "Eko")]
        reporter = Person(emu, first_name="Siti", started=True)
        report = await file_report(bot, reporter, urgent=True)
        group_card = emu.last(group.id)
        assert group_card.buttons == []       # the group's notice carries no buttons (#7)
        presses = [emu.press(o.user, o.message_with_button(CLAIM), CLAIM) for o in officers]
        presses.append(emu.press(officers[0].user, officers[0].message_with_button(CLAIM), CLAIM))
        await emu.settle()
        await deliver(bot)

        stored = await reload(bot, Report, report.id)
        assert stored.assignee_id, [emu.callback_answer(p) for p in presses]
        winner = next(o for o in officers if o.officer_id == stored.assignee_id)
        assert stored.status == "claimed"
        claims = [e for e in await all_rows(bot, CaseEvent) if e.kind == "claimed"]
        assert len(claims) == 1
        answers = [emu.callback_answer(p)["text"] for p in presses]
        assert sum("Anda mengambil kasus" in (a or "") for a in answers) == 1
        assert all(("Sudah diambil oleh " + winner.user.first_name) in a
                   for a in answers if "Anda mengambil" not in (a or ""))
        cards = [c for c in await all_rows(bot, CaseCard) if c.kind == "card"]
        assert len(cards) == 5
        for card in cards:
            message = next(m for m in emu.sent(card.chat_id) if m.message_id == card.message_id)
            if card.chat_id == group.id:      # status only: the group sees no names
                assert "Sedang ditangani petugas" in message.text
                assert winner.user.first_name not in message.text
            else:
                assert f"Diambil oleh {winner.user.first_name}" in message.text
            assert CLAIM not in [label for label, _ in message.buttons]
        assert any("sedang ditangani oleh petugas Satgas" in t for t in texts(reporter))
        assert emu.unanswered_callbacks == []
        assert emu.violations == []
    finally:
        await stop_bot(bot)


async def test_assignee_works_the_case_and_the_reporter_is_told(tipbot, emu):
    officer, reporter, report = await claimed_case(tipbot, emu)
    details = officer.message_with_button("✅ Selesai ditangani")
    assert "Pelapor memilih anonim" in details.text

    await officer.press("📝 Catatan", details)
    await officer.say("Sudah menelepon Disnaker.")
    assert "Catatan untuk kasus" in officer.last.text

    await officer.press("➡️ Kepolisian", details)       # one tap: referred, no question
    await deliver(tipbot)
    stored = await reload(tipbot, Report, report.id)
    assert stored.status == "referred" and stored.referred_to == "police"
    await officer.press("Ada dugaan tindak pidana, misalnya TPPO")
    await deliver(tipbot)
    stored = await reload(tipbot, Report, report.id)
    assert stored.status_reason == "Ada dugaan tindak pidana, misalnya TPPO"
    # The reporter reads the sentence written for them, never the officer's wording.
    assert any("telah diteruskan ke Kepolisian untuk ditindaklanjuti. Instansi tersebut "
               "berwenang menangani perkara seperti ini." in t for t in texts(reporter))
    assert not any("TPPO" in t or "tindak pidana" in t for t in texts(reporter))

    await officer.press("✅ Selesai ditangani", details)
    await officer.say("Pelaku sudah ditangkap.")
    await deliver(tipbot)
    stored = await reload(tipbot, Report, report.id)
    assert stored.status == "resolved" and stored.closed_at is not None
    outcome = next(t for t in texts(reporter) if "telah selesai ditangani" in t)
    # A whole sentence and what to do next; no "ditutup: Selesai". The typed reason is
    # internal: on the case, never on the reporter's phone.
    assert "Pelaku" not in outcome and "ditangkap" not in outcome
    assert stored.status_reason == "Pelaku sudah ditangkap."
    assert "/lapor" in outcome and "/darurat" in outcome and ": Selesai" not in outcome
    card = next(m for m in officer.messages if m.edits and "Laporan baru" in m.edits[0]["text"])
    assert "Diambil oleh Budi · Selesai" in card.text
    # Closed: the card is no longer a new, urgent report.
    assert card.text.startswith(f"Kasus {report.case_number}") and "baru" not in card.text
    assert [label for label, _ in card.buttons] == ["🔓 Buka kembali", "📝 Catatan", "📄 Rincian"]
    kinds = [e.kind for e in await all_rows(tipbot, CaseEvent)]
    assert kinds.count("status") == 2 and kinds.count("note") == 1
    await officer.say("/kasus")
    assert "tidak memiliki kasus" in officer.last.text
    # The review sees the outcome and its reason in the export.
    _admin, (row,) = await exported_rows(tipbot)
    assert row["Alasan status"] == "Pelaku sudah ditangkap."
    assert emu.unanswered_callbacks == []
    assert emu.violations == [] and emu.errors == []


async def test_other_officers_cannot_work_a_taken_case_and_only_supervisors_reassign(tipbot, emu):
    owner = await make_officer(tipbot, "Budi")
    other = await make_officer(tipbot, "Citra", shift=False)
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    await owner.press(CLAIM)
    await deliver(tipbot)
    # Forged presses: the data names the case; the database says no.
    await other.say("/kasus")
    await forged_press(emu, other, f"c:res:{report.card_token}")
    assert "ditangani oleh petugas lain" in emu.callback_answer(other.pressed)["text"]
    await forged_press(emu, other, f"c:rea:{report.card_token}")
    assert "Hanya supervisor" in emu.callback_answer(other.pressed)["text"]
    await forged_press(emu, other, f"c:to:{report.card_token}:{other.officer_id}")
    assert "Hanya supervisor" in emu.callback_answer(other.pressed)["text"]
    assert (await reload(tipbot, Report, report.id)).assignee_id == owner.officer_id

    await boss.say("/antrian")
    await forged_press(emu, boss, f"c:rea:{report.card_token}")
    await boss.press("Citra")
    await deliver(tipbot)
    assert (await reload(tipbot, Report, report.id)).assignee_id == other.officer_id
    assert any("Supervisor menugaskan kasus" in t for t in texts(other))
    card = card_of(owner)
    assert "Diambil oleh Citra" in card.text
    assert emu.unanswered_callbacks == []
    assert emu.violations == []


async def test_non_officers_get_nothing_from_case_buttons_or_commands(tipbot, emu):
    await make_officer(tipbot, "Budi")
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    stranger = Person(emu, first_name="Tono")
    await stranger.say("/kasus")
    assert "khusus untuk petugas" in stranger.last.text
    await forged_press(emu, stranger, f"c:claim:{report.card_token}")
    assert "khusus untuk petugas" in emu.callback_answer(stranger.pressed)["text"]
    assert (await reload(tipbot, Report, report.id)).assignee_id is None
    assert emu.violations == []


async def test_duty_commands(tipbot, emu):
    officer = await make_officer(tipbot, "Budi", shift=False)
    await make_officer(tipbot, "Citra", region="1871")
    await officer.say("/piket")
    assert "piket sampai Anda mengakhirinya" in officer.last.text
    await officer.say("/jadwal")
    assert "Sabtu" in officer.last.text and "08:00–16:00 Citra" in officer.last.text
    assert "Budi" in officer.last.text      # checked in
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True), phone=None)
    await officer.say("/antrian")
    assert report.case_number in officer.last.text
    await officer.say("/piket")
    assert "Piket Anda sudah berakhir" in officer.last.text
    assert (await reload(tipbot, Officer, officer.officer_id)).active
    assert emu.violations == []
