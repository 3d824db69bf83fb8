"""The evidence store: files kept encrypted in the database (``evidence_files``), under
random names, so any instance can send them and the purge deletes them everywhere.

A file is cleaned and encrypted off the event loop (:meth:`EvidenceStore.seal`), then
stored in the transaction that records it (:meth:`EvidenceStore.keep`): a report is never
recorded with a file that was not stored, and a crash leaves no half file. A copy of the
database shows neither the pictures nor, through a content hash in the name, which known
picture is there. Files an earlier version kept under ``DATA_DIR/evidence`` are moved in
at start (:func:`move_files_in`) and removed from disk once stored.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.upsert import session_insert
from bot.storage.crypto import Vault, WrongKeyError
from models import EvidenceFile

log = logging.getLogger(__name__)
SUFFIX = ".enc"          # of the files an earlier version kept on disk


@dataclass(frozen=True)
class StoredFile:
    path: str          # the file's name in the store (Evidence.path)
    sha256: str        # the content's keyed digest (see EvidenceStore.digest)
    size: int
    sealed: bytes = field(default=b"", repr=False)     # the encrypted bytes, to keep


class EvidenceUnreadable(Exception):
    """The file is not in the store (never moved in from another machine's disk) or was
    encrypted with a key ENCRYPTION_KEY does not list."""


class EvidenceStore:
    def __init__(self, vault: Vault):
        self.vault = vault

    def seal(self, data: bytes) -> StoredFile:
        """Encrypt the bytes under a new random name (no I/O: run it off the event loop)."""
        name = secrets.token_hex(16)
        return StoredFile(path=f"{name[:2]}/{name}{SUFFIX}", sha256=self.digest(data),
                          size=len(data), sealed=self.vault.encrypt_bytes(data))

    def digest(self, data: bytes) -> str:
        """The content's digest, keyed (HMAC with the lookup key): it proves a file was
        not changed, yet a dump without the key cannot tell which known file this is
        (a recruiter's personalised contract, say)."""
        return self.vault.lookup_hash("evidence", hashlib.sha256(data).hexdigest())

    @staticmethod
    async def keep(session: AsyncSession, stored: StoredFile, *, now: datetime) -> None:
        """Store a sealed file in the caller's transaction."""
        await session.exec(_insert(session).values(path=stored.path, data=stored.sealed,
                                                   created_at=now)
                           .on_conflict_do_nothing(index_elements=["path"]))

    async def read(self, session: AsyncSession, path: str) -> bytes:
        sealed = (await session.exec(select(EvidenceFile.data).where(
            EvidenceFile.path == path))).scalar_one_or_none()
        if sealed is None:
            raise EvidenceUnreadable("not in the store")
        try:
            return self.vault.decrypt_bytes(sealed)
        except WrongKeyError as exc:
            raise EvidenceUnreadable("another key") from exc

    @staticmethod
    async def delete(session: AsyncSession, paths) -> int:
        paths = list(paths)
        if not paths:
            return 0
        return (await session.exec(delete(EvidenceFile).where(
            EvidenceFile.path.in_(paths)))).rowcount

    async def rotate(self, session: AsyncSession, path: str) -> str | None:
        """Re-encrypt one file with the current key (``tipbot keys rotate``); returns its
        digest under the current key (None when the file is gone)."""
        sealed = (await session.exec(select(EvidenceFile.data).where(
            EvidenceFile.path == path))).scalar_one_or_none()
        if sealed is None:
            return None
        data = self.vault.decrypt_bytes(sealed)
        await session.exec(update(EvidenceFile).where(EvidenceFile.path == path)
                           .values(data=self.vault.encrypt_bytes(data)))
        return self.digest(data)


def _insert(session: AsyncSession):
    return session_insert(session)(EvidenceFile)


async def move_files_in(sessions, root: Path, *, now: datetime) -> int:
    """Move the files an earlier version kept under ``root`` (DATA_DIR/evidence) into the
    database, as they are (already encrypted), then remove them from disk: each file is
    committed before it is deleted, so a crash midway loses nothing and the next start
    goes on. Leftover ``.part`` files of a crashed write are removed. Returns how many."""
    if not root.is_dir():
        return 0
    moved = 0
    for file in sorted(root.rglob(f"*{SUFFIX}")):
        path = file.relative_to(root).as_posix()
        async with sessions() as session:
            await EvidenceStore.keep(session, StoredFile(path, "", 0, file.read_bytes()),
                                     now=now)
            await session.commit()
        file.unlink()
        moved += 1
    for part in root.rglob("*.part"):
        part.unlink(missing_ok=True)
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
    with contextlib.suppress(OSError):
        root.rmdir()
    if moved:
        log.info("moved %d evidence file(s) from DATA_DIR into the database", moved)
    return moved

