"""The surge brake (ALERTS_PER_MINUTE): an urgent case's cards are never braked, braked
cards go out as their minute comes, and reports submitted at the same moment each take a
slot of their own (they used to all read the same count)."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.services.reports import submit_report
from bot.services.residents import identify_reporter
from models import Draft, Outbox
from tests.helpers.harness import Person, RunningClock, start_bot, stop_bot
from tests.helpers.officers import FAST, all_rows, deliver, file_report, make_officer, texts
from tests.helpers.service import START, until


async def test_an_urgent_case_passes_the_brake_while_the_others_wait(emu, engine, data_dir, key):
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, alerts_per_minute=2, **FAST)
    emu.attach(bot.app)
    try:
        budi = await make_officer(bot, "Budi")
        calm = [await file_report(bot, Person(emu, first_name=f"Warga{i}", started=True),
                                  phone=f"+62812000000{i}") for i in range(3)]
        shown = "\n".join(texts(budi))
        assert calm[0].case_number in shown and calm[1].case_number in shown
        assert calm[2].case_number not in shown              # braked: the next minute
        urgent = await file_report(bot, Person(emu, first_name="Rina", started=True),
                                   urgent=True, phone="+6281300000001")
        assert urgent.case_number in "\n".join(texts(budi))
        card = {r.report_id: r for r in await all_rows(bot, Outbox) if r.purpose == "card"}
        assert card[urgent.id].status == "sent"
        assert card[calm[2].id].status == "pending"        # still braked
        bot.clock.advance(seconds=61)
        await deliver(bot)
        card = {r.report_id: r for r in await all_rows(bot, Outbox) if r.purpose == "card"}
        assert card[calm[2].id].status == "sent"
    finally:
        await stop_bot(bot)
    assert emu.violations == []


async def submit_at_once(bot, people: list[Person]) -> list:
    """Reports submitted at the same moment, each in a transaction of its own."""
    services = bot.services

    async def one(person: Person, index: int):
        async with bot.session() as session:
            who = await identify_reporter(session, vault=services.vault, channel="telegram",
                                          user_id=person.chat_id, chat_id=person.chat_id,
                                          now=bot.clock())
            draft = Draft(reporter_id=who.id, step="summary", answers=dict(
                category="calo", urgent=False, region="1871", description="Calo di desa.",
                suspect_name="Pak Joko", suspect_phone=f"+62812555000{index:02d}"))
            session.add(draft)
            await session.flush()
            receipt = await submit_report(session, vault=services.vault, draft=draft,
                                          reporter=who, now=bot.clock(),
                                          rules=services.routing_rules)
            await session.commit()
            return receipt.report

    return await asyncio.gather(*(one(p, i) for i, p in enumerate(people)))


async def test_reports_submitted_at_once_each_take_a_slot_of_their_own(emu, engine, data_dir,
                                                                       key):
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, alerts_per_minute=2, **FAST)
    emu.attach(bot.app)
    try:
        await make_officer(bot, "Budi")
        people = [Person(emu, first_name=f"Warga{i}", started=True) for i in range(5)]
        await submit_at_once(bot, people)
        cards = [r for r in await all_rows(bot, Outbox) if r.purpose == "card"]
        minutes = sorted((r.next_attempt_at - bot.clock()) // timedelta(minutes=1)
                         for r in cards)
        assert minutes == [0, 0, 1, 1, 2]
    finally:
        await stop_bot(bot)


async def test_a_braked_card_goes_out_as_its_minute_comes(emu, engine, data_dir, key):
    bot = await start_bot(emu, engine, data_dir, clock=RunningClock(START), encryption_key=key,
                          alerts_per_minute=1, **FAST)
    emu.attach(bot.app)
    try:
        budi = await make_officer(bot, "Budi")
        first = await file_report(bot, Person(emu, first_name="Warga", started=True))
        second = await file_report(bot, Person(emu, first_name="Rina", started=True),
                                   phone="+6281300000001")
        assert first.case_number in "\n".join(texts(budi))
        assert second.case_number not in "\n".join(texts(budi))
        # Nearly a minute later (the clock jumps; the alarm is set again on the next quiet
        # moment): the card goes out when its minute comes, without a sweep.
        bot.clock.advance(seconds=58)
        await bot.app.bot_data.deliverer.run()
        assert second.case_number not in "\n".join(texts(budi))
        await until(lambda: second.case_number in "\n".join(texts(budi)), 15, "the braked card")
    finally:
        await stop_bot(bot)
    assert emu.violations == []
