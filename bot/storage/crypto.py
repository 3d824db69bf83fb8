"""Encryption at rest for reporter identity, and keyed hashes to find rows without it.

``ENCRYPTION_KEY`` holds one Fernet key, or several comma-separated (the first is current,
the others only decrypt, for rotation). From each, HKDF derives two separate keys: one to
encrypt, one to compute lookup hashes; a leaked lookup key does not decrypt anything and
an encryption key does not let anyone confirm a guessed Telegram id.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


FINGERPRINT_OF = b"tipbot deployment key"


class EncryptionKeyError(ValueError):
    pass


def load_or_create_key(configured: str, data_dir: Path) -> str:
    """ENCRYPTION_KEY if set, else a key generated once into DATA_DIR (owner-only)."""
    if configured:
        keys = configured.strip()
    else:
        path = data_dir / "encryption.key"
        if path.exists():
            keys = path.read_text().strip()
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            keys = Fernet.generate_key().decode()
            with os.fdopen(fd, "w") as handle:
                handle.write(keys)
    split_keys(keys)   # refuse a malformed setting now, with one line
    return keys


def split_keys(setting: str) -> list[bytes]:
    keys = [part.strip().encode() for part in setting.split(",") if part.strip()]
    if not keys:
        raise EncryptionKeyError("ENCRYPTION_KEY is empty")
    for key in keys:
        try:
            Fernet(key)
        except ValueError as exc:
            raise EncryptionKeyError(
                "ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), "
                "comma-separated, the current one first") from exc
    return keys


def _derive(key: bytes, purpose: bytes) -> bytes:
    master = base64.urlsafe_b64decode(key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"tipbot",
                info=b"tipbot " + purpose).derive(master)


class Vault:
    """Fernet encryption and HMAC lookups, with separate keys derived from ENCRYPTION_KEY."""

    def __init__(self, setting: str | bytes):
        keys = split_keys(setting.decode() if isinstance(setting, bytes) else setting)
        derived = [Fernet(base64.urlsafe_b64encode(_derive(k, b"encryption"))) for k in keys]
        # The scheme before HKDF used the configured key itself: still readable, so
        # ``tipbot keys rotate`` can move such data to the derived keys.
        legacy = [Fernet(k) for k in keys]
        self._current = derived[0]
        self._fernet = MultiFernet(derived + legacy)
        self._fingerprint_keys = [_derive(k, b"fingerprint") for k in keys]
        self._lookup_keys = [_derive(k, b"lookup") for k in keys] + [
            hashlib.sha256(b"tipbot-lookup:" + k).digest() for k in keys]

    def fingerprints(self) -> list[str]:
        """Each configured key's fingerprint, the current key's first: an HMAC of a constant
        under a key derived for nothing else, so the database can tell two keys apart
        without holding anything that decrypts or confirms a guess."""
        return [hmac.new(key, FINGERPRINT_OF, hashlib.sha256).hexdigest()
                for key in self._fingerprint_keys]

    def encrypt(self, value: str) -> str:
        return self._current.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self.decrypt_bytes(token.encode()).decode()

    def encrypt_bytes(self, data: bytes) -> bytes:
        return self._current.encrypt(data)

    def decrypt_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise WrongKeyError("cannot decrypt: encrypted with a key not in ENCRYPTION_KEY") from exc

    def rotate(self, token: str) -> str:
        """The same value encrypted with the current key."""
        return self.encrypt(self.decrypt(token))

    def rotate_bytes(self, token: bytes) -> bytes:
        return self.encrypt_bytes(self.decrypt_bytes(token))

    def can_decrypt(self, token: str) -> bool:
        try:
            self.decrypt(token)
        except WrongKeyError:
            return False
        return True

    def lookup_hash(self, *parts: object) -> str:
        """The hash new rows are stored under (the current key)."""
        return self._hmac(self._lookup_keys[0], parts)

    def lookup_hashes(self, *parts: object) -> list[str]:
        """Every hash this value may be stored under, current first (older keys until rotated)."""
        return [self._hmac(key, parts) for key in self._lookup_keys]

    @staticmethod
    def _hmac(key: bytes, parts: tuple) -> str:
        message = "\x1f".join(str(part) for part in parts).encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


class WrongKeyError(ValueError):
    """Data encrypted with a key that ENCRYPTION_KEY does not list."""
