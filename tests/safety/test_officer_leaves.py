"""An officer who leaves is cut off at once; their cases go back to the queue."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from bot.cli.main import main
from bot.services import followups
from models import AuditLog, CaseEvent, Officer, Outbox, Report
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import (
    all_rows, card_of, check_in, deliver, file_report, make_officer, reload, texts,
)

CLAIM = "🙋 Ambil kasus"


async def _deactivate_with_the_cli(monkeypatch, database_url, data_dir, key, telegram_id):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("ENCRYPTION_KEY", key)
    return await asyncio.to_thread(main, ["officer", "deactivate", "--telegram-id", str(telegram_id)])


async def test_deactivation_mid_case_cuts_the_officer_off_and_requeues_the_case(
        tipbot, emu, monkeypatch, database_url, data_dir, key, capsys):
    budi = await make_officer(tipbot, "Budi")
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    reporter = Person(emu, first_name="Siti", started=True)
    report = await file_report(tipbot, reporter)
    await budi.press(CLAIM)
    await deliver(tipbot)
    # On duty whatever the hour the test runs (the command line uses the real clock).
    citra = await make_officer(tipbot, "Citra", shift=False)
    await check_in(tipbot, citra)
    await budi.press("📝 Catatan", budi.message_with_button("📝 Catatan"))
    # A message from the reporter, queued for Budi but not yet sent.
    async with tipbot.session() as session:
        stored = await session.get(Report, report.id)
        await followups.relay_to_officer(session, tipbot.services, stored,
                                      text="Pesan yang belum terkirim.", now=tipbot.clock())
        await session.commit()
    card = card_of(budi)
    card_before, seen_by_budi = card.text, len(budi.messages)

    assert await _deactivate_with_the_cli(monkeypatch, database_url, data_dir, key,
                                          budi.chat_id) == 0
    assert "1 open case(s) back in the queue, 1 queued message(s) cancelled" in capsys.readouterr().out
    tipbot.clock.now = max(tipbot.clock.now, datetime.now(timezone.utc)) + timedelta(seconds=1)
    await deliver(tipbot)

    stored = await reload(tipbot, Report, report.id)
    assert stored.assignee_id is None and stored.status == "new" and stored.claimed_at is None
    officer = await reload(tipbot, Officer, budi.officer_id)
    assert not officer.active and officer.pending is None and officer.unsent is None
    cancelled = [r for r in await all_rows(tipbot, Outbox) if r.status == "cancelled"]
    assert [r.officer_id for r in cancelled] == [budi.officer_id]
    # Re-routed like a new unclaimed case, and the supervisor is told.
    assert any(report.case_number in t and "Laporan baru" in t for t in texts(citra))
    notice = next(t for t in texts(boss) if "dinonaktifkan" in t)
    assert "Budi" in notice and report.case_number in notice
    kinds = [e.kind for e in await all_rows(tipbot, CaseEvent)]
    assert "released" in kinds
    assert [a.detail["released"] for a in await all_rows(tipbot, AuditLog)
            if a.action == "officer_deactivate"] == [1]

    # Nothing more reaches Budi: not the reporter's messages, not card edits.
    answer = await reporter.say("Ada kabar terbaru, Pak?")
    assert "sedang dialihkan ke petugas Satgas lain" in answer.text
    await citra.press(CLAIM, citra.message_with_button(CLAIM))
    await deliver(tipbot)
    await reporter.say("Kantornya pindah ke Metro.")
    await deliver(tipbot)
    assert len(budi.messages) == seen_by_budi
    assert card.text == card_before
    assert any("Kantornya pindah ke Metro." in t for t in texts(citra))
    # His old buttons do nothing for him any more.
    pressed = emu.press(budi.user, budi.message_with_button("📝 Catatan"), "📝 Catatan")
    await emu.settle()
    assert "khusus untuk petugas" in emu.callback_answer(pressed)["text"]
    assert (await reload(tipbot, Report, report.id)).assignee_id == citra.officer_id
    assert emu.violations == []


async def test_a_deactivated_admin_from_the_settings_is_not_reactivated(
        emu, engine, data_dir, key, caplog):
    admin = Person(emu, first_name="Hadi", started=True)
    settings = dict(encryption_key=key, admin_telegram_ids=str(admin.chat_id))
    bot = await start_bot(emu, engine, data_dir, **settings)
    emu.attach(bot.app)
    await emu.settle()
    async with bot.session() as session:
        from bot.services.officers import deactivate_officer
        await deactivate_officer(session, telegram_user_id=admin.chat_id, now=bot.clock())
        await session.commit()
    await stop_bot(bot)

    with caplog.at_level(logging.WARNING):
        again = await start_bot(emu, engine, data_dir, **settings)
        emu.attach(again.app)
        await emu.settle()
    try:
        officers = await all_rows(again, Officer)
        assert [o.active for o in officers] == [False]
        warnings = [r.getMessage() for r in caplog.records if "ADMIN_TELEGRAM_IDS" in r.getMessage()]
        assert len(warnings) == 1 and str(admin.chat_id) not in warnings[0]
        await admin.say("/statistik")
        assert "hanya untuk admin dan supervisor" in admin.last.text
        assert emu.violations == []
    finally:
        await stop_bot(again)
