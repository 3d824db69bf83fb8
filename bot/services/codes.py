"""Case numbers and follow-up codes: making them, reading them as people type them, and
finding a case by its code. Nothing here routes or changes a case, so any service may use it."""
from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.engine.i18n import WIB
from bot.storage.crypto import Vault
from models import Report

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G: codes are read aloud and typed on small phones.
CODE_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CASE_PREFIX = "LPG"


def new_case_number(now: datetime) -> str:
    """``LPG-2611-K7Q4M``: province, year and month (WIB), five random characters."""
    month = now.astimezone(WIB).strftime("%y%m")
    tail = "".join(secrets.choice(CODE_ALPHABET) for _ in range(5))
    return f"{CASE_PREFIX}-{month}-{tail}"


def new_followup_code() -> str:
    """``XXXXX-XXXXX``: ten secret characters (about 45 bits), shown once."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def canonical_code(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def looks_like_followup_code(text: str) -> bool:
    code = canonical_code(text)
    return len(code) == 10 and all(ch in CODE_ALPHABET for ch in code)


async def find_by_followup(session: AsyncSession, *, vault: Vault, code: str) -> Report | None:
    # Under every configured key: a code issued before a key rotation still works.
    digests = vault.lookup_hashes("followup", canonical_code(code))
    return (await session.exec(select(Report).where(Report.followup_hash.in_(digests)))).first()
