"""The outbox wakes when a row comes due, not at the next sweep (SWEEP_INTERVAL is an hour
here): after flood limits and server errors a card still goes out within seconds, and a
429 is not a failed attempt. The clock runs at the wall clock's pace."""
from __future__ import annotations

import asyncio

import pytest

from bot.services import outbox
from models import Outbox
from tests.helpers.harness import Person, RunningClock, start_bot, stop_bot
from tests.helpers.officers import FAST, all_rows, file_report, make_officer
from tests.helpers.service import START, until


@pytest.fixture
async def on_time_bot(emu, engine, data_dir, key):
    running = await start_bot(emu, engine, data_dir, clock=RunningClock(START),
                              encryption_key=key, rate_limit=True, **FAST)
    emu.attach(running.app)
    await emu.settle()
    yield running
    await stop_bot(running)
    assert emu.violations == []


def mentions(person: Person, case_number: str) -> int:
    return sum(case_number in (m.text or "") for m in person.messages)


async def recorded(tipbot, purpose: str) -> Outbox | None:
    """The row of ``purpose`` once it is recorded as sent (a moment after Telegram has it)."""
    rows = [r for r in await all_rows(tipbot, Outbox) if r.purpose == purpose]
    return rows[0] if rows and rows[0].status == outbox.SENT else None


def injected(emu) -> int:
    return sum("injected" in error for error in emu.errors)


async def test_card_after_two_flood_limits_and_two_bad_gateways_goes_out_within_seconds(
        on_time_bot, emu):
    tipbot = on_time_bot
    officer = await make_officer(tipbot, "Budi")
    emu.fail_next("sendMessage", 429, retry_after=2, times=2, chat_id=officer.chat_id)
    emu.fail_next("sendMessage", 502, times=2, chat_id=officer.chat_id)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True),
                               delivered=False)
    await tipbot.app.bot_data.deliverer.run()      # what the submit does
    # 2 + 2 s of flood limit, then 1 + 2 s of back-off: nothing but the alarm wakes it.
    await until(lambda: mentions(officer, report.case_number) == 1, 30, "the card")
    assert injected(emu) == 4
    await until(lambda: recorded(tipbot, outbox.CARD), 10, "the card recorded")
    card = await recorded(tipbot, outbox.CARD)
    assert card.attempts == 3                         # two 502s, then sent; no 429 counted
    await asyncio.sleep(1.5)
    assert mentions(officer, report.case_number) == 1


async def test_storm_of_429_then_503_delivers_receipt_and_card_once_within_a_minute(
        on_time_bot, emu):
    tipbot = on_time_bot
    officer = await make_officer(tipbot, "Budi")
    siti = Person(emu, first_name="Siti", started=True)
    emu.fail_next("sendMessage", 429, retry_after=1, times=20)
    emu.fail_next("sendMessage", 503, times=2, description="Service Unavailable")
    report = await file_report(tipbot, siti, delivered=False)
    await tipbot.app.bot_data.deliverer.run()
    await until(lambda: injected(emu) == 22, 90, "the storm")
    # Telegram has recovered: within a minute both are delivered.
    await until(lambda: mentions(officer, report.case_number) == 1
                and mentions(siti, report.case_number) == 1, 60, "receipt and card")
    for purpose in (outbox.CARD, outbox.RECEIPT):
        await until(lambda: recorded(tipbot, purpose), 10, f"the {purpose} recorded")
    rows = {r.purpose: r for r in await all_rows(tipbot, Outbox)}
    # Only the 503s counted as attempts (the 429s did not).
    assert rows[outbox.CARD].attempts + rows[outbox.RECEIPT].attempts <= 2 + 2
    await asyncio.sleep(2)
    assert mentions(officer, report.case_number) == 1
    assert mentions(siti, report.case_number) == 1
