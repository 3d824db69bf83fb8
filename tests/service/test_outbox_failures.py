"""The outbox under Telegram's failures: a 429 longer than the claim lease delivers once,
a group upgraded to a supergroup is followed, an unknown error is dead-lettered."""
from __future__ import annotations

import asyncio

import pytest

from bot.channels.telegram.sender import channels
from bot.services import outbox
from bot.services.delivery import Deliverer
from models import CaseCard, ChatMove, Outbox
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import FAST, all_rows, deliver, file_report, make_officer


@pytest.fixture
async def limited_bot(emu, engine, data_dir, key):
    """The production rate limiter, as `tipbot run` has it."""
    running = await start_bot(emu, engine, data_dir, encryption_key=key, rate_limit=True, **FAST)
    emu.attach(running.app)
    await emu.settle()
    yield running
    await stop_bot(running)
    assert emu.violations == []


def cards_to(emu, chat_id: int, case_number: str) -> int:
    """Messages Telegram delivered to the chat naming the case (refused calls excluded)."""
    return sum(case_number in (m.text or "") for m in emu.sent(chat_id))


async def test_429_longer_than_the_lease_reschedules_and_two_workers_deliver_once(
        limited_bot, emu):
    tipbot = limited_bot
    officer = await make_officer(tipbot, "Budi")
    assert outbox.LOCK_FOR.total_seconds() < 90
    emu.fail_next("sendMessage", 429, retry_after=90, chat_id=officer.chat_id)
    # Would sleep 90 s (twice) inside the send with PTB's AIORateLimiter; here it returns.
    report = await asyncio.wait_for(
        file_report(tipbot, Person(emu, first_name="Siti", started=True)), 30)
    row = next(r for r in await all_rows(tipbot, Outbox) if r.purpose == "card")
    assert row.status == "pending" and row.locked_until is None
    assert (row.next_attempt_at - tipbot.clock()).total_seconds() == 90

    other_worker = Deliverer(tipbot.services, channels(tipbot.app.bot, tipbot.services))        # a second process on the database
    tipbot.clock.advance(seconds=61)                 # past the lease, before retry_after
    await other_worker.run(wait=True)
    assert cards_to(emu, officer.chat_id, report.case_number) == 0
    tipbot.clock.advance(seconds=30)
    await asyncio.gather(other_worker.run(wait=True),
                         tipbot.app.bot_data.deliverer.run(wait=True))
    await deliver(tipbot)
    assert cards_to(emu, officer.chat_id, report.case_number) == 1
    assert len([c for c in await all_rows(tipbot, CaseCard) if c.officer_id]) == 1


async def test_group_upgraded_to_supergroup_gets_its_cards_at_the_new_id(emu, engine,
                                                                        data_dir, key):
    group = emu.group("Satgas PMI Lampung")
    tipbot = await start_bot(emu, engine, data_dir, encryption_key=key,
                             taskforce_chat_id=group.id, **FAST)
    try:
        await make_officer(tipbot, "Budi")
        supergroup = emu.upgrade_group(group)
        first = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
        await deliver(tipbot)
        assert any(first.case_number in (m.text or "") for m in emu.sent(supergroup.id))
        moves = await all_rows(tipbot, ChatMove)
        assert [(m.old_chat_id, m.new_chat_id) for m in moves] == [(group.id, supergroup.id)]
        second = await file_report(tipbot, Person(emu, first_name="Rina", started=True),
                                   phone="+6281311112222")
        await deliver(tipbot)
        assert any(second.case_number in (m.text or "") for m in emu.sent(supergroup.id))
        assert sum("upgraded to a supergroup" in e for e in emu.errors) == 1
    finally:
        await stop_bot(tipbot)
    assert emu.violations == []


async def test_an_unknown_error_is_dead_lettered_and_the_chat_moves_on(tipbot, emu):
    from bot.web.metrics import Metrics

    officer = await make_officer(tipbot, "Budi")
    emu.fail_next("sendMessage", 409, times=outbox.MAX_ATTEMPTS, chat_id=officer.chat_id,
                  description="Conflict: something Telegram never said before")
    first = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    for _ in range(outbox.MAX_ATTEMPTS):
        tipbot.clock.advance(hours=1)
        await deliver(tipbot)
    row = next(r for r in await all_rows(tipbot, Outbox)
               if r.purpose == "card" and r.officer_id == officer.officer_id)
    assert row.status == outbox.DEAD and row.attempts == outbox.MAX_ATTEMPTS
    assert cards_to(emu, officer.chat_id, first.case_number) == 0

    second = await file_report(tipbot, Person(emu, first_name="Rina", started=True),
                               phone="+6281311112222")
    assert cards_to(emu, officer.chat_id, second.case_number) == 1
    metrics = Metrics()
    await metrics.refresh(tipbot.services.sessions, now=tipbot.clock())
    assert metrics.outbox_dead._value.get() == 1
