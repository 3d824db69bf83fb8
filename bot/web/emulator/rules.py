"""Telegram's rules beyond the types of the spec: keyboards, commands, callback answers.

Each check raises ApiError with the description Telegram uses, and returns warnings for what
Telegram silently repairs (the emulator records those as violations, the request succeeds).
"""

from __future__ import annotations

import re

from .errors import ApiError, bad_request
from .html_parser import checked_link, link_user_id

MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
_INLINE_ACTIONS = (  # in the order the Bot API server looks for them
    "url", "callback_data", "callback_game", "pay", "switch_inline_query",
    "switch_inline_query_chosen_chat", "switch_inline_query_current_chat", "login_url", "web_app",
    "copy_text",
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
CHAT_ACTIONS = {
    "cancel", "typing", "record_video", "upload_video", "record_audio", "record_voice", "upload_audio",
    "upload_voice", "upload_photo", "upload_document", "choose_sticker", "find_location",
    "record_video_note", "upload_video_note",
}


def _present(button: dict, key: str) -> bool:
    if key in ("url", "callback_data"):
        return bool(button.get(key))  # the server treats "" as absent
    return key in button


def check_inline_keyboard(markup: dict, where: str = "reply_markup") -> tuple[dict | None, list[str]]:
    """Validate an InlineKeyboardMarkup; returns (markup as Telegram stores it, warnings)."""
    warnings: list[str] = []
    rows_out = []
    count = 0
    for r, row in enumerate(markup.get("inline_keyboard", [])):
        row_out = []
        for c, button in enumerate(row):
            path = f"{where}.inline_keyboard[{r}][{c}]"
            if not button.get("text") and "icon_custom_emoji_id" not in button:
                warnings.append(f"{path}: button text is empty: Telegram drops the button silently")
                continue
            actions = [k for k in _INLINE_ACTIONS if _present(button, k)]
            if not actions:
                raise ApiError(400, "Bad Request: can't parse inline keyboard button: "
                                    "Text buttons are unallowed in the inline keyboard", detail=path)
            if len(actions) > 1:
                warnings.append(f"{path}: several action fields {actions}: Telegram uses only {actions[0]!r}")
            stored = {"text": button["text"]}
            for key in ("icon_custom_emoji_id", "style"):
                if key in button:
                    stored[key] = button[key]
            action = actions[0]
            value = button[action]
            if action == "callback_data":
                size = len(value.encode("utf-8"))
                if size > MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID",
                                      detail=f"{path}.callback_data is {size} bytes, limit 64: {value!r}")
            elif action == "url" and link_user_id(value) is None:
                checked = checked_link(value)
                if checked is None:
                    raise bad_request("inline keyboard button Wrong HTTP URL", detail=f"{path}.url={value!r}")
                value = checked
            stored[action] = value
            row_out.append(stored)
            count += 1
        if row_out:
            rows_out.append(row_out)
    if count > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long", detail=f"{count} inline buttons, limit {MAX_INLINE_BUTTONS}")
    if not rows_out:
        return None, warnings
    return {"inline_keyboard": rows_out}, warnings


def check_reply_keyboard(markup: dict) -> list[str]:
    warnings = []
    for r, row in enumerate(markup.get("keyboard", [])):
        for c, button in enumerate(row):
            text = button.get("text") if isinstance(button, dict) else button
            if not text:
                warnings.append(f"reply_markup.keyboard[{r}][{c}]: button text is empty: Telegram drops it")
    return warnings


def check_commands(commands: list[dict]) -> None:
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH", detail=f"{len(commands)} commands, limit 100")
    for i, cmd in enumerate(commands):
        if not _COMMAND_RE.match(cmd["command"]):
            raise bad_request("BOT_COMMAND_INVALID",
                              detail=f"commands[{i}].command={cmd['command']!r}: 1-32 of a-z, 0-9, _")
        if not 1 <= len(cmd["description"]) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID",
                              detail=f"commands[{i}].description must be 1-256 characters")


def check_callback_answer_text(text: str | None) -> None:
    if text and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG", detail=f"answerCallbackQuery text is {len(text)} characters, limit 200")
