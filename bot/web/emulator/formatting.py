"""Message text as Telegram stores it: parse_mode, cleaning, trimming, auto-detected entities.

Follows tdlib (Client::get_formatted_text, fix_formatted_text): control characters become
spaces, "\\r" is dropped, trailing spaces/newlines are cut, leading ones are cut up to the first
entity, and url/mention/hashtag/email (and bot commands outside private chats) are detected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ApiError, bad_request
from .html_parser import HtmlError, parse_html

TEXT_LIMIT = 4096  # "1-4096 characters after entities parsing" (tdlib counts code points)
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
_PASSED_ENTITY_TYPES = {
    "bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link",
    "text_mention", "custom_emoji", "blockquote", "expandable_blockquote", "date_time",
}
_DETECTED_TYPES = {"mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number",
                   "bank_card_number"}
_BLOCKING = {"code", "pre", "text_link", "text_mention", "custom_emoji", "url", "email", "mention",
             "hashtag", "bot_command"}
_DETECTORS = [
    ("url", re.compile(r"(?<![\w@/])(?:https?://|t\.me/)[^\s<>\"]+[^\s<>\".,;:!?)\]]", re.I)),
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?!\w)", re.I)),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
]


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@dataclass
class Formatted:
    text: str
    entities: list[dict]
    warnings: list[str] = field(default_factory=list)


def detect_entities(text: str, *, commands: bool) -> list[dict]:
    """Entities Telegram finds by itself (simplified find_entities)."""
    found: list[dict] = []
    for kind, rx in _DETECTORS:
        if kind == "bot_command" and not commands:
            continue
        for m in rx.finditer(text):
            found.append({"type": kind, "offset": utf16_len(text[: m.start()]),
                          "length": utf16_len(m.group())})
    found.sort(key=lambda e: (e["offset"], -e["length"]))
    result: list[dict] = []
    for e in found:  # first match wins; no overlaps
        if not result or e["offset"] >= result[-1]["offset"] + result[-1]["length"]:
            result.append(e)
    return result


def _overlaps(a: dict, b: dict) -> bool:
    return a["offset"] < b["offset"] + b["length"] and b["offset"] < a["offset"] + a["length"]


def _clean_and_trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    # control characters -> ' ', '\r' removed (clean_input_string); offsets are UTF-16
    out: list[str] = []
    removed: list[int] = []  # utf16 offsets of removed '\r'
    pos = 0
    for ch in text:
        if ch == "\r":
            removed.append(pos)
        elif ord(ch) < 32 and ch != "\n":
            out.append(" ")
        else:
            out.append(ch)
        pos += 2 if ord(ch) > 0xFFFF else 1
    text = "".join(out)
    if removed:
        for e in entities:
            start, end = e["offset"], e["offset"] + e["length"]
            e["offset"] = start - sum(1 for r in removed if r < start)
            e["length"] = end - sum(1 for r in removed if r < end) - e["offset"]
    entities = [e for e in entities if e["length"] > 0]

    # rtrim ' ' and '\n'; entities are cut at the end of the text
    stripped = text.rstrip(" \n")
    end16 = utf16_len(stripped)
    kept = []
    for e in entities:
        if e["offset"] >= end16:
            continue
        e["length"] = min(e["length"], end16 - e["offset"])
        kept.append(e)
    # ltrim ' ' and '\n' up to the first entity
    first = min((e["offset"] for e in kept), default=len(stripped))
    cut = 0
    while cut < first and cut < len(stripped) and stripped[cut] in " \n":
        cut += 1
    for e in kept:
        e["offset"] -= cut
    return stripped[cut:], kept


def format_text(
    text: str,
    parse_mode: str | None,
    entities: list[dict] | None,
    *,
    allow_empty: bool,
    commands: bool,
    resolve_user=None,
) -> Formatted:
    """Apply parse_mode (or explicit entities) the way the Bot API does; raises ApiError."""
    warnings: list[str] = []
    mode = (parse_mode or "").lower()
    if text and mode and mode != "none":
        if mode == "html":
            try:
                text, ents, warnings = parse_html(text)
            except HtmlError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode in ("markdown", "markdownv2"):
            warnings.append(f"parse_mode {parse_mode} is not implemented by the emulator: text kept verbatim")
            ents = []
        else:
            raise bad_request("unsupported parse_mode")
        if entities:
            warnings.append("both parse_mode and entities given: Telegram ignores entities")
    else:
        ents = []
        for e in entities or []:
            if e.get("type") in _DETECTED_TYPES:
                continue
            if e.get("type") not in _PASSED_ENTITY_TYPES:
                raise bad_request("can't parse MessageEntity: Unsupported type specified")
            ents.append(dict(e))
    for e in ents:
        if e["type"] == "text_mention" and resolve_user is not None:
            e["user"] = resolve_user(e["user"]["id"])
    text, ents = _clean_and_trim(text, ents)
    if not text:
        if not allow_empty:
            raise bad_request("text must be non-empty")
        return Formatted("", [], warnings)
    blocking = [e for e in ents if e["type"] in _BLOCKING]
    for d in detect_entities(text, commands=commands):
        if not any(_overlaps(d, b) for b in blocking):
            ents.append(d)
    ents.sort(key=lambda e: (e["offset"], -e["length"]))
    return Formatted(text, ents, warnings)


def check_length(formatted: Formatted, *, caption: bool) -> None:
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    if len(formatted.text) > limit:  # tdlib: utf8_length(text) > message_text_length_max
        what = "message caption is too long" if caption else "message is too long"
        raise ApiError(400, f"Bad Request: {what}",
                       detail=f"{len(formatted.text)} characters after entity parsing, limit {limit}")
