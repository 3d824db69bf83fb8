"""The Telegram side of the shared resources: PTB's bot_data holding the engine's
``Services`` (bot/services/container.py), and a typed context for the handlers."""
from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services.container import Services

if TYPE_CHECKING:
    from bot.channels.telegram.ratelimit import PriorityGate
    from bot.web.metrics import Metrics, Uncounted
    from bot.web.status import ServiceStatus


class BotData(dict):
    """bot_data; holds the services under one typed attribute."""

    services: Services
    metrics: "Metrics | Uncounted"
    status: "ServiceStatus"
    resident_gate: "PriorityGate"


class TipContext(CallbackContext[ExtBot, dict, dict, BotData]):
    """CallbackContext with typed access to the services."""

    def __init__(self, application: Application, chat_id=None, user_id=None):
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        return self.bot_data.services
