"""The bot with its WhatsApp channel on the Graph API stand-in, and officers on the Bot API
emulator: a WhatsApp resident and a Telegram officer, as in production."""
from __future__ import annotations

import pytest

from bot.storage.db import create_engine, upgrade_database
from bot.web.graph_emulator import GraphApiEmulator
from bot.web.server import WebServer
from bot.web.whatsapp import WhatsAppEndpoint
from tests.conftest import _wipe
from tests.harness import start_bot, stop_bot
from tests.officers.conftest import FAST, deliver

TEMPLATE = "tipbot_kabar_baru"
# A resident's number: every test checks it never reaches an officer or the disk in clear.
WA_ID = "6281277770001"


@pytest.fixture
async def graph(tipbot_clock):
    emulator = GraphApiEmulator(clock=tipbot_clock)
    emulator.add_template(TEMPLATE)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def tipbot_clock():
    from datetime import datetime, timezone

    from tests.harness import Clock
    return Clock(datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc))


@pytest.fixture
async def store_engine(database_url, data_dir):
    """SQLite: a database file inside DATA_DIR (as by default), so a byte search of the
    folder covers it; PostgreSQL: the test database (pg_dump covers it)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(f"sqlite+aiosqlite:///{data_dir / 'tipbot.sqlite3'}")
        await upgrade_database(engine)
    else:
        engine = create_engine(database_url)
        await _wipe(engine)
    yield engine
    await engine.dispose()


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


class WhatsAppResident:
    """A WhatsApp user writing to the bot's number."""

    def __init__(self, tipbot, graph: GraphApiEmulator, wa_id: str = WA_ID):
        self.tipbot, self.graph, self.wa_id = tipbot, graph, wa_id

    async def _settled(self) -> str:
        await self.graph.settle()
        await deliver(self.tipbot)
        await self.graph.settle()
        return self.last

    async def say(self, text: str) -> str:
        await self.graph.send_text(self.wa_id, text)
        return await self._settled()

    async def press(self, title: str) -> str:
        await self.graph.press(self.wa_id, title)
        return await self._settled()

    async def pick(self, title: str) -> str:
        """A choice from a long list: "Lainnya" until it shows, as a person would."""
        for _ in range(5):
            try:
                self.graph.find_choice(self.wa_id, title)
                break
            except AssertionError:
                await self.press("Lainnya")
        return await self.press(title)

    async def send(self, kind: str, data: bytes, mime_type: str, **kwargs) -> str:
        await self.graph.send_media(self.wa_id, kind, data, mime_type, **kwargs)
        return await self._settled()

    @property
    def texts(self) -> list[str]:
        return self.graph.texts_to(self.wa_id)

    @property
    def last(self) -> str:
        texts = self.texts
        return texts[-1] if texts else ""

    @property
    def choices(self) -> list[str]:
        return self.graph.choices(self.wa_id)


@pytest.fixture
def resident(tipbot, graph) -> WhatsAppResident:
    return WhatsAppResident(tipbot, graph)
