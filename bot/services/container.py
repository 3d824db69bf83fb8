"""The engine's shared resources, handed to every use case: settings, the database's
sessions, the vault, the evidence store, the regions, the clock. No channel's types: the
Telegram application keeps them in its bot_data (bot/context.py), the WhatsApp channel
and the command line hold them directly."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.engine.form import Limits
from bot.engine.i18n import Translator, get_translator
from bot.engine.labels import Labels
from bot.engine.regions import RegionList
from bot.services.routing import Counts, RoutingRules
from bot.storage.crypto import Vault
from bot.storage.db import SessionFactory
from bot.storage.evidence import EvidenceStore

if TYPE_CHECKING:
    from bot.channels.whatsapp.channel import WhatsAppChannel


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Services:
    settings: Settings
    sessions: SessionFactory
    vault: Vault
    evidence: EvidenceStore
    regions: RegionList
    clock: Callable[[], datetime] = system_clock
    # Where the sessions point, for work done on an engine of its own (bot/analytics/worker.py).
    database_url: str = ""
    # Where the engine counts what it did (the service's metrics), when anything counts.
    counts: Counts | None = None
    # Set once the start-up job (admins bootstrapped, outbox drained, menus published) ran.
    started: asyncio.Event = field(default_factory=asyncio.Event)
    # The WhatsApp channel (bot/channels/whatsapp), when its settings are given.
    whatsapp: "WhatsAppChannel | None" = None

    def translator(self, locale: str | None) -> Translator:
        return get_translator(locale or self.settings.default_locale, self.settings.timezone)

    @property
    def labels(self) -> Labels:
        """Names for stored codes, with the configured regions (``REGIONS_FILE``)."""
        return Labels(self.regions)

    def form_limits(self, today: date) -> Limits:
        return Limits(regions=self.regions, today=today,
                      max_files=self.settings.max_evidence_files,
                      max_file_bytes=self.settings.max_evidence_bytes)

    @property
    def routing_rules(self) -> RoutingRules:
        return RoutingRules.of(self.settings)

    @property
    def max_mb(self) -> int:
        return self.settings.max_evidence_bytes // (1024 * 1024)
