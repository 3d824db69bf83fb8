"""The evidence store: files kept under DATA_DIR/evidence, named by their SHA-256."""
from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoredFile:
    path: str          # relative to the store's root
    sha256: str
    size: int


class EvidenceStore:
    def __init__(self, root: Path):
        self.root = root

    def save(self, data: bytes, *, mime_type: str | None, file_name: str | None) -> StoredFile:
        """Write the bytes once (content-addressed, so a resend costs nothing)."""
        digest = hashlib.sha256(data).hexdigest()
        suffix = _suffix(mime_type, file_name)
        relative = Path(digest[:2]) / f"{digest}{suffix}"
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".part")
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
            os.chmod(target, 0o600)
        return StoredFile(path=relative.as_posix(), sha256=digest, size=len(data))

    def delete(self, relative: str) -> None:
        (self.root / relative).unlink(missing_ok=True)

    def read(self, relative: str) -> bytes:
        return (self.root / relative).read_bytes()


def _suffix(mime_type: str | None, file_name: str | None) -> str:
    if file_name and "." in file_name:
        ext = "." + file_name.rsplit(".", 1)[1].lower()
        if ext.isascii() and ext[1:].isalnum() and len(ext) <= 8:
            return ext
    guessed = mimetypes.guess_extension(mime_type or "") if mime_type else None
    return guessed or ".bin"
