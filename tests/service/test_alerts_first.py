"""Officers' alerts are served ahead of everything else in the rate limiter, the rest of
the outbox (receipts, relays, notices) ahead of residents' prompts, and Telegram's
limits still hold."""
from __future__ import annotations

import asyncio

from telegram.ext import ExtBot

from bot.channels.telegram.ratelimit import ALERT, NORMAL, OUTBOX, PriorityRateLimiter
from tests.helpers.harness import TOKEN, Person, start_bot, stop_bot
from tests.helpers.officers import FAST, deliver, file_report, make_officer


async def test_a_waiting_alert_goes_before_waiting_prompts_and_the_outbox_before_prompts(emu):
    # Two messages at once, then one every 100 ms: the rest of the calls must wait.
    limiter = PriorityRateLimiter(overall=2, per_second=0.2)
    bot = ExtBot(TOKEN, base_url=emu.base_url, rate_limiter=limiter)
    people = [emu.user(first_name=f"Warga{i}", started=True) for i in range(6)]
    officer = emu.user(first_name="Budi", started=True)
    async with bot:
        def send(user, text: str, priority: int):
            return asyncio.create_task(bot.send_message(
                user.id, text, rate_limit_args={"priority": priority, "retries": 0}))

        prompts = [send(user, f"pertanyaan {i}", NORMAL) for i, user in enumerate(people)]
        while len(limiter._overall._waiters) < 4:          # two went, four wait
            await asyncio.sleep(0.005)
        receipt = send(people[0], "tanda terima", OUTBOX)
        card = send(officer, "kartu kasus", ALERT)
        await asyncio.gather(*prompts, receipt, card)
    sent = [r.params["text"] for r in emu.requests if r.method == "sendMessage"]
    assert sent[2:4] == ["kartu kasus", "tanda terima"]
    assert sorted(sent[:2]) == ["pertanyaan 0", "pertanyaan 1"]
    assert sent[4:] == [f"pertanyaan {i}" for i in range(2, 6)]
    assert emu.violations == []


async def test_the_bot_asks_for_alert_priority_for_cards_outbox_for_receipts_normal_for_prompts(
        emu, engine, data_dir, key, monkeypatch):  # noqa: F811
    asked: list[tuple[str, int]] = []
    original = PriorityRateLimiter.process_request

    async def spy(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        asked.append((data.get("chat_id"), (rate_limit_args or {}).get("priority", NORMAL)))
        return await original(self, callback, args, kwargs, endpoint, data, rate_limit_args)

    monkeypatch.setattr(PriorityRateLimiter, "process_request", spy)
    tipbot = await start_bot(emu, engine, data_dir, encryption_key=key, rate_limit=True, **FAST)
    emu.attach(tipbot.app)
    try:
        officer = await make_officer(tipbot, "Budi")
        resident = Person(emu, first_name="Siti", started=True)
        await resident.say("/start")
        await file_report(tipbot, resident)
        await deliver(tipbot)
    finally:
        await stop_bot(tipbot)
    assert (officer.chat_id, ALERT) in asked                     # the new-case card
    to_resident = [priority for chat, priority in asked if chat == resident.chat_id]
    assert to_resident == [NORMAL, OUTBOX]                       # the menu, then the receipt
    assert emu.violations == []


async def test_the_residents_gate_lets_a_submitted_report_in_before_waiting_answers():
    """Residents' database work is bounded (handlers.common.RESIDENT_WORK); a report being
    sent, whose officers' alerts wait for its commit, goes in before the answers waiting."""
    from bot.channels.telegram.ratelimit import PriorityGate
    gate, order = PriorityGate(2), []

    async def work(name: str, priority: int, hold: asyncio.Event | None = None):
        await gate.acquire(priority)
        order.append(name)
        try:
            if hold is not None:
                await hold.wait()
        finally:
            gate.release()

    hold = asyncio.Event()
    busy = [asyncio.create_task(work(f"busy {i}", NORMAL, hold)) for i in range(2)]
    await asyncio.sleep(0)
    answers = [asyncio.create_task(work(f"answer {i}", NORMAL)) for i in range(3)]
    gone = asyncio.create_task(work("gave up", NORMAL))
    await asyncio.sleep(0)
    submit = asyncio.create_task(work("submit", ALERT))
    await asyncio.sleep(0)
    gone.cancel()                                  # a waiter cancelled passes its turn on
    hold.set()
    await asyncio.gather(*busy, *answers, submit, return_exceptions=True)
    assert order == ["busy 0", "busy 1", "submit", "answer 0", "answer 1", "answer 2"]
    # Every place was given back.
    await asyncio.wait_for(asyncio.gather(gate.acquire(NORMAL), gate.acquire(NORMAL)), 5)
    gate.release()
    gate.release()
