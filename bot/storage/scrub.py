"""Removing what a file says about who made it and where, before it is stored.

Telegram strips EXIF only from compressed photos; a document keeps its EXIF GPS, camera,
author and XMP, a PDF its author and producer, an Office file its creator and company,
audio its tags. Images are decoded and re-encoded from pixels only (orientation applied);
PDF, Office and audio lose their metadata through maintained libraries. Anything else
(video, archives, unknown types) is kept as sent, encrypted, and marked not cleaned so
the officer is warned.
"""
from __future__ import annotations

import io
import logging
import mimetypes
import zipfile
from dataclasses import dataclass

log = logging.getLogger(__name__)

IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
               "image/gif": ".png", "image/bmp": ".png", "image/tiff": ".jpg",
               "image/heic": ".jpg", "image/heif": ".jpg"}
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}
AUDIO_KINDS = {"voice", "audio"}

_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
    b'XMLSchema-instance"/>')
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>')
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties"/>')


@dataclass(frozen=True)
class Scrubbed:
    data: bytes
    mime_type: str | None
    extension: str           # for the neutral name the officer gets, e.g. ".jpg"
    cleaned: bool            # False: kept as sent, the officer is warned


def scrub(data: bytes, *, kind: str, mime_type: str | None, file_name: str | None) -> Scrubbed:
    """The file without its metadata, or as sent (``cleaned=False``) when that is impossible."""
    mime = (mime_type or _guess(file_name) or "").lower()
    try:
        if kind == "photo" or mime in IMAGE_TYPES:
            return _image(data)
        if mime == "application/pdf":
            return _pdf(data)
        if mime in OOXML_TYPES:
            return Scrubbed(_ooxml(data), mime, OOXML_TYPES[mime], True)
        if kind in AUDIO_KINDS or mime.startswith("audio/"):
            return _audio(data, mime)
    except Exception as exc:  # noqa: BLE001  (a damaged file is kept, not refused)
        log.info("could not clean a %s file: %s", kind, type(exc).__name__)
    return Scrubbed(data, mime or None, _extension(mime), False)


def _image(data: bytes) -> Scrubbed:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as source:
        source.load()
        upright = ImageOps.exif_transpose(source)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = upright.convert(mode)
    # A new image from the pixels alone: no EXIF, XMP, ICC profile or comment follows.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG")
        return Scrubbed(out.getvalue(), "image/png", ".png", True)
    clean.save(out, format="JPEG", quality=90)
    return Scrubbed(out.getvalue(), "image/jpeg", ".jpg", True)


def _pdf(data: bytes) -> Scrubbed:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        for page in pdf.pages:
            if "/Metadata" in page.obj:
                del page.obj["/Metadata"]
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    return Scrubbed(out.getvalue(), "application/pdf", ".pdf", True)


def _ooxml(data: bytes) -> bytes:
    """Office files are zips: the author, company and edit times live in docProps/."""
    blanks = {"docProps/core.xml": _EMPTY_CORE, "docProps/app.xml": _EMPTY_APP,
              "docProps/custom.xml": _EMPTY_CUSTOM}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = blanks.get(item.filename) or source.read(item.filename)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                            content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _audio(data: bytes, mime: str) -> Scrubbed:
    import mutagen

    buffer = io.BytesIO(data)
    tagged = mutagen.File(buffer)
    if tagged is None:
        raise ValueError("unknown audio format")
    buffer.seek(0)
    tagged.delete(buffer)
    return Scrubbed(buffer.getvalue(), mime or None, _extension(mime) or ".ogg", True)


def guess_type(file_name: str | None) -> str | None:
    return mimetypes.guess_type(file_name)[0] if file_name else None


_guess = guess_type


def extension_for(mime_type: str | None, kind: str) -> str:
    """The extension a stored file is named with when it is sent on."""
    mime = (mime_type or "").lower()
    if kind == "photo" and not mime:
        return ".jpg"
    return IMAGE_TYPES.get(mime) or OOXML_TYPES.get(mime) or _extension(mime)


def _extension(mime: str) -> str:
    known = {"audio/ogg": ".ogg", "audio/mpeg": ".mp3", "video/mp4": ".mp4",
             "application/pdf": ".pdf", "text/plain": ".txt"}
    if mime in known:
        return known[mime]
    guessed = mimetypes.guess_extension(mime) if mime else None
    return guessed if guessed and len(guessed) <= 6 else ".bin"
