"""Telegram's parse_mode=HTML parser, ported from tdlib (td/telegram/MessageEntity.cpp, parse_html).

``parse_html(text)`` returns the plain text, the entities (offsets/lengths in UTF-16 code units,
as dicts shaped like the Bot API's MessageEntity) and warnings, or raises ``HtmlError`` with
tdlib's own message (the Bot API answers "Bad Request: can't parse entities: <message>").

Warnings are things Telegram accepts silently but that are almost surely bugs: a bare "&" that
is not an entity (Telegram keeps it literally) and a link whose href Telegram drops as invalid.
"""

from __future__ import annotations

import re

SUPPORTED_TAGS = {
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji",
    "tg-time", "span", "pre", "code", "blockquote",
}
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "s": "strikethrough",
    "strike": "strikethrough", "del": "strikethrough", "u": "underline", "ins": "underline",
    "tg-spoiler": "spoiler", "span": "spoiler",
}
_SPACE = b" \t\r\n\0\v"
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_HEX = b"0123456789abcdefABCDEF"


class HtmlError(ValueError):
    pass


def _is_space(c: int) -> bool:
    return c in _SPACE


def _is_alnum(c: int) -> bool:
    return 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122


def decode_entity(data: bytes, pos: int) -> tuple[int, int]:
    """(code point, position after it) for an HTML entity at data[pos] == '&'; (0, pos) if none."""
    end = pos + 1
    res = 0
    if data[pos + 1] == ord("#"):
        end += 1
        if data[pos + 2] == ord("x"):
            end += 1
            while data[end] in _HEX:
                res = res * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while 48 <= data[end] <= 57:
                res = res * 10 + data[end] - 48
                end += 1
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while 65 <= data[end] <= 90 or 97 <= data[end] <= 122:
            end += 1
        named = _NAMED.get(data[pos + 1:end])
        if named is None:
            return 0, pos
        res = ord(named)
    if data[end] == ord(";"):
        end += 1
    return res, end


_HTTP_RE = re.compile(
    r"^(?:(https?)://)?(?:[^\s/?#@]*@)?([\w.-]+)(:\d{1,5})?([/?#]\S*)?$", re.IGNORECASE
)
_TG_RE = re.compile(r"^(tg|ton|tonsite):(?://)?([\w-]+)(/?\?\S*|/?)$", re.IGNORECASE)
_USER_RE = re.compile(r"^tg:(?://)?user/?\?(?:[^#]*&)?id=(\d+)", re.IGNORECASE)


def checked_link(url: str) -> str | None:
    """The URL Telegram stores for a text link (LinkManager::get_checked_link), None if invalid."""
    m = _TG_RE.match(url)
    if m:
        query = m.group(3).lstrip("/")
        return f"{m.group(1).lower()}://{m.group(2)}{query}"
    m = _HTTP_RE.match(url)
    if not m or "." not in m.group(2):
        return None
    scheme = (m.group(1) or "http").lower()
    path = m.group(4) or "/"
    if not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{m.group(2).lower()}{m.group(3) or ''}{path}"


def link_user_id(url: str) -> int | None:
    m = _USER_RE.match(url)
    return int(m.group(1)) if m else None


def parse_html(text: str) -> tuple[str, list[dict], list[str]]:
    data = text.encode("utf-8", "surrogatepass") + b"\0"
    size = len(data) - 1
    out = bytearray()
    utf16 = 0
    entities: list[dict] = []
    warnings: list[str] = []
    stack: list[dict] = []  # open tags: tag, arg, date, offset (utf16), begin (byte in out)
    i = 0
    while i < size:
        c = data[i]
        if c == ord("&"):
            code, end = decode_entity(data, i)
            if code:
                if 0xD800 <= code <= 0xDFFF:
                    raise HtmlError("Strings must be encoded in UTF-8")
                utf16 += 2 if code > 0xFFFF else 1
                out += chr(code).encode("utf-8")
                i = end
                continue
            warnings.append(
                f"unescaped '&' at byte offset {i} ({data[i:min(i + 12, size)].decode('utf-8', 'replace')!r}...): "
                "Telegram shows it literally; escape text with html.escape()"
            )
        if c != ord("<"):
            if c & 0xC0 != 0x80:
                utf16 += 2 if c >= 0xF0 else 1
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if data[i] != ord("/"):
            i = _open_tag(data, i, begin, stack, utf16, len(out))
        else:
            i = _close_tag(data, i, begin, stack, utf16, out, entities, warnings)
        i += 1  # past '>'
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"')
    for e in entities:
        if e["type"] == "code":
            e.pop("language", None)  # a language only survives on a <pre><code class=...>
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.decode("utf-8"), entities, warnings


def _open_tag(data: bytes, i: int, begin: int, stack: list[dict], utf16: int, out_len: int) -> int:
    while not _is_space(data[i]) and data[i] != ord(">"):
        i += 1
    if data[i] == 0:
        raise HtmlError(f"Unclosed start tag at byte offset {begin}")
    tag = data[begin + 1:i].lower().decode("utf-8", "replace")
    if tag not in SUPPORTED_TAGS:
        raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {begin}')

    arg = ""
    date = 0
    while data[i] != ord(">"):
        while data[i] != 0 and _is_space(data[i]):
            i += 1
        if data[i] == ord(">"):
            break
        name_begin = i
        while not _is_space(data[i]) and data[i] not in b"=>/\"'":
            i += 1
        name = data[name_begin:i]
        if not name:
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while data[i] != 0 and _is_space(data[i]):
            i += 1
        if data[i] != ord("="):
            if data[i] == 0:
                raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if tag == "blockquote" and name == b"expandable":
                arg = "1"
            continue
        i += 1
        while data[i] != 0 and _is_space(data[i]):
            i += 1
        if data[i] == 0:
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if data[i] not in b"'\"":
            token_begin = i
            while _is_alnum(data[i]) or data[i] in b".-":
                i += 1
            value = data[token_begin:i].lower().decode("utf-8")
            if not _is_space(data[i]) and data[i] != ord(">"):
                raise HtmlError(f"Unexpected end of name token at byte offset {token_begin}")
        else:
            quote = data[i]
            i += 1
            raw = bytearray()
            while data[i] != quote and data[i] != 0:
                if data[i] == ord("&"):
                    code, end = decode_entity(data, i)
                    if code:
                        raw += chr(code).encode("utf-8", "surrogatepass")
                        i = end
                        continue
                raw.append(data[i])
                i += 1
            if data[i] == quote:
                i += 1
            value = raw.decode("utf-8", "replace")
        if data[i] == 0:
            raise HtmlError(f"Unclosed start tag at byte offset {begin}")

        if tag == "a" and name == b"href":
            arg = value
        elif tag == "code" and name == b"class" and value.startswith("language-"):
            arg = value[len("language-"):]
        elif tag == "span" and name == b"class" and value.startswith("tg-"):
            arg = value[len("tg-"):]
        elif tag == "tg-emoji" and name == b"emoji-id":
            arg = value
        elif tag == "blockquote" and name == b"expandable":
            arg = "1"
        elif tag == "tg-time" and name == b"unix":
            date = int(value) if value.isdigit() else 0
        elif tag == "tg-time" and name == b"format":
            arg = value

    if tag == "span" and arg != "spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    stack.append({"tag": tag, "arg": arg, "date": date, "offset": utf16, "begin": out_len})
    return i


def _close_tag(data, i, begin, stack, utf16, out, entities, warnings) -> int:
    if not stack:
        raise HtmlError(f"Unexpected end tag at byte offset {begin}")
    while not _is_space(data[i]) and data[i] != ord(">"):
        i += 1
    end_tag = data[begin + 2:i].lower().decode("utf-8", "replace")
    while _is_space(data[i]) and data[i] != 0:
        i += 1
    if data[i] != ord(">"):
        raise HtmlError(f"Unclosed end tag at byte offset {begin}")
    top = stack[-1]
    tag = top["tag"]
    if end_tag and end_tag != tag:
        raise HtmlError(
            f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", found "</{end_tag}>"'
        )
    stack.pop()
    if utf16 <= top["offset"]:
        return i  # empty entity: dropped
    ent = {"offset": top["offset"], "length": utf16 - top["offset"]}
    last = entities[-1] if entities else None
    if tag in _SIMPLE:
        entities.append({"type": _SIMPLE[tag], **ent})
    elif tag == "tg-emoji":
        if not top["arg"].isdigit() or int(top["arg"]) == 0:
            raise HtmlError("Invalid custom emoji identifier specified")
        entities.append({"type": "custom_emoji", **ent, "custom_emoji_id": top["arg"]})
    elif tag == "tg-time":
        if top["date"] > 0:
            extra = {"date_time_format": top["arg"]} if top["arg"] else {}
            entities.append({"type": "date_time", **ent, "unix_time": top["date"], **extra})
    elif tag == "a":
        url = top["arg"] or out[top["begin"]:].decode("utf-8")
        user_id = link_user_id(url)
        if user_id is not None:
            entities.append({"type": "text_mention", **ent, "user": {"id": user_id}})
        elif (checked := checked_link(url)) is not None:
            entities.append({"type": "text_link", **ent, "url": checked})
        else:
            warnings.append(f"<a href={url!r}> is not a valid link: Telegram drops the link silently")
    elif tag == "pre":
        if last and last["type"] == "code" and last.get("language") and _same(last, ent):
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", **ent})
    elif tag == "code":
        if last and last["type"] == "pre" and _same(last, ent) and top["arg"]:
            last["language"] = top["arg"]
        else:
            entities.append({"type": "code", **ent, **({"language": top["arg"]} if top["arg"] else {})})
    elif tag == "blockquote":
        entities.append({"type": "expandable_blockquote" if top["arg"] else "blockquote", **ent})
    return i


def _same(a: dict, b: dict) -> bool:
    return a["offset"] == b["offset"] and a["length"] == b["length"]
