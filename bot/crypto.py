"""Encryption at rest for reporter identity, and keyed hashes to find rows without it."""
from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class EncryptionKeyError(ValueError):
    pass


def load_or_create_key(configured: str, data_dir: Path) -> bytes:
    """ENCRYPTION_KEY if set, else a key generated once into DATA_DIR (owner-only)."""
    if configured:
        key = configured.strip().encode()
    else:
        path = data_dir / "encryption.key"
        if path.exists():
            key = path.read_bytes().strip()
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            key = Fernet.generate_key()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key)
    try:
        Fernet(key)
    except ValueError as exc:
        raise EncryptionKeyError("ENCRYPTION_KEY must be a Fernet key (32 url-safe base64 bytes)") from exc
    return key


class Vault:
    """Fernet encryption plus an HMAC keyed from the same secret."""

    def __init__(self, key: bytes):
        self._fernet = Fernet(key)
        self._hmac_key = hashlib.sha256(b"tipbot-lookup:" + key).digest()

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("cannot decrypt: wrong ENCRYPTION_KEY?") from exc

    def lookup_hash(self, *parts: object) -> str:
        message = "\x1f".join(str(part) for part in parts).encode()
        return hmac.new(self._hmac_key, message, hashlib.sha256).hexdigest()
