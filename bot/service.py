"""`tipbot run`: the bot as a service. Takes the serving role (or waits as standby),
starts the HTTP server (health, metrics, webhook) and either long-polls or receives
Telegram's webhook, until a signal or the loss of the serving lock stops it."""
from __future__ import annotations

import asyncio
import logging
import signal

from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.services.container import system_clock
from bot.services.deployment_key import check_fingerprint
from bot.storage.crypto import Vault, load_or_create_key
from bot.storage.db import create_engine, create_session_factory
from bot.instance import guard_for
from bot.web.metrics import Metrics, Uncounted
from bot.web.status import STANDBY, STOPPING, ServiceStatus

log = logging.getLogger(__name__)
EXIT_LOST_LOCK = 1


async def serve(settings: Settings, *, stop: asyncio.Event | None = None,
                on_ready=None, guard=None) -> int:
    """Run until ``stop`` is set (SIGINT/SIGTERM set it). Returns the exit code."""
    stop = stop or _stop_on_signals()
    url = settings.resolved_database_url
    webhook = bool(settings.webhook_url)
    engine = create_engine(url, connect_timeout=settings.db_connect_timeout.total_seconds(),
                           statement_timeout=settings.db_statement_timeout.total_seconds())
    status = ServiceStatus(sweep_interval=settings.sweep_interval.total_seconds())
    # Counted only where /metrics can be read.
    metrics = Metrics() if settings.http_listen else Uncounted()
    web = whatsapp = endpoint = None
    if settings.http_listen:
        # The HTTP stack (Starlette, uvicorn) loads only for a bot that serves HTTP.
        from bot.web.health import health_routes
        from bot.web.server import WebServer
        from bot.web.webhook import WebhookEndpoint

        endpoint = WebhookEndpoint(settings)
        web = WebServer(settings.http_listen,
                        health_routes(status, metrics, create_session_factory(engine)))
        if webhook:
            web.routes.append(endpoint.route())
        if settings.whatsapp_enabled:
            # pywa loads only for a bot that serves WhatsApp.
            from bot.web.whatsapp import WhatsAppEndpoint

            whatsapp = WhatsAppEndpoint(app_secret=settings.whatsapp_app_secret,
                                        verify_token=settings.whatsapp_verify_token)
            web.routes.extend(whatsapp.routes())
    guard = guard or guard_for(url, webhook=webhook,
                               connect_timeout=settings.db_connect_timeout.total_seconds())
    application: Application | None = None
    try:
        if not guard.waits:
            await guard.acquire()     # SQLite refuses a second run here, before binding
        if web is not None:
            await web.start()
            if on_ready is not None:
                on_ready(web)
        if guard.waits:
            await _acquire_or_stop(guard, status, stop)
        if stop.is_set():
            return 0
        # At start and at a standby's takeover alike: refuse another key (OtherKey).
        await same_key_as_deployment(settings, engine)
        application = build_application(settings, engine=engine, metrics=metrics, status=status)
        await _start(application, settings, endpoint)
        if whatsapp is not None:
            whatsapp.channel = application.bot_data.services.whatsapp
        status.serving()
        log.info("serving (%s)", "webhook" if webhook else "long polling")
        lost = asyncio.create_task(guard.lost())
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({lost, stopped}, return_when=asyncio.FIRST_COMPLETED)
        for task in (lost, stopped):
            task.cancel()
        return EXIT_LOST_LOCK if lost.done() and not lost.cancelled() else 0
    finally:
        status.role = STOPPING
        if application is not None:
            await _stop(application)
        if web is not None:
            await web.stop()
        await guard.release()
        await engine.dispose()


async def _acquire_or_stop(guard, status: ServiceStatus, stop: asyncio.Event) -> None:
    acquire = asyncio.create_task(guard.acquire(on_standby=lambda: setattr(status, "role", STANDBY)))
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({acquire, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if acquire.done():
        acquire.result()        # AlreadyRunning goes up to the command line
    else:
        acquire.cancel()


async def _start(application: Application, settings: Settings, endpoint) -> None:
    """What run_polling/run_webhook do, with our own HTTP server and lifecycle."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    if settings.webhook_url:
        endpoint.application = application
        await application.bot.set_webhook(settings.webhook_url,
                                          secret_token=settings.webhook_secret,
                                          allowed_updates=ALLOWED_UPDATES)
    else:
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    await application.start()


async def _stop(application: Application) -> None:
    # The webhook stays set: Telegram keeps the updates until an instance answers again.
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    if application.post_stop:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def same_key_as_deployment(settings: Settings, engine) -> None:
    """Raise OtherKey unless ENCRYPTION_KEY is the key the database was started with (the
    first start records it): see bot.services.deployment_key."""
    vault = Vault(load_or_create_key(settings.encryption_key, settings.data_dir))
    async with create_session_factory(engine)() as session:
        await check_fingerprint(session, vault=vault, now=system_clock())
        await session.commit()
