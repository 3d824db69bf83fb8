"""The baseline of bench_service.py: a bare python-telegram-bot echo bot, nothing else.

    python bench/echo_bot.py TOKEN BASE_URL

Echoes each text and answers each button press with a message, long polling like tipbot.
"""
from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()
    await context.bot.send_message(update.effective_chat.id, update.callback_query.data or "-")


def main() -> None:
    token, base_url = sys.argv[1], sys.argv[2]
    app = (ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(64).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
