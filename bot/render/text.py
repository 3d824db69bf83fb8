"""HTML escaping and Telegram's message length rules."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

MAX_TEXT = 4096
_TAG = re.compile(r"<[^>]+>")


def esc(value: object) -> str:
    """User text made safe for parse_mode=HTML."""
    return html.escape(str(value), quote=False)


def bold(text: str) -> str:
    return f"<b>{esc(text)}</b>"


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it: after parsing entities, in UTF-16 code units."""
    plain = html.unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Reply:
    text: str                                      # HTML
    keyboard: InlineKeyboardMarkup | None = None
    reply_to: int | None = None                    # a message of the same chat it answers


def pack_blocks(blocks: list[str], keyboard: InlineKeyboardMarkup | None = None,
                limit: int = MAX_TEXT) -> list[Reply]:
    """Join HTML blocks into as few messages as fit; the keyboard goes on the last one.

    Each block must be valid HTML on its own, so a split never cuts a tag in two.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if current and visible_length(candidate) > limit:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    replies = [Reply(text) for text in messages[:-1]]
    replies.append(Reply(messages[-1] if messages else "…", keyboard))
    return replies


def truncate(text: str, limit: int) -> str:
    """Plain text cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunks(text: str, size: int) -> list[str]:
    """Plain text in pieces of at most ``size`` characters, cut at a line or word break
    where there is one: long text is split, never truncated, so nothing is lost."""
    pieces: list[str] = []
    rest = text
    while len(rest) > size:
        cut = max(rest.rfind("\n", 0, size), rest.rfind(" ", 0, size))
        if cut <= size // 2:
            cut = size
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return pieces
