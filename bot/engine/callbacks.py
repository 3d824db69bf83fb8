"""Callback data: a tiny typed codec, packed under Telegram's 64-byte limit.

Callback data comes from the client and is never trusted: it only says what was
pressed; every handler re-checks the draft, role or case ownership in the database.
"""
from __future__ import annotations

from enum import StrEnum

MAX_CALLBACK_BYTES = 64


class Action(StrEnum):
    FORM = "f"        # f:<draft id>:<step>:<value>
    MENU = "m"        # m:<item>
    LANGUAGE = "l"    # l:<locale>
    DRAFT = "d"       # d:<resume|restart|cancel|keep>
    CASE = "c"        # c:<verb>:<card token>[:<arg>]  (officers; never a sequential id)
    REVIEW = "a"      # a:<stats|chart|export>:<range>[:<format>]  (admins, supervisors)
    DESK = "o"        # o:<cases|queue> (an officer's menu), o:staff[:<verb>:<officer id>] (admins)
    PREVENTION = "pv"  # pv:<agency|offer|guide verb>[:...]  (see handlers/prevention.py)


def pack(action: Action, *parts: object) -> str:
    data = ":".join([action.value, *(str(part) for part in parts)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def unpack(data: str | None) -> tuple[Action, list[str]] | None:
    """The action and its parts, or None for anything this bot never sent."""
    if not data:
        return None
    head, *parts = data.split(":")
    try:
        return Action(head), parts
    except ValueError:
        return None
