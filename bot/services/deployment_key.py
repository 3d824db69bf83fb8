"""One key per deployment: the database remembers the fingerprint of the key it was
started with, and an instance with another key refuses to serve.

Two instances with different keys (two auto-generated ones, a standby configured by
hand) used to both serve: each could not read what the other stored, and a resident's
buttons all answered "no longer valid". The first start records the fingerprint
(bot.storage.crypto.Vault.fingerprints: an HMAC of a constant, never the key); every
start and every standby takeover compares it. While rotating, any configured key's
fingerprint matches (ENCRYPTION_KEY=new,old before ``tipbot keys rotate``); the rotation
records the new key's, after which an instance without the new key refuses.
"""
from __future__ import annotations

from datetime import datetime

from sqlmodel import select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.storage.upsert import session_insert
from models import DeploymentFact

FINGERPRINT = "key_fingerprint"
OTHER_KEY = ("ENCRYPTION_KEY is not the key this database was started with (another "
             "instance or an earlier run used a different one): configure the same "
             "ENCRYPTION_KEY on every instance")


class OtherKey(Exception):
    """This instance's ENCRYPTION_KEY is not the deployment's (one line, exit 2)."""

    def __init__(self):
        super().__init__(OTHER_KEY)


async def check_fingerprint(session: AsyncSession, *, vault: Vault, now: datetime) -> None:
    """Record the key's fingerprint if none is (the first start), else compare; raises
    OtherKey on a mismatch. The caller commits."""
    # Two first starts at once: one INSERT wins, the other compares with it.
    await session.exec(session_insert(session)(DeploymentFact).values(
        name=FINGERPRINT, value=vault.fingerprints()[0], recorded_at=now)
        .on_conflict_do_nothing(index_elements=["name"]))
    recorded = (await session.exec(select(DeploymentFact.value).where(
        DeploymentFact.name == FINGERPRINT))).one()
    if recorded not in vault.fingerprints():
        raise OtherKey()


async def record_current_key(session: AsyncSession, *, vault: Vault, now: datetime) -> None:
    """After ``tipbot keys rotate``: the deployment's key is now the first configured."""
    await check_fingerprint(session, vault=vault, now=now)
    await session.exec(update(DeploymentFact).where(DeploymentFact.name == FINGERPRINT)
                       .values(value=vault.fingerprints()[0], recorded_at=now))
