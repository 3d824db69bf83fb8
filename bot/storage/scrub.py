"""Removing what a file says about who made it and where, before it is stored.

Telegram strips EXIF only from compressed photos; a document keeps its EXIF GPS, camera,
author and XMP, a PDF its authors, attachments and placed photos, an Office file its
creator, comment authors and pictures, audio its tags. The cleaner is chosen from the
content (bot/storage/sniff.py), never from the type the sender's app reports. Pictures
(HEIC included) are re-encoded from pixels only (bot/storage/scrub_image.py), PDFs and
Office files are cleaned inside (scrub_pdf.py, scrub_office.py), audio loses its tags.
Anything else (video, archives, unknown types, a damaged file) is kept as sent, encrypted,
and marked not cleaned so the officer is warned.

A file that would take too much memory to open raises FileRefused (bot/storage/
file_limits.py), and at most CLEANING_AT_ONCE files are cleaned at a time in the whole
process, so no resident can make the bot allocate gigabytes.
"""
from __future__ import annotations

import asyncio
import io
import logging
import mimetypes
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from bot.storage import sniff as sniffing
from bot.storage.file_limits import FileRefused

__all__ = ["FileRefused", "Scrubbed", "clean_off_loop", "extension_for", "guess_type", "scrub"]
log = logging.getLogger(__name__)

# One cleaning at a time: a 50-megapixel picture takes about 400 MB while it is re-encoded.
CLEANING_AT_ONCE = 1
IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
               "image/gif": ".png", "image/bmp": ".png", "image/tiff": ".jpg",
               "image/heic": ".jpg", "image/heif": ".jpg", "image/avif": ".jpg"}
OOXML_TYPES = {sniffing.DOCX: ".docx", sniffing.XLSX: ".xlsx", sniffing.PPTX: ".pptx"}
AUDIO_KINDS = {"voice", "audio"}
_at_once = threading.BoundedSemaphore(CLEANING_AT_ONCE)
_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


@dataclass(frozen=True)
class Scrubbed:
    data: bytes
    mime_type: str | None
    extension: str           # for the neutral name the officer gets, e.g. ".jpg"
    cleaned: bool            # False: kept as sent (or partly cleaned), the officer is warned


async def clean_off_loop(data: bytes, *, kind: str, mime_type: str | None,
                         file_name: str | None) -> Scrubbed:
    """:func:`scrub` on the cleaning thread, whose queue makes the other files wait."""
    call = partial(scrub, data, kind=kind, mime_type=mime_type, file_name=file_name)
    return await asyncio.get_running_loop().run_in_executor(_cleaning_pool(), call)


async def cleaned_document(data: bytes, *, mime_type: str | None,
                           file_name: str | None) -> Scrubbed | None:
    """A document cleaned of its metadata to send on; None when it cannot be (damaged, or
    too big to open): such a file is never sent as it is."""
    try:
        cleaned = await clean_off_loop(data, kind="document", mime_type=mime_type,
                                       file_name=file_name)
    except FileRefused:
        return None
    return cleaned if cleaned.cleaned else None


def scrub(data: bytes, *, kind: str, mime_type: str | None, file_name: str | None) -> Scrubbed:
    """The file without its metadata, or as sent (``cleaned=False``) when that is
    impossible; FileRefused when opening it would take too much memory."""
    with _at_once:
        return _scrub(data, kind=kind, claimed=(mime_type or guess_type(file_name) or "").lower())


def _scrub(data: bytes, *, kind: str, claimed: str) -> Scrubbed:
    found = sniffing.sniff(data)
    try:
        if found in IMAGE_TYPES:
            return _image(data)
        if found == sniffing.PDF:
            from bot.storage.scrub_pdf import clean_pdf

            document = clean_pdf(data)
            return Scrubbed(document.data, found, ".pdf", document.complete)
        if found in OOXML_TYPES:
            from bot.storage.scrub_office import clean_office

            office = clean_office(data)
            return Scrubbed(office.data, found, OOXML_TYPES[found], office.complete)
        if (found or "").startswith("audio/") or (
                found is None and (kind in AUDIO_KINDS or claimed.startswith("audio/"))):
            return _audio(data, found or claimed)
    except Exception as exc:  # noqa: BLE001  (a damaged file is kept, not refused)
        if _is_refusal(exc):
            raise FileRefused(str(exc)) from None
        log.info("could not clean a %s file: %s", kind, type(exc).__name__)
    kept = found or (claimed if claimed and not _cleanable(claimed) else None)
    return Scrubbed(data, kept, _extension(kept or ""), False)


def _image(data: bytes) -> Scrubbed:
    from bot.storage.scrub_image import clean_picture

    picture = clean_picture(data)
    if picture.format == "PNG":
        return Scrubbed(picture.data, "image/png", ".png", True)
    return Scrubbed(picture.data, "image/jpeg", ".jpg", True)


def _audio(data: bytes, mime: str) -> Scrubbed:
    import mutagen

    buffer = io.BytesIO(data)
    tagged = mutagen.File(buffer)
    if tagged is None:
        raise ValueError("unknown audio format")
    buffer.seek(0)
    tagged.delete(buffer)
    return Scrubbed(buffer.getvalue(), mime or None, _extension(mime) or ".ogg", True)


def _is_refusal(exc: BaseException) -> bool:
    """Ours, Pillow's decompression-bomb check, or qpdf stopping at its memory limits."""
    if isinstance(exc, FileRefused):
        return True
    from PIL import Image

    if isinstance(exc, Image.DecompressionBombError):
        return True
    return type(exc).__module__.startswith("pikepdf") and "limit" in str(exc).lower()


def _cleanable(mime: str) -> bool:
    """A type the sender claimed that we would have cleaned: the content said otherwise."""
    return mime in IMAGE_TYPES or mime == sniffing.PDF or mime in OOXML_TYPES


def _cleaning_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=CLEANING_AT_ONCE,
                                       thread_name_prefix="tipbot-clean")
        return _pool


def guess_type(file_name: str | None) -> str | None:
    return mimetypes.guess_type(file_name)[0] if file_name else None


# What apps report when they do not say (Office files from some Android file managers).
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def named_type(mime_type: str | None, file_name: str | None) -> str | None:
    """The type an app reports for a file or, where it reports none or a generic one, the
    type the file's name suggests. A hint only: cleaning sniffs the bytes."""
    mime = (mime_type or "").lower()
    return guess_type(file_name) if mime in GENERIC_TYPES else mime


def extension_for(mime_type: str | None, kind: str) -> str:
    """The extension a stored file is named with when it is sent on."""
    mime = (mime_type or "").lower()
    if kind == "photo" and not mime:
        return ".jpg"
    return IMAGE_TYPES.get(mime) or OOXML_TYPES.get(mime) or _extension(mime)


def _extension(mime: str) -> str:
    known = {"audio/ogg": ".ogg", "audio/mpeg": ".mp3", "video/mp4": ".mp4",
             "application/pdf": ".pdf", "text/plain": ".txt", "application/zip": ".zip"}
    if mime in known:
        return known[mime]
    guessed = mimetypes.guess_extension(mime) if mime else None
    return guessed if guessed and len(guessed) <= 6 else ".bin"
