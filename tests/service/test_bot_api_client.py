"""The Bot API client (bot/channels/telegram/requests.py): PTB's own HTTPXRequest, tuned,
with failures counted, and the long poll that fetches several updates per call when the
bot is busy."""
from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.channels.telegram.requests import bot_api_requests
from tests.helpers.harness import TOKEN


def bot_on(emu, request, get_updates_request=None) -> Bot:
    return Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url,
               request=request, get_updates_request=get_updates_request or request)


@pytest.mark.filterwarnings("ignore:Please use 'Bot.getUpdates':telegram.warnings.PTBUserWarning")
async def test_calls_uploads_and_downloads_go_through_and_failures_are_counted(emu):
    counted: list[str] = []
    resident = emu.user(first_name="Siti", started=True)
    request, _ = bot_api_requests(counted.append, batch_wait=0)
    async with bot_on(emu, request) as bot:
        sent = await bot.send_message(resident.id, "Halo <b>Siti</b>", parse_mode="HTML")
        assert sent.text == "Halo Siti" and sent.chat_id == resident.id
        document = await bot.send_document(resident.id, b"%PDF-1.4 laporan", filename="laporan.pdf",
                                           caption="Laporan")
        assert document.document.file_name == "laporan.pdf"
        file = await bot.get_file(document.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 laporan"

        emu.fail_next("sendMessage", 400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest):
            await bot.send_message(resident.id, "tidak sampai")
        emu.fail_next("sendMessage", network=True)
        with pytest.raises(NetworkError):
            await bot.send_message(resident.id, "putus")
        # A long poll that outlasts its read timeout (Bot.get_updates adds the poll's own
        # timeout to it, hence the raw call).
        with pytest.raises(TimedOut):
            await bot.do_api_request("getUpdates", {"timeout": 5}, read_timeout=0.2)
        assert await bot.send_message(resident.id, "lagi")          # the client still works
    assert counted == ["400", "network", "timeout"]
    assert [r.params["text"] for r in emu.requests if r.method == "sendMessage"][-1] == "lagi"
    assert emu.violations == []


async def test_after_a_poll_that_brought_updates_the_next_waits_and_brings_several(emu):
    resident = emu.user(first_name="Siti", started=True)
    calls, polls = bot_api_requests(lambda code: None, batch_wait=1.0)
    async with bot_on(emu, calls, polls) as bot:
        emu.send_text(resident, "satu")
        first = await bot.get_updates(timeout=5)
        assert [u.message.text for u in first] == ["satu"]
        # "dua" is there now, "tiga" comes 0.3 s later: the next poll is made only after
        # the wait, so it brings both.
        emu.send_text(resident, "dua")
        asyncio.get_running_loop().call_later(0.3, emu.send_text, resident, "tiga")
        second = await bot.get_updates(offset=first[-1].update_id + 1, timeout=5)
        assert [u.message.text for u in second] == ["dua", "tiga"]

        # A poll that brought nothing does not hold up the next one.
        empty = await bot.get_updates(offset=second[-1].update_id + 1, timeout=0)
        await asyncio.sleep(1.0)                  # the wait after "tiga" is over
        assert empty == ()
        emu.send_text(resident, "empat")
        asyncio.get_running_loop().call_later(0.8, emu.send_text, resident, "lima")
        third = await bot.get_updates(offset=second[-1].update_id + 1, timeout=5)
        assert [u.message.text for u in third] == ["empat"]


async def test_the_running_bot_calls_and_polls_through_the_tuned_clients(emu, engine, data_dir):
    from bot.channels.telegram.requests import CountingRequest
    from tests.helpers.harness import Person, start_bot, stop_bot

    bot = await start_bot(emu, engine, data_dir)
    emu.attach(bot.app)
    try:
        assert type(bot.app.bot.request) is CountingRequest
        resident = Person(emu, first_name="Siti")
        await resident.say("/lapor")
        await resident.press("Perekrut tanpa izin (calo)")
        assert resident.message_with_button("Tidak")       # the next question came
    finally:
        await stop_bot(bot)
    assert emu.violations == []

