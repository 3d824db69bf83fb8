"""The engine's replies shaped to WhatsApp: the same words and choices, within its limits.

A reply's HTML becomes WhatsApp's own marks (*bold*, _italic_, ~strike~, ```mono```); its
buttons become at most 3 reply buttons when they fit (titles up to 20 characters), else a
list of at most 10 rows (titles up to 24, the whole label in the description up to 72),
the tenth row "Lainnya" opening the next page. A body longer than an interactive message
takes (1024) goes first as text, in pieces cut by the one splitter.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup

from bot.engine.i18n import N_, Translator
from bot.render.text import MAX_TEXT, Reply, split_html

# WhatsApp's text limit is Telegram's (MAX_TEXT) in characters; its marks (*bold*) take a
# little more room than Telegram's tags, hence the margin when the HTML is cut.
CUT_AT = MAX_TEXT * 9 // 10
MAX_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MORE_PREFIX = "wa:more:"

MORE = N_("More")
CHOOSE = N_("Choose")
CHOOSE_BELOW = N_("Please choose below.")


@dataclass(frozen=True)
class Outgoing:
    """One WhatsApp message: text, with reply buttons or a list (id, title, description)."""

    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    list_button: str = ""


_MARKS = [
    (re.compile(r"</?(b|strong)>", re.I), "*"),
    (re.compile(r"</?(i|em)>", re.I), "_"),
    (re.compile(r"</?(s|strike|del)>", re.I), "~"),
    (re.compile(r"</?(code|pre)[^>]*>", re.I), "```"),
    (re.compile(r"<blockquote[^>]*>", re.I), "> "),
]
_LINK = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def plain(html_text: str) -> str:
    """Telegram HTML as WhatsApp text."""
    text = _LINK.sub(lambda m: m.group(2) if m.group(2) == m.group(1)
                     else f"{m.group(2)} ({m.group(1)})", html_text)
    for pattern, mark in _MARKS:
        text = pattern.sub(mark, text)
    return html.unescape(_TAG.sub("", text))


def _short(label: str, limit: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def choices_of(keyboard: InlineKeyboardMarkup | None) -> tuple[list[tuple[str, str]], list[str]]:
    """(id, label) of the callback buttons; the link buttons as lines of text."""
    pressable, links = [], []
    for row in keyboard.inline_keyboard if keyboard else ():
        for button in row:
            if button.callback_data:
                pressable.append((str(button.callback_data), button.text))
            elif button.url:
                links.append(f"{button.text}: {button.url}")
    return pressable, links


def _texts(html_text: str) -> list[Outgoing]:
    """A long reply in text messages, cut by the one splitter (bot/render/text.py)."""
    return [Outgoing(plain(piece).strip() or "…") for piece in split_html([html_text], CUT_AT)]


def to_whatsapp(t: Translator, reply: Reply, *, page: int = 0) -> list[Outgoing]:
    """One engine reply as WhatsApp messages (usually one)."""
    choices, links = choices_of(reply.keyboard)
    source = reply.text + ("\n\n" + "\n".join(html.escape(link) for link in links)
                           if links else "")
    text = plain(source).strip() or "…"
    if not choices:
        return _texts(source) if len(text) > MAX_TEXT else [Outgoing(text)]
    messages: list[Outgoing] = []
    if len(text) > MAX_BODY:
        messages += _texts(source)
        text = t(CHOOSE_BELOW)
    fits = (len(choices) <= MAX_BUTTONS
            and all(len(label) <= MAX_BUTTON_TITLE for _, label in choices)
            and len({label for _, label in choices}) == len(choices))
    if fits:
        messages.append(Outgoing(text, buttons=[(ident, label) for ident, label in choices]))
    else:
        messages.append(Outgoing(text, rows=_rows(t, choices, page), list_button=t(CHOOSE)))
    return messages


def _rows(t: Translator, choices: list[tuple[str, str]], page: int) -> list[tuple[str, str, str]]:
    """One page of the list: nine choices and "Lainnya" while more follow, else up to ten."""
    per_page = MAX_ROWS - 1
    start = page * per_page
    if start >= len(choices):
        start = 0
    rest = choices[start:]
    shown = rest if len(rest) <= MAX_ROWS else rest[:per_page]
    rows = []
    for ident, label in shown:
        title = _short(label, MAX_ROW_TITLE)
        description = _short(label, MAX_ROW_DESCRIPTION) if title != " ".join(label.split()) else ""
        rows.append((ident, title, description))
    if len(shown) < len(rest):
        rows.append((f"{MORE_PREFIX}{page + 1}", t(MORE), ""))
    return _unique_titles(rows)


def _unique_titles(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Two labels cut to the same 24 characters would read alike: number the repeats."""
    seen: dict[str, int] = {}
    unique = []
    for ident, title, description in rows:
        count = seen.get(title, 0)
        seen[title] = count + 1
        if count:
            suffix = f" ({count + 1})"
            title = title[:MAX_ROW_TITLE - len(suffix)] + suffix
        unique.append((ident, title, description))
    return unique


def more_page(choice: str) -> int | None:
    """The page a "Lainnya" row asks for, or None for any other choice."""
    if choice.startswith(MORE_PREFIX) and choice[len(MORE_PREFIX):].isdigit():
        return int(choice[len(MORE_PREFIX):])
    return None
