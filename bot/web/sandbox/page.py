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

# One entry per chat pane, in the page's order: a further channel's pane (WhatsApp) is one
# more entry here, in pane_subtitles and in PANE_EMPTY; the page, its tabs and the script
# follow.
PANE_TITLES = {
    "resident": N_("Sandbox pane: Resident"),
    "officer": N_("Sandbox pane: Officer"),
    "group": N_("Sandbox pane: Task-force group"),
}
# What an empty chat says will appear there.
PANE_EMPTY = {
    "resident": N_("Write /start below to begin, as a resident who wants to report."),
    "officer": N_("Cards of new reports appear here, with buttons to claim and work them. "
                  "Make a report as the resident first."),
    "group": N_("A short notice of every new report appears here, without the reporter's "
                "details."),
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
        "chat_log": t("Chat: {name}"),
        "empty": {pane: t(msgid) for pane, msgid in PANE_EMPTY.items()},
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
        "more": e(t("Show more")),
        "chats": e(t("Chats")),
        "labels": json.dumps(script_labels(t), ensure_ascii=False).replace("</", "<\\/"),
        "tabs": "\n".join(_tab(pane, titles[pane], first=i == 0)
                          for i, pane in enumerate(PANE_TITLES)),
        "panes": "\n".join(_pane(pane, titles[pane], subtitles[pane], first=i == 0)
                           for i, pane in enumerate(PANE_TITLES)),
    }
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(values)


def _tab(pane: str, title: str, *, first: bool) -> str:
    e = html.escape
    return (f'  <button type="button" data-pane="{pane}" aria-pressed="{str(first).lower()}">'
            f'{e(title)}</button>')


def _pane(pane: str, title: str, subtitle: str, *, first: bool) -> str:
    e = html.escape
    return (f'  <section class="pane{" active" if first else ""}" data-pane="{pane}" '
            f'role="region" aria-label="{e(title)}">\n'
            f'    <header><span class="avatar" aria-hidden="true">{e(title[:1])}</span>'
            f'<div><h2>{e(title)}</h2><p>{e(subtitle)}</p></div></header>\n'
            f'  </section>')
