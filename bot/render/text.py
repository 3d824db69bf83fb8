"""HTML escaping and Telegram's message length rules."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:     # the engine splits a person's words here too, without Telegram
    from telegram import InlineKeyboardMarkup

MAX_TEXT = 4096
_TAG = re.compile(r"<[^>]+>")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w-]*)")
# What a cut may not fall inside: a tag, an entity; else one character (a code point: a
# surrogate pair is never split).
_ATOM = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|\w+);|.", re.DOTALL)


def esc(value: object) -> str:
    """User text made safe for parse_mode=HTML."""
    return html.escape(str(value), quote=False)


def bold(text: str) -> str:
    return f"<b>{esc(text)}</b>"


def utf16_length(text: str) -> int:
    """Length of plain text as Telegram counts it: UTF-16 code units (an emoji outside the
    Basic Multilingual Plane is two)."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it: after parsing entities, in UTF-16 code units."""
    return utf16_length(html.unescape(_TAG.sub("", html_text)))


@dataclass(frozen=True)
class Reply:
    text: str                                      # HTML
    keyboard: InlineKeyboardMarkup | None = None
    reply_to: int | None = None                    # a message of the same chat it answers


def pack_blocks(blocks: list[str], keyboard: InlineKeyboardMarkup | None = None,
                limit: int = MAX_TEXT) -> list[Reply]:
    """HTML blocks in as few messages as fit (``split_html``); the keyboard goes on the
    last one."""
    return _replies(split_html(blocks, limit), keyboard)


def pack_blocks_into(blocks: list[str], count: int, keyboard: InlineKeyboardMarkup | None = None,
                     limit: int = MAX_TEXT) -> list[Reply] | None:
    """The same blocks in exactly ``count`` messages (the ones already shown, to be edited),
    or None when they no longer fit in so many. When they fit in fewer, the messages at
    the end each take one piece (the last block, the status, alone above the buttons)
    rather than any message being left empty: Telegram refuses an empty text."""
    messages = _pack(_units(blocks, limit), limit, count)
    return _replies(messages, keyboard) if len(messages) == count else None


def _replies(messages: list[str], keyboard: InlineKeyboardMarkup | None) -> list[Reply]:
    replies = [Reply(text) for text in messages[:-1]]
    replies.append(Reply(messages[-1] if messages else "…", keyboard))
    return replies


def split_html(blocks: Iterable[str], limit: int = MAX_TEXT) -> list[str]:
    """The one message splitter: HTML blocks, joined by a blank line, in as few messages
    as fit, each at most ``limit`` long as Telegram counts it (after parsing, in UTF-16
    code units).

    A block that fits is never cut. A longer one is cut between lines; a line longer
    than a message between words, and a word longer than that between characters. A cut
    never falls inside a tag or an entity (``&amp;``), and a tag open at a cut is closed
    at the end of the message and opened again at the start of the next.
    """
    return _pack(_units(blocks, limit), limit)


def _units(blocks: Iterable[str], limit: int) -> list[tuple[str, str]]:
    """The pieces a message may be cut between: whole blocks, else lines, else words."""
    units: list[tuple[str, str]] = []          # (separator before it, HTML)
    for block in blocks:
        if not block.strip():
            continue
        if visible_length(block) <= limit:
            units.append(("\n\n", block))
            continue
        for number, line in enumerate(block.split("\n")):
            separator = "\n\n" if number == 0 else "\n"
            units += _line_units(line, separator, limit)
    return units


def _line_units(line: str, separator: str, limit: int) -> list[tuple[str, str]]:
    if visible_length(line) <= limit:
        return [(separator, line)]
    pieces: list[str] = []
    for word in _words(line):
        pieces += [word] if visible_length(word) <= limit else _ATOM.findall(word)
    return [(separator if number == 0 else "", piece) for number, piece in enumerate(pieces)]


def _words(line: str) -> list[str]:
    """The line in words, each with the space after it; spaces inside tags do not count."""
    words, current = [], ""
    for atom in _ATOM.findall(line):
        current += atom
        if atom == " ":
            words.append(current)
            current = ""
    return [*words, current] if current else words


def _pack(units: list[tuple[str, str]], limit: int, count: int | None = None) -> list[str]:
    """Greedy: each message takes pieces while they fit. With ``count``, a message is also
    closed early once the pieces left are just enough for one message each."""
    messages: list[str] = []
    parts: list[str] = []                      # the message being filled
    used = 0                                   # its length as Telegram counts it
    open_tags: list[tuple[str, str]] = []      # (name, the opening tag as written)
    for index, (separator, text) in enumerate(units):
        width = visible_length(text)
        wanted = count is not None and len(units) - index <= count - len(messages) - 1
        if used and (wanted or used + utf16_length(separator) + width > limit):
            messages.append("".join(parts) + _closing(open_tags))
            parts, used = ["".join(tag for _, tag in open_tags)], 0
        if used:                               # no separator at the top of a message
            parts.append(separator)
            used += utf16_length(separator)
        parts.append(text)
        used += width
        _follow_tags(open_tags, text)
    if parts:
        messages.append("".join(parts) + _closing(open_tags))
    # A message with nothing to read (only tags or blank lines) would be refused.
    return [m for m in messages if html.unescape(_TAG.sub("", m)).strip()]


def _follow_tags(open_tags: list[tuple[str, str]], text: str) -> None:
    for tag in _TAG.findall(text):
        name = _TAG_NAME.match(tag)
        if name is None:
            continue
        if tag.startswith("</"):
            for index in range(len(open_tags) - 1, -1, -1):
                if open_tags[index][0] == name.group(1).lower():
                    del open_tags[index]
                    break
        else:
            open_tags.append((name.group(1).lower(), tag))


def _closing(open_tags: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(open_tags))


def truncate(text: str, limit: int) -> str:
    """Plain text cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# A person's words are queued in parts no channel refuses (Telegram and WhatsApp both take
# 4096 characters; the rest is left for the label a channel puts above them), counted in
# UTF-16 code units as Telegram counts them.
WORDS_PER_PART = 3800


def split_words(text: str, limit: int = WORDS_PER_PART) -> list[str]:
    """A person's words in parts of at most ``limit`` UTF-16 code units, cut between
    words where there is a space to cut at (never inside a character)."""
    parts, rest = [], text
    while utf16_length(rest) > limit:
        cut, size = 0, 0
        for index, char in enumerate(rest):
            size += 2 if ord(char) > 0xFFFF else 1
            if size > limit:
                break
            cut = index + 1
        space = rest.rfind(" ", 0, cut)
        cut = space + 1 if space > cut // 2 else cut
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts + [rest] if rest or not parts else parts
