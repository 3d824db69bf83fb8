"""The receipt is stored with the report and delivered through the outbox: a Telegram
failure or a crash right after the commit still ends with exactly one receipt."""
from __future__ import annotations

from sqlmodel import select

import handlers.common
from models import Outbox, Report
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import FAST, all_rows, deliver
from tests.helpers.privacy import codes_in, file_contactable_report

RECEIVED = "Terima kasih. Laporan Anda sudah kami terima."


def receipts(person: Person) -> list:
    return [m for m in person.messages if m.text and "Kode tindak lanjut:" in m.text]


async def test_receipt_after_a_server_error_arrives_once_and_never_says_try_again(tipbot, emu):
    person = Person(emu, first_name="Rina")
    await file_contactable_report(person, before_send=lambda: emu.fail_next(
        "sendMessage", 500, chat_id=person.chat_id))
    assert receipts(person) == []
    report = (await all_rows(tipbot, Report))[0]
    assert report.followup_enc          # kept, encrypted, until delivered

    tipbot.clock.advance(seconds=30)
    await deliver(tipbot)
    await deliver(tipbot)
    [receipt] = receipts(person)
    case_number, code = codes_in(receipt)
    assert case_number == report.case_number
    assert not any("coba lagi" in (m.text or "") for m in person.messages)
    assert (await all_rows(tipbot, Report))[0].followup_enc is None
    # The code it carried works.
    other = Person(emu, first_name="Dewi")
    assert case_number in (await other.say(f"/status {code}")).text
    assert emu.violations == []


async def test_receipt_arrives_once_after_the_process_dies_right_after_the_commit(
        emu, store_engine, data_dir, key, monkeypatch):
    first = await start_bot(emu, store_engine, data_dir, encryption_key=key, **FAST)
    emu.attach(first.app)
    person = Person(emu, first_name="Rina")

    async def killed(context):        # nothing after the commit runs: the process is gone
        return None

    monkeypatch.setattr(handlers.common, "deliver_now", killed)
    await file_contactable_report(person)
    await stop_bot(first)
    assert receipts(person) == []
    async with first.session() as session:
        report = (await session.exec(select(Report))).one()
        [row] = (await session.exec(select(Outbox).where(Outbox.purpose == "receipt"))).all()
        assert row.status == "pending" and report.followup_enc

    monkeypatch.undo()
    second = await start_bot(emu, store_engine, data_dir, encryption_key=key, **FAST)
    emu.attach(second.app)
    try:
        await deliver(second)
        await deliver(second)
        [receipt] = receipts(person)
        assert codes_in(receipt)[0] == report.case_number
        async with second.session() as session:
            assert (await session.get(Report, report.id)).followup_enc is None
    finally:
        await stop_bot(second)
    assert emu.violations == []


async def test_a_receipt_that_cannot_be_sent_still_says_the_report_was_received(tipbot, emu):
    person = Person(emu, first_name="Rina")
    await file_contactable_report(person, before_send=lambda: emu.fail_next(
        "sendMessage", 400, description="Bad Request: can't parse entities",
        chat_id=person.chat_id))
    await deliver(tipbot)
    report = (await all_rows(tipbot, Report))[0]
    assert receipts(person) == []
    assert "SUDAH kami terima" in person.last.text and report.case_number in person.last.text
    assert report.followup_enc is None
    assert emu.violations == []


async def test_reporter_gets_a_new_code_and_the_old_one_stops_working(tipbot, emu):
    person = Person(emu, first_name="Rina")
    await file_contactable_report(person)
    case_number, old_code = codes_in(receipts(person)[0])

    listing = await person.say("/status")
    renewed = await person.press(f"🔑 Kode baru untuk {case_number}", listing)
    assert case_number in renewed.text and "Kode yang lama sudah tidak berlaku" in renewed.text
    [new_code] = [c for c in codes_in(renewed)]
    assert new_code != old_code
    other = Person(emu, first_name="Dewi")
    assert "Tidak ada laporan" in (await other.say(f"/status {old_code}")).text
    assert case_number in (await other.say(f"/status {new_code}")).text
    assert (await all_rows(tipbot, Report))[0].followup_enc is None

    # A forged press for someone else's report changes nothing.
    stranger = Person(emu, first_name="Joko")
    await stranger.say("/status")
    report_id = (await all_rows(tipbot, Report))[0].id
    from tests.helpers.officers import forged_press
    await forged_press(emu, stranger, f"m:newcode:{report_id}")
    assert "Tidak ada laporan" not in (await other.say(f"/status {new_code}")).text
    assert emu.violations == []
