"""The evidence store: files kept encrypted under DATA_DIR/evidence, under random names.

A copy of the folder shows neither the pictures nor, through a content hash in the file
name, which known picture is there. Writes go through a ``.part`` file and an atomic
rename, so a crash leaves no half file under a real name (the purge removes old ``.part``).
"""
from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from bot.storage.crypto import Vault

SUFFIX = ".enc"


@dataclass(frozen=True)
class StoredFile:
    path: str          # relative to the store's root
    sha256: str        # of the (cleaned) content, keyed (see digest), for integrity
    size: int


class EvidenceStore:
    def __init__(self, root: Path, vault: Vault):
        self.root = root
        self.vault = vault

    def save(self, data: bytes) -> StoredFile:
        """Encrypt and write the bytes under a new random name."""
        name = secrets.token_hex(16)
        relative = Path(name[:2]) / f"{name}{SUFFIX}"
        self._write(self.root / relative, self.vault.encrypt_bytes(data))
        return StoredFile(path=relative.as_posix(), sha256=self.digest(data), size=len(data))

    def digest(self, data: bytes) -> str:
        """The content's digest, keyed (HMAC with the lookup key): it proves a file was
        not changed, yet a dump without the key cannot tell which known file this is
        (a recruiter's personalised contract, say)."""
        return self.vault.lookup_hash("evidence", hashlib.sha256(data).hexdigest())

    def read(self, relative: str) -> bytes:
        return self.vault.decrypt_bytes((self.root / relative).read_bytes())

    def delete(self, relative: str) -> None:
        (self.root / relative).unlink(missing_ok=True)

    def rotate(self, relative: str) -> str | None:
        """Re-encrypt one file with the current key (``tipbot keys rotate``); returns its
        digest under the current key (None when the file is gone)."""
        target = self.root / relative
        if not target.exists():
            return None
        data = self.vault.decrypt_bytes(target.read_bytes())
        self._write(target, self.vault.encrypt_bytes(data))
        return self.digest(data)

    def stale_parts(self, *, older_than_seconds: float) -> list[Path]:
        """``.part`` files a crash left behind."""
        if not self.root.exists():
            return []
        limit = time.time() - older_than_seconds
        return [p for p in self.root.rglob("*.part") if p.stat().st_mtime < limit]

    @staticmethod
    def _write(target: Path, blob: bytes) -> None:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
