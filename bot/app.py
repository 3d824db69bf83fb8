"""The composition root: one place that builds and wires the application."""
from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.config import Settings
from bot.context import BotData, TipContext
from bot.services.container import Services, system_clock
from bot.storage.crypto import Vault, load_or_create_key
from bot.storage.db import create_engine, create_session_factory
from bot.channels.telegram.jobs import delivery_job, sweep_job
from bot.channels.telegram.sender import channels
from bot.channels.telegram.alarm import DeliveryAlarm
from bot.services.delivery import Deliverer
from bot.storage.evidence import EvidenceStore
from bot.channels.telegram.menus import publish_officer_menu, publish_resident_menu
from bot.engine.regions import load_regions
from bot.services.officers import active_officers, bootstrap_admins
from bot.channels.telegram.ratelimit import PriorityRateLimiter
from bot.channels.telegram.requests import bot_api_requests
from bot.services.updates_seen import take_updates_once
from bot.channels.telegram.bot import TipBot
from bot.channels.telegram.updates import DedupingQueue, FloodGuard, PerUserUpdateProcessor
from bot.web.metrics import Metrics, Uncounted
from bot.web.status import ServiceStatus
from handlers.admin import review_handlers
from handlers.common import resident_gate
from handlers.duty import duty_handlers
from handlers.guards import error_handler, flood_handler, guard_handlers
from handlers.officer import officer_handlers, officer_input_handlers
from handlers.prevention import prevention_handlers
from handlers.resident import resident_handlers

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]

def build_services(settings: Settings, engine: AsyncEngine, clock=system_clock) -> Services:
    # The SQLite file and a generated key live here: owner-only when we create it.
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    vault = Vault(load_or_create_key(settings.encryption_key, settings.data_dir))
    return Services(
        settings=settings,
        sessions=create_session_factory(engine),
        vault=vault,
        evidence=EvidenceStore(vault),
        regions=load_regions(settings.regions_file),
        clock=clock,
        database_url=engine.url.render_as_string(hide_password=False),
    )


def build_application(settings: Settings, *, engine: AsyncEngine | None = None,
                      clock=system_clock, rate_limit: bool = True,
                      metrics: Metrics | Uncounted | None = None,
                      status: ServiceStatus | None = None) -> Application:
    """The bot with every handler, job and resource wired in; nothing else wires."""
    own_engine = engine is None
    engine = engine or create_engine(settings.resolved_database_url)
    services = build_services(settings, engine, clock)
    metrics = metrics or Metrics()
    status = status or ServiceStatus(sweep_interval=settings.sweep_interval.total_seconds())
    services.counts = metrics

    async def post_init(application: Application) -> None:
        await publish_resident_menu(application.bot)

    async def post_shutdown(application: Application) -> None:
        if services.whatsapp is not None:
            await services.whatsapp.close()
        if own_engine:
            await engine.dispose()

    calls, long_poll = bot_api_requests(metrics.telegram_error,
                                        batch_wait=settings.poll_batch_wait.total_seconds())
    bot = TipBot(settings.telegram_bot_token, base_url=settings.telegram_api_base_url,
                 base_file_url=settings.telegram_file_base_url, request=calls,
                 get_updates_request=long_poll,
                 rate_limiter=PriorityRateLimiter(max_retries=2) if rate_limit else None)
    application = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=TipContext, bot_data=BotData))
        .concurrent_updates(PerUserUpdateProcessor(64, observe=metrics.observe_update))
        .update_queue(DedupingQueue(_update_taker(engine, services.clock)))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.services = services
    adapters = channels(bot, services)
    application.bot_data.deliverer = Deliverer(services, adapters)
    alarm = DeliveryAlarm(services, application.job_queue, delivery_job)
    application.bot_data.deliverer.on_quiet = alarm.set_soon
    if settings.whatsapp_enabled:
        services.whatsapp = _whatsapp_channel(settings, services, application)
        adapters["whatsapp"] = services.whatsapp.outbox_adapter()
    application.bot_data.resident_gate = resident_gate()
    application.bot_data.metrics = metrics
    application.bot_data.status = status

    guard = FloodGuard(settings.flood_max_updates, settings.flood_window.total_seconds())
    application.add_handler(flood_handler(guard), group=-1)
    application.add_handlers(guard_handlers(), group=0)
    application.add_handlers(officer_input_handlers(), group=0)
    application.add_handlers(officer_handlers(), group=1)
    application.add_handlers(duty_handlers(), group=1)
    application.add_handlers(review_handlers(), group=1)
    application.add_handlers(prevention_handlers(), group=1)
    application.add_handlers(resident_handlers(), group=1)
    interval = settings.sweep_interval.total_seconds()
    # Never skipped: on a loaded machine the job may start late, but it must run (the
    # admins, the outbox left over from the last run, and readiness depend on it).
    application.job_queue.run_once(_startup, 0, job_kwargs={"misfire_grace_time": None})
    application.job_queue.run_repeating(sweep_job, interval=interval, first=interval)
    application.add_error_handler(error_handler)
    return application


def _whatsapp_channel(settings: Settings, services: Services, application: Application):
    """The second channel: pywa's client to the Graph API; its outbox rows go through the
    same delivery core as Telegram's, by their adapter (registered as "whatsapp")."""
    from bot.channels.whatsapp.channel import Refused, Transient, WhatsAppChannel
    from bot.channels.whatsapp.client import make_client

    client, http = make_client(settings)

    async def kick() -> None:
        await application.bot_data.deliverer.run()

    async def officer_file(file_id: str) -> bytes:
        """An officer's file from Telegram, for a reporter on WhatsApp."""
        try:
            telegram_file = await application.bot.get_file(file_id)
            return bytes(await telegram_file.download_as_bytearray())
        except BadRequest as exc:          # gone, or over the Bot API's 20 MB
            raise Refused(type(exc).__name__) from None
        except TelegramError as exc:       # the network, a flood limit, a 5xx: again later
            raise Transient(type(exc).__name__) from None

    return WhatsAppChannel(services, client, kick, http=http, officer_file=officer_file)


def _update_taker(engine: AsyncEngine, clock):
    async def take(update_ids: list[int]) -> set[int]:
        return await take_updates_once(engine, update_ids=update_ids, now=clock())

    return take


async def _startup(context: TipContext) -> None:
    """Once the jobs run: admins from ADMIN_TELEGRAM_IDS, then whatever the outbox holds."""
    try:
        await _start_up(context)
    finally:
        context.services.started.set()


async def _start_up(context: TipContext) -> None:
    services = context.services
    async with services.sessions() as session:
        await bootstrap_admins(session, telegram_ids=services.settings.admin_telegram_ids,
                               now=services.clock())
        await session.commit()
        team = await active_officers(session)
    if not team:
        log.warning("no active officer or admin: new reports wait in the queue until one is "
                    "added (`tipbot officer add`)")
    await delivery_job(context)
    for officer in team:
        await publish_officer_menu(context.bot, officer)
