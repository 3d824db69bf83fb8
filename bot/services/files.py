"""A file a resident sends: cleaned of its metadata, encrypted, recorded as evidence."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.evidence import EvidenceStore, StoredFile
from bot.engine.form import Upload
from bot.storage.scrub import extension_for, scrub
from models import Evidence


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


def keep_upload(store: EvidenceStore, upload: Upload, data: bytes) -> KeptFile:
    """Strip what the file says about its author and place, then store it encrypted."""
    clean = scrub(data, kind=upload.kind, mime_type=upload.mime_type, file_name=upload.file_name)
    return KeptFile(store.save(clean.data), clean.mime_type, clean.cleaned)


def neutral_name(case_number: str, index: int, evidence: Evidence) -> str:
    """``LPG-2611-K7Q4M-1.jpg``: what officers see instead of the sender's file name."""
    return f"{case_number}-{index}{extension_for(evidence.mime_type, evidence.kind)}"
