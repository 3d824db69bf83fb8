"""Reminders and escalations fire once per interval, stop when the case moves on, and
survive restarts and a second process without ever being sent twice."""
from __future__ import annotations

import asyncio

from bot.app import build_services
from bot.channels.telegram.sender import channels
from bot.services.delivery import deliver_due
from bot.services.followups import run_sweep
from bot.storage.db import create_engine
from models import CaseEvent, Outbox
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import FAST, all_rows, deliver, file_report, make_officer, sweep, texts

REMINDER, ESCALATION = "⏰ Pengingat", "⚠️ Eskalasi"


def sent_texts(person) -> list[str]:
    """Each message as it was first sent (reminders are edited once the case moves on)."""
    return [(m.edits[0].get("text") if m.edits else m.text) or "" for m in person.messages]


def count(person, marker: str) -> int:
    return sum(marker in t for t in sent_texts(person))


async def test_unclaimed_reminders_each_interval_then_escalation_and_stop_on_claim(tipbot, emu):
    first = await make_officer(tipbot, "Budi")
    second = await make_officer(tipbot, "Citra")
    off_duty = await make_officer(tipbot, "Dewi", shift=False)
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))

    tipbot.clock.advance(seconds=30)
    assert await sweep(tipbot) == 0
    tipbot.clock.advance(seconds=31)
    assert await sweep(tipbot) == 1
    assert await sweep(tipbot) == 0            # same interval: nothing new
    for person in (first, second):
        assert count(person, REMINDER) == 1
    assert f"kasus {report.case_number} sudah menunggu 1 menit" in first.last.text
    assert count(off_duty, REMINDER) == 0 and texts(off_duty) == []

    tipbot.clock.advance(seconds=60)
    await sweep(tipbot)
    assert count(first, REMINDER) == 2 and count(second, REMINDER) == 2
    assert count(boss, ESCALATION) == 0

    tipbot.clock.advance(seconds=180)        # 301 s: fifth interval and the escalation
    await sweep(tipbot)
    assert count(boss, ESCALATION) == 1 and count(off_duty, ESCALATION) == 0
    assert "belum diambil siapa pun" in boss.last.text

    # Queued but not yet sent when the case is claimed: dropped at delivery.
    tipbot.clock.advance(seconds=60)
    async with tipbot.session() as session:
        await run_sweep(session, tipbot.services, now=tipbot.clock())
        await session.commit()
    await first.press("🙋 Ambil kasus", first.message_with_button("🙋 Ambil kasus"))
    await deliver(tipbot)
    tipbot.clock.advance(seconds=3600)
    await sweep(tipbot)
    unclaimed = "tanpa petugas"
    assert count(first, unclaimed) == 3 and count(second, unclaimed) == 3
    # Every reminder and escalation sent before the claim now says who took it, and
    # offers no claim any more.
    before_claim = [m for p in (first, second, boss) for m in p.messages if m.edits and any(
        marker in (m.edits[0].get("text") or "") for marker in (REMINDER, ESCALATION))]
    assert len(before_claim) == 7
    for message in before_claim:
        assert "Diambil oleh Budi" in message.text, message.text
        assert [label for label, _ in message.buttons] == ["📄 Rincian"]
    assert emu.errors == []            # no edit that changes nothing
    assert count(first, "belum ada tindak lanjut") == 1          # now it is a stale case of Budi's
    assert count(boss, "belum diambil siapa pun") == 1
    assert count(boss, "selama 1 jam") == 1   # stale, by then
    cancelled = [r for r in await all_rows(tipbot, Outbox) if r.status == "cancelled"]
    assert cancelled
    events = [e.kind for e in await all_rows(tipbot, CaseEvent)]
    assert events.count("reminder") == 5 and events.count("escalation") == 2
    assert emu.violations == []


async def test_stale_case_reminds_the_assignee_then_escalates_and_work_resets_it(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    await file_report(tipbot, Person(emu, first_name="Siti", started=True), urgent=True)
    await officer.press("🙋 Ambil kasus", officer.message_with_button("🙋 Ambil kasus"))
    await deliver(tipbot)
    boss_before = count(boss, ESCALATION)

    tipbot.clock.advance(seconds=601)
    await sweep(tipbot)
    await sweep(tipbot)
    assert count(officer, "selama 10 menit") == 1

    # A note is activity: the count starts again.
    await officer.press("📝 Catatan", officer.message_with_button("📝 Catatan"))
    await officer.say("Menunggu konfirmasi Disnaker.")
    tipbot.clock.advance(seconds=300)
    await sweep(tipbot)
    assert count(officer, "belum ada tindak lanjut") == 1
    tipbot.clock.advance(seconds=1500)        # 1800 s since the note
    await sweep(tipbot)
    assert count(boss, ESCALATION) == boss_before + 1
    assert "selama 30 menit" in boss.last.text
    assert emu.violations == []


async def test_off_duty_assignee_gets_no_stale_reminder(tipbot, emu):
    officer = await make_officer(tipbot, "Budi", start=8 * 60, end=9 * 60 + 5)
    await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    await officer.press("🙋 Ambil kasus", officer.message_with_button("🙋 Ambil kasus"))
    await deliver(tipbot)
    tipbot.clock.advance(seconds=601)         # 09:10 WIB: the shift ended at 09:05
    await sweep(tipbot)
    assert count(officer, REMINDER) == 0


async def test_restart_between_due_and_sent_sends_once(emu, engine, data_dir, key):
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, **FAST)
    emu.attach(bot.app)
    officer = await make_officer(bot, "Budi")
    await file_report(bot, Person(emu, first_name="Siti", started=True))
    bot.clock.advance(seconds=61)
    async with bot.session() as session:           # queued, then the process dies
        assert await run_sweep(session, bot.services, now=bot.clock()) == 1
        await session.commit()
    clock = bot.clock
    await stop_bot(bot)
    assert count(officer, REMINDER) == 0

    again = await start_bot(emu, engine, data_dir, clock=clock, encryption_key=key, **FAST)
    emu.attach(again.app)
    try:
        await emu.settle()                          # the start-up job delivers what is queued
        await deliver(again)
        assert count(officer, REMINDER) == 1
        await sweep(again)
        await sweep(again)
        assert count(officer, REMINDER) == 1
        assert emu.violations == []
    finally:
        await stop_bot(again)


async def test_two_processes_sweeping_at_once_send_each_reminder_once(tipbot, emu, database_url):
    officers = [await make_officer(tipbot, name) for name in ("Budi", "Citra", "Dewi")]
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    for _ in range(3):
        await file_report(tipbot, Person(emu, first_name="Siti", started=True), phone=None)
    before = [count(o, REMINDER) for o in officers]
    second_engine = create_engine(database_url)
    try:
        second = build_services(tipbot.settings, second_engine, tipbot.clock)
        services = [tipbot.services, second]
        for step in (61, 60, 180):
            tipbot.clock.advance(seconds=step)

            async def sweep_in(service):
                async with service.sessions() as session:
                    await run_sweep(session, service, now=service.clock())
                    await session.commit()

            await asyncio.gather(*(sweep_in(s) for s in services for _ in range(2)))
            await asyncio.gather(*(deliver_due(s, channels(tipbot.app.bot, s)) for s in services for _ in range(2)))
            await emu.settle()
        after = [count(o, REMINDER) for o in officers]
        # Three reports, reminded at 1, 2 and 5 intervals: nine reminders each.
        assert [a - b for a, b in zip(after, before)] == [9, 9, 9]
        assert count(boss, ESCALATION) == 3
        keys = [r.dedupe_key for r in await all_rows(tipbot, Outbox) if r.purpose == "remind"]
        assert len(keys) == len(set(keys))
        assert emu.violations == []
    finally:
        await second_engine.dispose()
