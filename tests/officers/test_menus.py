"""Officers see their own commands in Telegram's menu; residents see the residents'."""
from __future__ import annotations

import asyncio

from tests.helpers.harness import start_bot, stop_bot
from tests.helpers.officers import FAST, make_officer


async def _wait_for_menus(emu, before: int, chat_ids: set[int], timeout: float = 20.0) -> None:
    """Until each of these chats got its menu (or the timeout; the asserts then say why)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        served = {c["scope"].get("chat_id") for c in emu.calls("setMyCommands")[before:]
                  if "scope" in c}
        if chat_ids <= served:
            break
        await asyncio.sleep(0.05)
    await emu.settle()


async def test_each_officer_gets_the_menu_of_their_role(emu, engine, data_dir, key):
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, **FAST)
    emu.attach(bot.app)
    officer = await make_officer(bot, "Budi")
    admin = await make_officer(bot, "Ani", role="admin", shift=False)
    await stop_bot(bot)
    before = len(emu.calls("setMyCommands"))

    bot = await start_bot(emu, engine, data_dir, encryption_key=key, **FAST)
    emu.attach(bot.app)
    try:
        # The menus are published by a start-up job that reads the team from the database;
        # on a loaded machine it can pause longer than settle()'s quiet window.
        await _wait_for_menus(emu, before, {officer.chat_id, admin.chat_id})
        calls = emu.calls("setMyCommands")[before:]
        default = [c for c in calls if "scope" not in c]
        assert {c["commands"][0]["command"] for c in default} == {"lapor"}

        def menu(person, language=None):
            return [[cmd["command"] for cmd in c["commands"]] for c in calls
                    if c.get("scope", {}).get("chat_id") == person.chat_id
                    and c.get("language_code") == language]

        assert menu(officer) == [["kasus", "antrian", "jadwal", "piket", "batal"]]
        assert "statistik" in menu(admin)[0] and "undang" in menu(admin)[0]
        described = [c for c in calls if c.get("scope", {}).get("chat_id") == officer.chat_id
                     and "language_code" not in c][0]["commands"]
        assert described[0]["description"] == "Kasus saya yang masih terbuka"
        assert emu.violations == []
    finally:
        await stop_bot(bot)


async def test_an_officer_who_chooses_english_reads_english(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    await officer.say("/bahasa")
    await officer.press("English")
    listing = await officer.say("/antrian")
    assert listing.text == "No unclaimed cases."
    from models import Officer
    async with tipbot.session() as session:
        assert (await session.get(Officer, officer.officer_id)).locale == "en"
