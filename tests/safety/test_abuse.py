"""Brakes on abuse: daily quota, one urgent page per hour, a surge queued not dropped,
relayed files within the limits, and a pause after too many wrong follow-up codes."""
from __future__ import annotations

from models import Evidence, Outbox, Report, Reporter
from tests.helpers.form import ALL_DETAILS, walk_form
from tests.helpers.harness import Person, running_bot
from tests.helpers.officers import FAST, all_rows, deliver, file_report, make_officer, sweep, texts

SEND = "📨 Kirim laporan"


async def test_a_fourth_report_in_24_hours_is_refused_kindly(tipbot, emu):
    await make_officer(tipbot, "Budi")
    siti = Person(emu, first_name="Siti", started=True)
    await file_report(tipbot, siti)
    await file_report(tipbot, siti)
    await walk_form(siti, **ALL_DETAILS)          # the third, written in the chat
    tipbot.clock.advance(hours=1)
    assert "Nomor kasus" in (await siti.press(SEND)).text

    tipbot.clock.advance(hours=2)
    before = len(siti.messages)
    await siti.say("/lapor")
    answer = "\n".join(siti.texts_since(before))
    assert "sudah mengirim 3 laporan dalam 24 jam terakhir" in answer
    assert "mulai 29 Nov 2026 09.00 WIB" in answer          # 24 h after the first
    assert "110" in answer                                   # the emergency contacts
    assert len(await all_rows(tipbot, Report)) == 3
    tipbot.clock.advance(hours=21, seconds=1)                # the first slot is free again
    await walk_form(siti, **ALL_DETAILS)
    assert "Nomor kasus" in (await siti.press(SEND)).text
    assert len(await all_rows(tipbot, Report)) == 4
    assert emu.violations == []


async def _report_of(tipbot, person: Person) -> None:
    """A report of this person stored directly (their draft stays as it is)."""
    from bot.services.residents import identify_reporter
    async with tipbot.session() as session:
        who = await identify_reporter(session, vault=tipbot.services.vault, channel="telegram",
                                      user_id=person.chat_id, chat_id=person.chat_id,
                                      now=tipbot.clock())
        session.add(Report(case_number=f"LPG-2611-T{len(await all_rows(tipbot, Report))}",
                           followup_hash=str(tipbot.clock.now.timestamp()) + person.user.first_name
                           + str(len(await all_rows(tipbot, Report))),
                           reporter_id=who.id, category="calo", region_code="1871",
                           created_at=tipbot.clock(), last_activity_at=tipbot.clock()))
        await session.commit()


async def test_sending_past_the_quota_keeps_the_draft(tipbot, emu):
    siti = Person(emu, first_name="Siti", started=True)
    await walk_form(siti, **ALL_DETAILS)
    for _ in range(3):
        await _report_of(tipbot, siti)
    before = len(siti.messages)
    await siti.press(SEND)
    answer = "\n".join(siti.texts_since(before))
    assert "Laporan ini tetap tersimpan" in answer and "110" in answer
    assert len(await all_rows(tipbot, Report)) == 3
    tipbot.clock.advance(hours=24, seconds=1)
    await siti.say("/lapor")
    await siti.press("Lanjutkan")
    assert "Nomor kasus" in (await siti.press(SEND)).text
    assert len(await all_rows(tipbot, Report)) == 4
    assert emu.violations == []


async def test_urgent_pages_from_one_reporter_are_collapsed_to_one_an_hour(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    citra = await make_officer(tipbot, "Citra")
    gita = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    siti = Person(emu, first_name="Siti", started=True)

    def cards(person):
        return [t for t in texts(person) if "Laporan baru" in t]

    first = await file_report(tipbot, siti, urgent=True)
    assert all(len(cards(p)) == 1 for p in (budi, citra, gita))
    tipbot.clock.advance(seconds=35)
    second = await file_report(tipbot, siti, urgent=True)
    # Still an urgent case, but one officer gets it; nobody is paged again.
    assert sorted(len(cards(p)) for p in (budi, citra)) == [1, 2]
    assert len(cards(gita)) == 1
    assert any(second.case_number in t for t in cards(budi) + cards(citra))
    # Nor do its reminders page in its place: it keeps the normal timers.
    tipbot.clock.advance(seconds=150)
    await sweep(tipbot)
    escalated = {row.report_id for row in await all_rows(tipbot, Outbox)
                 if (row.dedupe_key or "").startswith("escalate:")}
    assert first.id in escalated and second.id not in escalated
    tipbot.clock.advance(minutes=61)
    third = await file_report(tipbot, siti, urgent=True)
    assert all(any(third.case_number in t for t in cards(p)) for p in (budi, citra, gita))
    stored = {r.case_number: r for r in await all_rows(tipbot, Report)}
    assert all(stored[r.case_number].urgent for r in (first, second, third))
    # Another reporter's urgent report pages everyone as usual.
    fourth = await file_report(tipbot, Person(emu, first_name="Wati", started=True), urgent=True)
    assert all(any(fourth.case_number in t for t in cards(p)) for p in (budi, citra, gita))
    assert emu.violations == []


async def test_a_surge_of_alerts_waits_in_the_outbox_and_none_is_dropped(
        emu, engine, data_dir, key):
    async with running_bot(emu, engine, data_dir, encryption_key=key, alerts_per_minute=2,
                           **FAST) as bot:
        budi = await make_officer(bot, "Budi")
        reports = [await file_report(bot, Person(emu, first_name=f"Warga{i}", started=True))
                   for i in range(5)]
        assert len([t for t in texts(budi) if "Laporan baru" in t]) == 2
        waiting = [r for r in await all_rows(bot, Outbox) if r.status == "pending"]
        assert len(waiting) == 3
        bot.clock.advance(seconds=61)
        await deliver(bot)
        assert len([t for t in texts(budi) if "Laporan baru" in t]) == 4
        bot.clock.advance(seconds=61)
        await deliver(bot)
        shown = "\n".join(texts(budi))
        assert all(r.case_number in shown for r in reports)


async def test_files_relayed_after_submission_keep_the_evidence_limits(
        emu, engine, data_dir, key):
    async with running_bot(emu, engine, data_dir, encryption_key=key, max_evidence_files=2,
                           **FAST) as bot:
        budi = await make_officer(bot, "Budi")
        siti = Person(emu, first_name="Siti", started=True)
        await file_report(bot, siti)
        await budi.press("🙋 Ambil kasus")
        await deliver(bot)
        emu.send_document(siti.user, size=25 * 1024 * 1024)
        await deliver(bot)
        assert "lebih dari 20 MB" in siti.last.text
        for i in range(3):
            emu.send_photo(siti.user, data=b"\xff\xd8\xff\xe0photo-%d" % i)
            await deliver(bot)
        assert "sudah memiliki 2 bukti" in siti.last.text
        assert len(await all_rows(bot, Evidence)) == 2
        assert len([t for t in texts(budi) if "mengirim bukti baru" in t]) == 2


async def test_ten_wrong_follow_up_codes_in_an_hour_pause_the_account(tipbot, emu):
    siti = Person(emu, first_name="Siti", started=True)
    await file_report(tipbot, siti)
    guesser = Person(emu, first_name="Tebak", started=True)
    alphabet = "ACDEFHJKMN"
    for i in range(9):
        wrong = await guesser.say(f"/status ACDEF-HJKM{alphabet[i]}")
        assert "Tidak ada laporan" in wrong.text
    paused = await guesser.say("/status ACDEF-HJKMP")
    assert "Terlalu banyak kode" in paused.text and "WIB" in paused.text
    again = await guesser.say("/status ACDEF-HJKMQ")
    assert "Terlalu banyak kode" in again.text
    reporters = await all_rows(tipbot, Reporter)
    assert max(r.code_failures for r in reporters) == 10
    tipbot.clock.advance(minutes=61)
    assert "Tidak ada laporan" in (await guesser.say("/status ACDEF-HJKMR")).text
    assert emu.violations == []
