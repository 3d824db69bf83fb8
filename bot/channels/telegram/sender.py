"""How everything the bot says reaches Telegram: one send path for the handlers' replies
and the outbox's rows alike (``send_replies``, through TipBot's ``send_html`` and
``edit_html``), and the outbox's Telegram adapter (``TelegramChannel``, see the delivery
core's ``Channel`` in bot/services/delivery.py): where a row goes, what it says (built
when sent by bot/channels/telegram/messages.py) and the call, with Telegram's refusals
turned into the core's.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import timedelta

from telegram import ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram import messages
from bot.channels.telegram.bot import SentMessage, TipBot
from bot.channels.telegram.ratelimit import ALERT, OUTBOX
from bot.channels.telegram.relay_media import send_media
from bot.services.container import Services
from bot.render.text import Reply
from bot.services import chat_moves, delivery
from bot.services.residents import reporter_chat_id
from models import Officer, Outbox, Reporter

TELEGRAM = "telegram"


async def send_replies(bot: TipBot, chat_id: int | str, replies: Reply | Iterable[Reply], *,
                       rate_limit_args: dict | None = None) -> list[SentMessage]:
    """Rendered replies as HTML messages, in order; where each one is."""
    replies = [replies] if isinstance(replies, Reply) else list(replies)
    sent = []
    for reply in replies:
        answered = (ReplyParameters(reply.reply_to, allow_sending_without_reply=True)
                    if reply.reply_to is not None else None)
        sent.append(await bot.send_html(chat_id, reply.text, reply_markup=reply.keyboard,
                                        reply_parameters=answered,
                                        rate_limit_args=rate_limit_args))
    return sent


class TelegramChannel:
    """The outbox's adapter for Telegram (see bot.services.delivery.Channel)."""

    def __init__(self, bot: TipBot, services: Services):
        self.bot = bot
        self.services = services

    async def address(self, session, row: Outbox) -> int | str | None:
        if row.officer_id is not None:
            officer = await session.get(Officer, row.officer_id)
            return officer.telegram_user_id if officer else None
        if row.reporter_id is not None:
            reporter = await session.get(Reporter, row.reporter_id)
            return int(reporter_chat_id(self.services.vault, reporter)) if reporter else None
        return await chat_moves.current_chat(session, row.chat_id)

    async def render(self, session, row: Outbox) -> delivery.Rendered | None:
        return await messages.build(session, self.services, row)

    async def send(self, row: Outbox, address: int | str, rendered: delivery.Rendered, *,
                   alert: bool) -> int:
        """Send or edit; the message id. Telegram's refusals become the core's."""
        limits = self._limits(alert)
        message = rendered.message
        try:
            if row.edit_message_id is not None:
                return (await self.bot.edit_html(address, row.edit_message_id, message.text,
                                                 reply_markup=message.keyboard,
                                                 rate_limit_args=limits)).message_id
            if isinstance(message, dict):
                extra = {"rate_limit_args": limits} if limits else {}
                return (await send_media(self.bot, address, message, **extra)).message_id
            return (await send_replies(self.bot, address, message,
                                       rate_limit_args=limits))[-1].message_id
        except RetryAfter as exc:
            raise delivery.FloodLimit(_retry_after(exc)) from exc
        except Forbidden as exc:
            raise delivery.Blocked() from exc
        except ChatMigrated as exc:
            raise delivery.ChatMoved(exc.new_chat_id) from exc
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                raise delivery.NotModified() from exc
            raise delivery.Rejected(type(exc).__name__) from exc
        except NetworkError as exc:       # 5xx, timeouts, the network
            raise delivery.Unavailable(type(exc).__name__) from exc

    def _limits(self, alert: bool) -> dict | None:
        """Alerts first, then the rest of the outbox, ahead of prompts; and no retry inside
        the call: a 429 reschedules the row instead."""
        if getattr(self.bot, "rate_limiter", None) is None:
            return None
        return {"priority": ALERT if alert else OUTBOX, "retries": 0}


def _retry_after(error: RetryAfter) -> timedelta:
    with warnings.catch_warnings():   # int today, timedelta in PTB 23: both handled
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait if isinstance(wait, timedelta) else timedelta(seconds=float(wait))


def channels(bot: TipBot, services: Services) -> dict[str, delivery.Channel]:
    """The adapters the outbox sends through, by the name rows carry in outbox.channel."""
    return {TELEGRAM: TelegramChannel(bot, services)}
