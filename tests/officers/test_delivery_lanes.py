"""The outbox sends to different chats at once (one lane per chat); a chat's messages
arrive once, and in the order they were queued, except alerts (new-case cards,
reminders), which are messages of their own and go side by side."""
from __future__ import annotations

from tests.helpers.officers import (
    all_rows, claimed_case, deliver, file_report, make_officer, reload, texts
)

import asyncio

from models import CaseCard, Outbox, Report
from tests.helpers.harness import Person


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
    gate.hung = hung          # the chats whose call hangs now (a test waits for it)
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


def record_given_back(monkeypatch) -> list[int]:
    """The ids of the outbox rows the deliverer gives back, in order (they are still given back)."""
    from bot.services import delivery
    given_back: list[int] = []
    release_rows = delivery.outbox.release

    async def spy(session, *, ids):
        given_back.extend(ids)
        await release_rows(session, ids=ids)

    monkeypatch.setattr(delivery.outbox, "release", spy)
    return given_back

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


async def test_alerts_to_one_slow_chat_go_side_by_side_each_once(tipbot, emu, monkeypatch):
    officer = await make_officer(tipbot, "Budi")
    # The first card backs off; the next ones queue behind it, then all go in one batch.
    emu.fail_next("sendMessage", 429, retry_after=5, chat_id=officer.chat_id)
    residents = [Person(emu, first_name=name, started=True) for name in ("Siti", "Rina", "Dewi")]
    reports = [await file_report(tipbot, person, phone=f"+62812000000{i}")
               for i, person in enumerate(residents)]
    assert texts(officer) == []
    assert all(any(r.case_number in t for t in texts(p)) for r, p in zip(reports, residents))
    # Telegram hangs on the first card: the others (each a message of its own) are on
    # their way side by side, not one round trip after the other.
    gate = slow_chats(emu, monkeypatch, {officer.chat_id})
    tipbot.clock.advance(seconds=5)
    sending = asyncio.create_task(deliver(tipbot))
    try:
        await wait_for(lambda: len([t for t in texts(officer) if "Laporan baru" in t]) == 2,
                       "the other cards")
    finally:
        gate.set()
    await asyncio.wait_for(sending, 20)
    cards = [t for t in texts(officer) if "Laporan baru" in t]
    assert sorted(case_of(card, reports) for card in cards) == [0, 1, 2]
    assert len(await all_rows(tipbot, CaseCard)) == 3
    assert emu.violations == []


async def test_a_429_on_one_alert_holds_back_neither_the_alerts_on_their_way_nor_a_card_twice(
        tipbot, emu):
    """New-case cards to one chat go side by side (each a message of its own): fifty at
    once to one admin must not wait for each other's round trips. One refused with a 429
    goes later, once; the others are delivered once, now."""
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
    assert sorted(r.status for r in rows) == ["pending", "sent", "sent"]
    refused = next(r for r in rows if r.status == "pending")
    assert refused.locked_until is None                              # given back, not held
    reports = [first, second, third]
    tipbot.clock.advance(seconds=61)                                 # past the lease, not 90 s
    await deliver(tipbot)
    cards = [t for t in texts(officer) if "Laporan baru" in t]
    assert len(cards) == 2 and refused.report_id not in {
        reports[case_of(card, reports)].id for card in cards}
    tipbot.clock.advance(seconds=30)
    await deliver(tipbot)
    cards = [t for t in texts(officer) if "Laporan baru" in t]
    assert sorted(case_of(card, reports) for card in cards) == [0, 1, 2]
    assert reports[case_of(cards[-1], reports)].id == refused.report_id
    assert len(await all_rows(tipbot, CaseCard)) == 3
    assert emu.violations == []


async def test_a_429_in_a_conversation_gives_the_rest_back_and_each_goes_once_in_order(
        tipbot, emu):
    """A resident's messages relayed to the officer are a conversation: after one that
    must wait, the rest of the batch is given back, never sent ahead of it."""
    officer, siti, report = await claimed_case(tipbot, emu, phone=None)
    await queue_three_relays(tipbot, emu, officer, siti)
    relayed = lambda: [t for t in texts(officer) if t.startswith(f"Pelapor kasus {report.case_number}")]  # noqa: E731
    assert relayed() == []
    # All three are due in one batch; the first hits a flood limit longer than the lease.
    emu.fail_next("sendMessage", 429, retry_after=90, chat_id=officer.chat_id)
    await deliver(tipbot)
    rows = sorted((r for r in await all_rows(tipbot, Outbox) if r.purpose == "relay_in"),
                  key=lambda r: r.id)
    assert [r.status for r in rows] == ["pending", "pending", "pending"]
    assert [r.locked_until for r in rows] == [None, None, None]   # given back, not held
    tipbot.clock.advance(seconds=61)                                 # past the lease, not 90 s
    await deliver(tipbot)
    assert relayed() == []
    tipbot.clock.advance(seconds=30)
    await deliver(tipbot)
    assert [t.split(":", 1)[1].strip() for t in relayed()] == [
        "Pesan satu.", "Pesan dua.", "Pesan tiga."]
    assert emu.violations == []


async def queue_three_relays(tipbot, emu, officer, siti) -> None:
    """Three messages of Siti's for the officer, due in one batch (the first failed once)."""
    emu.fail_next("sendMessage", 500, chat_id=officer.chat_id)
    for text in ("Pesan satu.", "Pesan dua.", "Pesan tiga."):
        await siti.say(text)
    await deliver(tipbot)
    tipbot.clock.advance(seconds=60)


async def test_a_lane_held_up_half_the_lease_gives_the_rest_back_before_another_could_take_them(
        tipbot, emu, monkeypatch):
    """A chat's call that hangs (a group's 20 a minute, a slow network): the lane does not
    go on with rows it has held for half their lease, which another worker could take over
    and send too; it gives them back, and they go once, in order."""
    from bot.services import delivery
    officer, siti, report = await claimed_case(tipbot, emu, phone=None)
    await queue_three_relays(tipbot, emu, officer, siti)
    given_back = record_given_back(monkeypatch)
    monkeypatch.setattr(delivery, "GIVE_BACK_AFTER", 0.2)
    gate = slow_chats(emu, monkeypatch, {officer.chat_id})
    sending = asyncio.create_task(deliver(tipbot))
    await wait_for(lambda: gate.hung, "the first message's call")
    await asyncio.sleep(0.5)                     # it hangs past half the lease
    gate.set()
    await asyncio.wait_for(sending, 20)
    await deliver(tipbot)
    rows = sorted((r for r in await all_rows(tipbot, Outbox) if r.purpose == "relay_in"),
                  key=lambda r: r.id)
    assert given_back == [r.id for r in rows[1:]]
    assert [r.status for r in rows] == ["sent", "sent", "sent"]
    relayed = [t for t in texts(officer) if t.startswith(f"Pelapor kasus {report.case_number}")]
    assert [t.split(":", 1)[1].strip() for t in relayed] == [
        "Pesan satu.", "Pesan dua.", "Pesan tiga."]
    assert emu.violations == []


async def test_a_card_whose_case_is_claimed_while_it_is_on_its_way_is_edited_after(
        tipbot, emu, monkeypatch):
    """A card is rendered when it goes; a claim committed while its call is under way
    (not yet remembered, so the claim's refresh cannot see it) edits it right after."""
    budi, andi = await make_officer(tipbot, "Budi"), await make_officer(tipbot, "Andi")
    gate = slow_chats(emu, monkeypatch, {andi.chat_id})
    siti = Person(emu, first_name="Siti", started=True)
    filing = asyncio.create_task(file_report(tipbot, siti, urgent=True, phone=None))
    try:
        await wait_for(lambda: any("Laporan baru" in t for t in texts(budi)), "Budi's card")
        emu.press(budi.user, budi.message_with_button("🙋 Ambil kasus"), "🙋 Ambil kasus")
        await wait_for(lambda: any("Diambil oleh Budi" in t for t in texts(budi)), "the claim")
    finally:
        gate.set()
    report = await asyncio.wait_for(filing, 20)
    await deliver(tipbot)
    card = next(m for m in emu.sent(andi.chat_id) if report.case_number in (m.text or ""))
    assert "Diambil oleh Budi" in card.text
    assert len([c for c in await all_rows(tipbot, CaseCard) if c.kind == "card"]) == 2
    assert emu.violations == []


async def test_a_card_claimed_while_the_officers_last_card_is_on_its_way_joins_its_lane(
        tipbot, emu, monkeypatch):
    """Rows claimed for a chat whose lane is still sending join that lane: a new case's
    card goes while the officer's previous card is still on its way, once, and is not
    given back (before, it waited for that call, was given back and claimed again)."""
    budi = await make_officer(tipbot, "Budi")
    siti, ani = Person(emu, first_name="Siti", started=True), Person(emu, first_name="Ani",
                                                                    started=True)
    given_back = record_given_back(monkeypatch)
    gate = slow_chats(emu, monkeypatch, {budi.chat_id})     # Budi's first card hangs
    deliverer, kicks = tipbot.app.bot_data.deliverer, []
    await file_report(tipbot, siti, phone=None, delivered=False)
    kicks.append(asyncio.create_task(deliverer.run()))
    try:
        await wait_for(lambda: any(int(p["chat_id"]) == budi.chat_id
                                   for p in emu.calls("sendMessage")), "Siti's card on its way")
        later = await file_report(tipbot, ani, phone=None, delivered=False)
        kicks.append(asyncio.create_task(deliverer.run()))
        await wait_for(lambda: any(later.case_number in t for t in texts(budi)), "Ani's card")
    finally:
        gate.set()
    await asyncio.wait_for(asyncio.gather(*kicks), 20)
    await deliver(tipbot)
    assert given_back == []
    assert len([t for t in texts(budi) if "Laporan baru" in t]) == 2
    assert len([c for c in await all_rows(tipbot, CaseCard) if c.kind == "card"]) == 2
    assert emu.violations == []


async def test_a_card_on_its_way_while_its_receipt_goes_is_not_rendered_again_for_it(
        tipbot, emu, monkeypatch):
    """Delivering the receipt erases the follow-up code from the case; a card never shows
    the code, so a card on its way meanwhile is not rendered again for it. Before, it was,
    and a card naming a related case filed meanwhile was edited: no card is edited for a
    related case that came after it (see delivered.remember_view)."""
    budi = await make_officer(tipbot, "Budi")
    siti, ani = Person(emu, first_name="Siti", started=True), Person(emu, first_name="Ani",
                                                                    started=True)
    card_on_its_way, release = asyncio.Event(), asyncio.Event()
    original = emu._call

    async def slow(method, params, files):
        if method == "sendMessage":
            chat_id = int(params.get("chat_id"))
            if chat_id == budi.chat_id and not card_on_its_way.is_set():
                card_on_its_way.set()          # Siti's card, rendered: its call hangs
                await release.wait()
            elif chat_id == siti.chat_id:
                await card_on_its_way.wait()   # her receipt goes after the card was rendered
        return await original(method, params, files)

    monkeypatch.setattr(emu, "_call", slow)
    deliverer, kicks = tipbot.app.bot_data.deliverer, []
    first = await file_report(tipbot, siti, delivered=False)
    kicks.append(asyncio.create_task(deliverer.run()))
    try:
        await wait_for(card_on_its_way.is_set, "Siti's card on its way")
        for _ in range(1000):
            if (await reload(tipbot, Report, first.id)).followup_enc is None:
                break       # her receipt is delivered (and recorded)
            await asyncio.sleep(0.02)
        assert (await reload(tipbot, Report, first.id)).followup_enc is None
        # A report naming the same number: linked to Siti's; its card goes meanwhile.
        later = await file_report(tipbot, ani, delivered=False)
        kicks.append(asyncio.create_task(deliverer.run()))
        await wait_for(lambda: any("Laporan baru" in t for t in texts(budi)), "Ani's card")
    finally:
        release.set()
    await asyncio.wait_for(asyncio.gather(*kicks), 20)
    await deliver(tipbot)
    cards = [m.text for m in budi.messages if "Laporan baru" in (m.text or "")]
    assert len(cards) == 2
    card = next(t for t in cards if case_of(t, [first, later]) == 0)
    assert later.case_number not in card          # as it was rendered, not edited since
    assert [p for p in emu.calls("editMessageText") if int(p["chat_id"]) == budi.chat_id] == []
    assert len([c for c in await all_rows(tipbot, CaseCard) if c.kind == "card"]) == 2
    assert emu.violations == []
