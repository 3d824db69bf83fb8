"""The sandbox page: HTML rendered on the server with the words from the catalogs.

The page's script gets its words the same way, as a JSON block in the page, so every word a
person reads is translated; only the emulator's technical detail of a refused call (method
and Telegram's own description, as a developer would search for it) is shown verbatim."""
from __future__ import annotations

import html
import json
from datetime import timedelta
from pathlib import Path
from string import Template

from bot.engine.i18n import N_, Translator
from bot.render.durations import duration_text

TEMPLATE = Path(__file__).parent / "static" / "page.html"

PANE_TITLES = {
    "resident": N_("Sandbox pane: Resident"),
    "officer": N_("Sandbox pane: Officer"),
    "group": N_("Sandbox pane: Task-force group"),
}


def pane_subtitles(t: Translator, names: dict[str, str]) -> dict[str, str]:
    return {
        "resident": t("{name}, a resident who wants to report").format(name=names["resident"]),
        "officer": t("{name}, an officer (admin) on duty").format(name=names["officer"]),
        "group": t("Cards of new cases; you write here as {name}").format(name=names["officer"]),
    }


def script_labels(t: Translator) -> dict[str, str]:
    """The words the page's script shows."""
    return {
        "placeholder": t("Write a message…"),
        "send": t("Send"),
        "attach": t("Send a photo or file"),
        "location": t("Send location"),
        "location_name": t("Location: Bandar Lampung"),
        "reply": t("Reply"),
        "cancel_reply": t("Cancel reply"),
        "replying_to": t("Replying to {name}"),
        "edited": t("edited"),
        "deleted": t("This message was deleted"),
        "download": t("Download"),
        "violation": t("Telegram would refuse this call of the bot (a bug):"),
        "error": t("Telegram refused this call; the bot should handle it:"),
        "disconnected": t("Connection to the sandbox lost; reconnecting…"),
        "send_failed": t("Could not send: {reason}"),
        "resetting": t("Starting the sandbox afresh…"),
        "reset_confirm": t("Delete every chat and report in the sandbox and start afresh?"),
        "problems": t("Refused calls"),
        "open_link": t("This button opens a link: {url}"),
    }


def render_page(t: Translator, *, names: dict[str, str], remind: timedelta,
                escalate: timedelta) -> str:
    titles = {pane: t(msgid) for pane, msgid in PANE_TITLES.items()}
    subtitles = pane_subtitles(t, names)
    e = html.escape
    values = {
        "lang": e(t.locale),
        "title": e(t("Lapor PMI Lampung sandbox")),
        "banner": e(t("This is a sandbox: the real bot, but not connected to Telegram. "
                      "Everything stays on this computer.")),
        "timers": e(t("Reminders after {remind}, escalation after {escalate}.").format(
            remind=duration_text(t, remind, seconds=True),
            escalate=duration_text(t, escalate, seconds=True))),
        "reset": e(t("Start afresh")),
        "chats": e(t("Chats")),
        "labels": json.dumps(script_labels(t), ensure_ascii=False).replace("</", "<\\/"),
    }
    for pane in PANE_TITLES:
        values[f"{pane}_title"] = e(titles[pane])
        values[f"{pane}_subtitle"] = e(subtitles[pane])
        values[f"{pane}_initial"] = e(titles[pane][:1])
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(values)
