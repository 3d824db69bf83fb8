"""A new report reaches the right officer on duty, and only then the others."""
from __future__ import annotations

from models import CaseCard, CaseEvent, Officer, Report
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import all_rows, check_in, file_report, make_officer, reload, texts


async def test_card_goes_to_least_loaded_officer_on_duty_in_the_region(tipbot, emu):
    busy = await make_officer(tipbot, "Budi", region="1871")
    free = await make_officer(tipbot, "Citra", region="1871")
    elsewhere = await make_officer(tipbot, "Dewi", region="1801")
    off_duty = await make_officer(tipbot, "Eko", shift=False)
    reporter = Person(emu, first_name="Siti", started=True)
    earlier = await file_report(tipbot, reporter)
    async with tipbot.session() as session:
        report = await session.get(Report, earlier.id)
        report.assignee_id, report.status = busy.officer_id, "claimed"
        await session.commit()

    report = await file_report(tipbot, reporter)

    assert any(report.case_number in text for text in texts(free))
    for person in (elsewhere, off_duty):
        assert texts(person) == []
    assert not any(report.case_number in text for text in texts(busy))
    card = free.last
    assert "Kategori:" in card.text and "Pak Joko · PT Maju Jaya" in card.text
    assert "1 laporan sebelumnya menyebut nomor telepon yang sama" in card.text
    # The first report naming that number says nothing about earlier ones ("0 ..." is noise).
    first_cards = [text for person in (free, busy) for text in texts(person)
                   if earlier.case_number in text.split("\n")[0]]
    assert first_cards and not any("nomor telepon yang sama" in text for text in first_cards)
    assert [label for label, _ in card.buttons] == ["🙋 Ambil kasus", "📄 Rincian", "👥 Alihkan"]
    cards = [c for c in await all_rows(tipbot, CaseCard) if c.report_id == report.id]
    assert [(c.chat_id, c.message_id) for c in cards] == [(free.chat_id, card.message_id)]
    events = [e.kind for e in await all_rows(tipbot, CaseEvent) if e.report_id == report.id]
    assert events == ["created", "alerted"]
    assert emu.violations == []


async def test_equal_load_goes_round_robin(tipbot, emu):
    first = await make_officer(tipbot, "Budi")
    second = await make_officer(tipbot, "Citra")
    reporter = Person(emu, first_name="Siti", started=True)
    one = await file_report(tipbot, reporter, phone=None)
    two = await file_report(tipbot, reporter, phone=None)
    assert any(one.case_number in t for t in texts(first))
    assert any(two.case_number in t for t in texts(second))
    assert emu.violations == []


async def test_checked_in_officer_counts_as_on_duty(tipbot, emu):
    adhoc = await make_officer(tipbot, "Fajar", shift=False)
    await check_in(tipbot, adhoc)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    assert any(report.case_number in t for t in texts(adhoc))


async def test_nobody_on_duty_alerts_supervisors_and_admins(tipbot, emu):
    officer = await make_officer(tipbot, "Budi", shift=False)
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    admin = await make_officer(tipbot, "Hadi", role="admin", shift=False)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    assert texts(officer) == []
    for person in (boss, admin):
        assert any(report.case_number in t for t in texts(person))


async def test_urgent_goes_to_everyone_on_duty_supervisors_and_the_group(emu, engine, data_dir, key):
    group = emu.group("Satgas PMI")
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, taskforce_chat_id=group.id)
    emu.attach(bot.app)
    try:
        one = await make_officer(bot, "Budi")
        two = await make_officer(bot, "Citra", region="1801")   # other region: not for this case
        three = await make_officer(bot, "Dewi")
        boss = await make_officer(bot, "Gita", role="supervisor", shift=False)
        report = await file_report(bot, Person(emu, first_name="Siti", started=True), urgent=True)
        for person in (one, three, boss):
            assert any("DARURAT" in t and report.case_number in t for t in texts(person))
        assert texts(two) == []
        assert report.case_number in emu.last(group.id).text
        cards = await all_rows(bot, CaseCard)
        assert len(cards) == 4
        assert emu.violations == []
    finally:
        await stop_bot(bot)


async def test_blocked_officer_is_recorded_and_the_case_rerouted(tipbot, emu):
    blocked = await make_officer(tipbot, "Budi")
    other = await make_officer(tipbot, "Citra")
    emu.block(blocked.user)
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    assert any(report.case_number in t for t in texts(other))
    assert (await reload(tipbot, Officer, blocked.officer_id)).blocked
    cards = await all_rows(tipbot, CaseCard)
    assert [c.chat_id for c in cards] == [other.chat_id]
    assert emu.violations == []
