"""A file a resident sends: cleaned of its metadata, encrypted, recorded as evidence."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from weakref import WeakKeyDictionary

from bot.engine.form import Problem, Upload
from bot.storage.evidence import EvidenceStore, StoredFile
from bot.storage.scrub import FileRefused, clean_off_loop, extension_for
from models import Evidence

# Files downloaded and not yet stored, at most (each up to MAX_EVIDENCE_BYTES): the others
# wait before downloading, so a burst of uploads holds no memory while it waits its turn
# for the one cleaning thread.
FILES_IN_HAND = 4
_gates: WeakKeyDictionary = WeakKeyDictionary()


@dataclass(frozen=True)
class KeptFile:
    stored: StoredFile
    mime_type: str | None
    cleaned: bool

    def evidence(self, *, kind: str, now: datetime, report_id: int | None = None,
                 draft_id: int | None = None, is_description: bool = False,
                 caption: str | None = None) -> Evidence:
        # The original file name is not kept: it often holds a date, a name or a number.
        return Evidence(report_id=report_id, draft_id=draft_id, kind=kind,
                        mime_type=self.mime_type, file_name=None, size=self.stored.size,
                        sha256=self.stored.sha256, path=self.stored.path,
                        is_description=is_description, cleaned=self.cleaned, caption=caption,
                        created_at=now)


async def receive_file(store: EvidenceStore, upload: Upload,
                       download: Callable[[], Awaitable[bytes]], *,
                       max_bytes: int) -> KeptFile | Problem:
    """Download, check, clean and store one file; or why it was not kept (too big, too
    large to open safely: the resident is told and goes on)."""
    async with _files_in_hand():
        data = await download()
        if len(data) > max_bytes:
            return Problem.FILE_TOO_BIG
        try:
            return await keep_upload(store, upload, data)
        except FileRefused:
            return Problem.FILE_REFUSED


def _files_in_hand() -> asyncio.Semaphore:
    """One gate per event loop (an asyncio semaphore belongs to the loop it waits in)."""
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(FILES_IN_HAND)
    return gate


async def keep_upload(store: EvidenceStore, upload: Upload, data: bytes) -> KeptFile:
    """Strip what the file says about its author and place, then encrypt it; it is stored
    with its evidence row (add_evidence, add_report_evidence). Raises FileRefused
    (bot.storage.scrub) for a file too large to open safely."""
    clean = await clean_off_loop(data, kind=upload.kind, mime_type=upload.mime_type,
                                 file_name=upload.file_name)
    stored = await asyncio.to_thread(store.seal, clean.data)
    return KeptFile(stored, clean.mime_type, clean.cleaned)


def neutral_name(case_number: str, index: int, evidence: Evidence) -> str:
    """``LPG-2611-K7Q4M-1.jpg``: what officers see instead of the sender's file name."""
    return f"{case_number}-{index}{extension_for(evidence.mime_type, evidence.kind)}"
