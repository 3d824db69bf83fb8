"""The sandbox's world: the real application talking to the built-in Bot API emulator, with a
resident, an officer (an admin, checked in), the task-force group, a small sample register
of agencies, and a reset."""
from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.services.container import system_clock
from bot.storage.db import create_engine, ensure_sqlite_directory, upgrade_database
from bot.web.emulator import BotApiEmulator, SimChat, SimUser
from bot.web.graph_emulator import GraphApiEmulator
from bot.web.server import WebServer
from bot.web.whatsapp import WhatsAppEndpoint
from bot.prevention.register import import_register
from bot.services.officers import add_officer
from models import DutyCheckin

log = logging.getLogger(__name__)

# Not a real token: the emulator only checks that the bot uses the one it was given.
TOKEN = "100000001:SANDBOX-not-a-telegram-token"
BOT_USERNAME = "lapor_pmi_sandbox_bot"
# A fixed point in Bandar Lampung (Tugu Adipura), for "send location".
BANDAR_LAMPUNG = (-5.4230, 105.2580)
TELEGRAM_PANES = ("resident", "officer", "group")
# The fourth pane: a resident on WhatsApp, through the Graph API stand-in.
WHATSAPP = "whatsapp"
PANES = TELEGRAM_PANES + (WHATSAPP,)
# A made-up Indonesian number for the WhatsApp resident, and the stand-in's template.
SANDBOX_WA_ID = "6281200000001"
NOTICE_TEMPLATE = "tipbot_kabar_baru"
# Three fictional firms, one licensed (with a branch), one suspended, one revoked: a
# newcomer sees each /cekagensi answer and the register line on an officer's card.
SAMPLE_REGISTER = Path(__file__).resolve().parent / "sample_register.csv"
SAMPLE_AGENCIES = ("PT Contoh Maju Sejahtera", "PT Contoh Sinar Abadi", "PT Contoh Karya Bakti")


def sandbox_settings(base: Settings, emu: BotApiEmulator, data_dir: Path,
                     graph: GraphApiEmulator | None = None) -> Settings:
    """The user's settings (language, contacts, regions...) pointed at the emulators, with
    the sandbox's own data folder and database and short reminder timers."""
    remind, escalate = base.sandbox_reminder_after, base.sandbox_escalate_after
    whatsapp = {} if graph is None else dict(
        whatsapp_phone_number_id=graph.phone_number_id, whatsapp_access_token=graph.token,
        whatsapp_app_secret=graph.app_secret, whatsapp_verify_token=graph.verify_token,
        whatsapp_api_base_url=graph.base_url, whatsapp_notice_template=NOTICE_TEMPLATE)
    return base.model_copy(update=dict(
        **whatsapp,
        telegram_bot_token=emu.token,
        telegram_api_base_url=emu.base_url,
        telegram_file_base_url=emu.base_file_url,
        data_dir=data_dir,
        database_url="",
        encryption_key="",  # a key of its own, generated into the sandbox folder
        admin_telegram_ids=[],
        unclaimed_reminder_after=remind,
        unclaimed_reminder_after_urgent=remind,
        escalate_after=escalate,
        escalate_after_urgent=escalate,
        stale_case_after=escalate * 2,
        stale_escalate_after=escalate * 4,
        sweep_interval=min(timedelta(seconds=5), remind),
    ))


@dataclass
class Cast:
    """Who is in the sandbox: one SimUser or SimChat per pane, and who types in it."""

    resident: SimUser
    officer: SimUser
    group: SimChat
    whatsapp: str = SANDBOX_WA_ID

    def chat(self, pane: str) -> SimUser | SimChat:
        return getattr(self, pane)

    def sender(self, pane: str) -> SimUser:
        # In the group the officer writes: they are a member of the task force.
        return self.resident if pane == "resident" else self.officer


class Sandbox:
    """Starts, resets and stops the bot against the emulator, in the caller's event loop."""

    def __init__(self, settings: Settings, *, engine: AsyncEngine | None = None,
                 clock=system_clock, labels: dict[str, str] | None = None) -> None:
        self.base_settings = settings
        self.data_dir = settings.data_dir / "sandbox"
        self._given_engine = engine
        self.clock = clock
        self.labels = labels or {"resident": "Siti", "officer": "Andi",
                                 "group": "Satgas PPMI Lampung", "whatsapp": "Rina"}
        self.generation = 0  # bumped by each reset, so the page starts over
        self.emu: BotApiEmulator | None = None
        self.graph: GraphApiEmulator | None = None
        self._whatsapp_web: WebServer | None = None
        self.app: Application | None = None
        self.cast: Cast | None = None
        self.engine: AsyncEngine | None = None
        self.closing = False
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        """Running, and not in the middle of a reset."""
        return self.app is not None and not self._lock.locked()

    def busy(self):
        """Held by each action, so none lands in the middle of a reset."""
        return self._lock

    async def start(self) -> None:
        async with self._lock:
            await self._start()

    async def stop(self) -> None:
        self.closing = True
        async with self._lock:
            await self._stop()

    async def reset(self) -> None:
        """Everything afresh: chats, database rows, evidence; the same people and group."""
        async with self._lock:
            await self._stop()
            await self._start(wipe=True)

    async def _start(self, wipe: bool = False) -> None:
        self.generation += 1
        self.emu = await BotApiEmulator(token=TOKEN, bot_username=BOT_USERNAME,
                                        bot_name="Lapor PMI Lampung").start()
        self.graph = GraphApiEmulator(clock=self.clock)
        self.graph.add_template(NOTICE_TEMPLATE)
        await self.graph.start()
        settings = sandbox_settings(self.base_settings, self.emu, self.data_dir, self.graph)
        if self._given_engine is None:
            # Each run starts afresh: the chats live in memory, so old rows would have no chats.
            shutil.rmtree(self.data_dir, ignore_errors=True)
            url = settings.resolved_database_url
            ensure_sqlite_directory(url)
            self.engine = create_engine(url)
            await upgrade_database(self.engine)
        else:
            self.engine = self._given_engine
            if wipe or self.generation == 1:
                await _delete_rows(self.engine)
            shutil.rmtree(self.data_dir / "evidence", ignore_errors=True)
        emu = self.emu
        self.cast = Cast(
            resident=emu.user(self.labels["resident"], language_code=settings.default_locale),
            officer=emu.user(self.labels["officer"], language_code=settings.default_locale, started=True),
            group=emu.group(self.labels["group"], type="supergroup"),
        )
        settings = settings.model_copy(update={"taskforce_chat_id": self.cast.group.id})
        self.app = build_application(settings, engine=self.engine, clock=self.clock)
        await self._register_officer()
        await self._load_sample_register()
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)
        await self.app.start()
        self.emu.attach(self.app)
        await self.app.updater.start_polling(
            poll_interval=0, timeout=10, allowed_updates=["message", "edited_message", "callback_query"])
        # Meta's side posts signed webhooks to the bot's /whatsapp, as in production.
        endpoint = WhatsAppEndpoint(app_secret=self.graph.app_secret,
                                    verify_token=self.graph.verify_token,
                                    channel=self.app.bot_data.services.whatsapp)
        self._whatsapp_web = WebServer("127.0.0.1:0", endpoint.routes())
        await self._whatsapp_web.start()
        self.graph.webhook_url = f"http://127.0.0.1:{self._whatsapp_web.port}/whatsapp"
        log.info("sandbox started (generation %s)", self.generation)

    async def _register_officer(self) -> None:
        """The officer pane is an admin, checked in until they check out with /piket."""
        services = self.app.bot_data.services
        async with services.sessions() as session:
            officer = await add_officer(session, telegram_user_id=self.cast.officer.id,
                                        name=self.labels["officer"], role="admin", now=self.clock())
            session.add(DutyCheckin(officer_id=officer.id, started_at=self.clock()))
            await session.commit()

    async def _load_sample_register(self) -> None:
        async with self.app.bot_data.services.sessions() as session:
            await import_register(session, text=SAMPLE_REGISTER.read_text(encoding="utf-8"),
                                  now=self.clock())
            await session.commit()

    async def _stop(self) -> None:
        app, emu = self.app, self.emu
        self.app = None
        if app is not None:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        if emu is not None:
            await emu.stop()
        if self._whatsapp_web is not None:
            await self._whatsapp_web.stop()
            self._whatsapp_web = None
        if self.graph is not None:
            await self.graph.stop()
        if self.engine is not None and self._given_engine is None:
            await self.engine.dispose()
            self.engine = None


async def _delete_rows(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await conn.execute(table.delete())
