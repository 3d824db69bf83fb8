"""The outbox survives Telegram's flood limits and outages without loss or duplicates."""
from __future__ import annotations

from models import CaseCard, Outbox
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, card_of, deliver, file_report, make_officer, texts


async def test_429_waits_retry_after_then_sends_once(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    emu.fail_next("sendMessage", 429, retry_after=7, chat_id=officer.chat_id)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    assert texts(officer) == []
    row = next(r for r in await all_rows(tipbot, Outbox) if r.purpose == "card")
    # A flood limit is not a failed attempt: no attempt counted, no back-off grown.
    assert row.status == "pending" and row.attempts == 0 and row.last_error == "429 retry after"
    assert (row.next_attempt_at - tipbot.clock()).total_seconds() == 7
    tipbot.clock.advance(seconds=3)
    await deliver(tipbot)
    assert texts(officer) == []
    tipbot.clock.advance(seconds=5)
    await deliver(tipbot)
    await deliver(tipbot)
    assert sum(report.case_number in t for t in texts(officer)) == 1
    assert len(await all_rows(tipbot, CaseCard)) == 1
    assert emu.violations == []


async def test_server_errors_and_network_failures_back_off_and_recover(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    emu.fail_next("sendMessage", 500, chat_id=officer.chat_id)
    emu.fail_next("sendMessage", 502, chat_id=officer.chat_id)
    emu.fail_next("sendMessage", network=True, chat_id=officer.chat_id)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    for _ in range(6):
        tipbot.clock.advance(seconds=60)
        await deliver(tipbot)
    assert sum(report.case_number in t for t in texts(officer)) == 1
    rows = await all_rows(tipbot, Outbox)
    cards = [r for r in rows if r.purpose == "card"]
    assert [r.status for r in cards] == ["sent"] and cards[0].attempts == 4
    assert emu.violations == []


async def test_failed_card_edit_is_retried_and_not_modified_counts_as_sent(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    emu.fail_next("editMessageText", 500)
    await officer.press("🙋 Ambil kasus")
    await deliver(tipbot)
    tipbot.clock.advance(seconds=30)
    await deliver(tipbot)
    card = card_of(officer)
    assert "Diambil oleh Budi" in card.text
    edits = [r for r in await all_rows(tipbot, Outbox) if r.purpose == "card_edit"]
    assert [r.status for r in edits] == ["sent"]
    assert emu.violations == []


async def test_a_message_backing_off_holds_back_later_ones_to_the_same_chat(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    emu.fail_next("sendMessage", 500, chat_id=officer.chat_id)
    first = await file_report(tipbot, Person(emu, first_name="Siti", started=True), phone=None)
    second = await file_report(tipbot, Person(emu, first_name="Rina", started=True), phone=None)
    assert texts(officer) == []
    tipbot.clock.advance(seconds=60)
    await deliver(tipbot)
    order = [t for t in texts(officer) if "Laporan baru" in t]
    assert [first.case_number in order[0], second.case_number in order[1]] == [True, True]
    assert emu.violations == []
