"""Admins from the settings, invite links, the command line and the roster import."""
from __future__ import annotations

import pytest
from sqlmodel import select

from bot.cli.main import main
from bot.services.duty import shift_covers
from bot.services.officers import RosterError, parse_roster
from models import Invite, Officer, RosterShift
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import all_rows


async def test_admin_from_settings_invites_an_officer_once(emu, engine, data_dir, key):
    admin = Person(emu, first_name="Hadi", started=True)
    bot = await start_bot(emu, engine, data_dir, encryption_key=key,
                          admin_telegram_ids=str(admin.chat_id))
    emu.attach(bot.app)
    try:
        await emu.settle()
        await admin.say("/undang")
        link = admin.last.text.split()[-1]
        assert link.startswith("https://t.me/lampung_tip_bot?start=inv_")
        token = link.split("start=", 1)[1]
        invites = await all_rows(bot, Invite)
        assert len(invites) == 1 and token[4:] not in invites[0].token_hash

        newcomer = Person(emu, first_name="Rina", last_name="Sari")
        await newcomer.say(f"/start {token}")
        assert "Selamat bergabung di Satgas, Rina Sari" in newcomer.last.text
        late = Person(emu, first_name="Tono")
        await late.say(f"/start {token}")
        assert "tidak valid, sudah digunakan" in late.last.text

        officers = {o.telegram_user_id: o for o in await all_rows(bot, Officer)}
        assert officers[admin.chat_id].role == "admin"
        assert officers[newcomer.chat_id].role == "officer" and late.chat_id not in officers
        await newcomer.say("/undang")
        assert "Hanya admin" in newcomer.last.text
        await newcomer.say("/kasus")
        assert "tidak memiliki kasus" in newcomer.last.text
        assert emu.violations == []
    finally:
        await stop_bot(bot)


async def test_expired_invite_is_refused(emu, engine, data_dir, key):
    admin = Person(emu, first_name="Hadi", started=True)
    bot = await start_bot(emu, engine, data_dir, encryption_key=key,
                          admin_telegram_ids=str(admin.chat_id), invite_ttl="1h")
    emu.attach(bot.app)
    try:
        await emu.settle()
        await admin.say("/undang")
        token = admin.last.text.split("start=", 1)[1]
        bot.clock.advance(hours=2)
        newcomer = Person(emu, first_name="Rina")
        await newcomer.say(f"/start {token}")
        assert "kedaluwarsa" in newcomer.last.text
    finally:
        await stop_bot(bot)


def test_roster_csv_accepts_numbers_and_day_names_and_reports_bad_lines():
    lines = parse_roster("telegram_id,weekday,start,end,region_code\n"
                         "111,senin,08:00,16:00,\n222,Saturday,22:00,06:00,1871\n333,3,00:00,24:00,\n")
    assert [(l.weekday, l.start_minute, l.end_minute, l.region_code) for l in lines] == [
        (0, 480, 960, None), (5, 1320, 360, "1871"), (3, 0, 0, None)]
    with pytest.raises(RosterError, match="line 2"):
        parse_roster("telegram_id,weekday,start,end\n111,someday,08:00,16:00\n")
    with pytest.raises(RosterError, match="header"):
        parse_roster("id,day\n1,2\n")


def test_overnight_shift_covers_the_next_morning():
    from datetime import datetime, timezone
    night = RosterShift(officer_id=1, weekday=5, start_minute=22 * 60, end_minute=6 * 60)
    sunday_3am_wib = datetime(2026, 11, 28, 20, 0, tzinfo=timezone.utc)
    saturday_9am_wib = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)
    assert shift_covers(night, sunday_3am_wib) and not shift_covers(night, saturday_9am_wib)


def test_cli_adds_lists_deactivates_officers_and_imports_the_roster(
        database_url, tmp_path, monkeypatch, capsys):
    import asyncio

    from bot.storage.db import create_engine
    from tests.helpers.database import wiped

    asyncio.run(wiped(database_url))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["officer", "add", "--telegram-id", "111", "--name", "Budi"]) == 0
    assert main(["officer", "add", "--telegram-id", "222", "--name", "Gita",
                 "--role", "supervisor"]) == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("telegram_id,weekday,start,end,region_code\n111,senin,08:00,16:00,\n"
                      "222,minggu,16:00,00:00,1871\n")
    assert main(["roster", "import", str(roster)]) == 0
    roster.write_text("telegram_id,weekday,start,end,region_code\n999,senin,08:00,16:00,\n")
    assert main(["roster", "import", str(roster)]) == 1
    assert main(["officer", "deactivate", "--telegram-id", "111"]) == 0
    assert main(["officer", "list"]) == 0
    active = capsys.readouterr().out
    listed = active.split("telegram_id\trole\tstate\tname\n")[-1]
    assert listed == "222\tsupervisor\tactive\tGita\n"      # Budi was deactivated
    assert main(["officer", "list", "--all"]) == 0
    out = active + capsys.readouterr().out
    assert "imported 2 shift(s)" in out
    assert "111\tofficer\tinactive\tBudi" in out and "222\tsupervisor\tactive\tGita" in out

    async def shifts():
        engine = create_engine(database_url)
        from bot.storage.db import create_session_factory
        async with create_session_factory(engine)() as session:
            rows = (await session.exec(select(RosterShift))).all()
        await engine.dispose()
        return rows

    assert len(asyncio.run(shifts())) == 2
