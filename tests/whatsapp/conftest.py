"""The bot with its WhatsApp channel on the Graph API stand-in, and officers on the Bot API
emulator: a WhatsApp resident and a Telegram officer, as in production."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.web.graph_emulator import GraphApiEmulator
from bot.web.server import WebServer
from bot.web.whatsapp import WhatsAppEndpoint
from tests.helpers.harness import Clock, start_bot, stop_bot
from tests.helpers.officers import FAST
from tests.helpers.whatsapp import TEMPLATE, WhatsAppResident


@pytest.fixture
async def graph(tipbot_clock):
    emulator = GraphApiEmulator(clock=tipbot_clock)
    emulator.add_template(TEMPLATE)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def tipbot_clock():
    return Clock(datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc))


@pytest.fixture
async def tipbot(emu, graph, store_engine, data_dir, tipbot_clock):
    running = await start_bot(
        emu, store_engine, data_dir, clock=tipbot_clock, **FAST,
        whatsapp_phone_number_id=graph.phone_number_id, whatsapp_access_token=graph.token,
        whatsapp_app_secret=graph.app_secret, whatsapp_verify_token=graph.verify_token,
        whatsapp_api_base_url=graph.base_url, whatsapp_notice_template=TEMPLATE)
    emu.attach(running.app)
    endpoint = WhatsAppEndpoint(app_secret=graph.app_secret, verify_token=graph.verify_token,
                                channel=running.services.whatsapp)
    web = WebServer("127.0.0.1:0", endpoint.routes())
    await web.start()
    graph.webhook_url = f"http://127.0.0.1:{web.port}/whatsapp"
    await emu.settle()
    yield running
    await graph.settle()
    await web.stop()
    await stop_bot(running)
    assert emu.violations == []


@pytest.fixture
def resident(tipbot, graph) -> WhatsAppResident:
    return WhatsAppResident(tipbot, graph)
