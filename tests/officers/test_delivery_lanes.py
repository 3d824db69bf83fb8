"""The outbox sends to different chats at once (one lane per chat), and each chat's
messages still arrive in the order they were queued, once."""
from __future__ import annotations

import asyncio

from models import CaseCard, Outbox
from tests.harness import Person
from tests.officers.conftest import all_rows, deliver, file_report, make_officer, texts


def slow_chats(emu, monkeypatch, chat_ids: set[int], *, seconds: float | None = None) -> asyncio.Event:
    """Telegram is slow to answer sendMessage in these chats: with ``seconds``, that much
    later than the others; without, the first such call hangs until the returned event is
    set. Patched at the emulator's edge, as a slow network would be."""
    gate, hung = asyncio.Event(), []
    original = emu._call

    async def slow(method, params, files):
        if method == "sendMessage" and int(params.get("chat_id")) in chat_ids:
            if seconds is not None:
                await asyncio.sleep(seconds)
            elif not hung:
                hung.append(params["chat_id"])
                await gate.wait()
        return await original(method, params, files)

    monkeypatch.setattr(emu, "_call", slow)
    return gate


def case_of(card: str, reports) -> int:
    """Which report a card is about: the first case number it names (later ones are the
    related cases)."""
    return min((card.index(r.case_number), i) for i, r in enumerate(reports)
               if r.case_number in card)[1]


async def wait_for(predicate, what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def test_a_chat_telegram_is_slow_to_answer_does_not_hold_up_the_other_chats(
        tipbot, emu, monkeypatch):
    budi, andi = await make_officer(tipbot, "Budi"), await make_officer(tipbot, "Andi")
    gate = slow_chats(emu, monkeypatch, {budi.chat_id, andi.chat_id})
    siti = Person(emu, first_name="Siti", started=True)
    # Urgent: a card to each officer on duty, in one batch with the receipt.
    filing = asyncio.create_task(file_report(tipbot, siti, urgent=True, phone=None))
    try:
        # The first card hangs in its chat; the other card and the receipt go meanwhile.
        await wait_for(lambda: any("Nomor kasus" in t for t in texts(siti))
                       and len([p for p in (budi, andi) if texts(p)]) == 1, "the other chats")
    finally:
        gate.set()
    report = await asyncio.wait_for(filing, 20)
    await deliver(tipbot)
    assert [sum(report.case_number in t for t in texts(p)) for p in (budi, andi)] == [1, 1]
    assert emu.violations == []


async def test_one_chats_messages_keep_their_order_while_other_chats_are_sent_at_once(
        tipbot, emu, monkeypatch):
    officer = await make_officer(tipbot, "Budi")
    # The first card backs off; the next ones queue behind it, then all go in one batch.
    emu.fail_next("sendMessage", 429, retry_after=5, chat_id=officer.chat_id)
    residents = [Person(emu, first_name=name, started=True) for name in ("Siti", "Rina", "Dewi")]
    reports = [await file_report(tipbot, person, phone=f"+62812000000{i}")
               for i, person in enumerate(residents)]
    assert texts(officer) == []
    assert all(any(r.case_number in t for t in texts(p)) for r, p in zip(reports, residents))
    # Telegram answers the officer's chat slowly: were its cards sent side by side, the
    # later ones would overtake the first.
    slow_chats(emu, monkeypatch, {officer.chat_id}, seconds=0.3)
    tipbot.clock.advance(seconds=5)
    await deliver(tipbot)
    cards = [t for t in texts(officer) if "Laporan baru" in t]
    assert [case_of(card, reports) for card in cards] == [0, 1, 2]
    assert len(await all_rows(tipbot, CaseCard)) == 3
    assert emu.violations == []


async def test_a_429_in_a_chats_batch_gives_the_rest_back_and_each_goes_once_in_order(
        tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    emu.fail_next("sendMessage", 500, chat_id=officer.chat_id)
    first = await file_report(tipbot, Person(emu, first_name="Siti", started=True), phone=None)
    second = await file_report(tipbot, Person(emu, first_name="Rina", started=True), phone=None)
    third = await file_report(tipbot, Person(emu, first_name="Dewi", started=True), phone=None)
    # All three are due in one batch; the first hits a flood limit longer than the lease.
    emu.fail_next("sendMessage", 429, retry_after=90, chat_id=officer.chat_id)
    tipbot.clock.advance(seconds=60)
    await deliver(tipbot)
    rows = sorted((r for r in await all_rows(tipbot, Outbox) if r.purpose == "card"),
                  key=lambda r: r.id)
    assert [r.status for r in rows] == ["pending", "pending", "pending"]
    assert [r.locked_until for r in rows] == [None, None, None]   # given back, not held
    tipbot.clock.advance(seconds=61)                                 # past the lease, not 90 s
    await deliver(tipbot)
    assert texts(officer) == []
    tipbot.clock.advance(seconds=30)
    await deliver(tipbot)
    cards = [t for t in texts(officer) if "Laporan baru" in t]
    assert [case_of(card, [first, second, third]) for card in cards] == [0, 1, 2]
    assert emu.violations == []
