"""What a file is, from its first bytes: the cleaner is chosen from the content, never
from the type or name the sender's app reports (both are whatever the sender says)."""
from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP = "application/zip"

# ISO base media brands (bytes 8-12 after "ftyp") of HEIF stills, Apple's HEIC included.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
               b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
AUDIO_BRANDS = {b"M4A ", b"M4B "}
# Where each Office application keeps its main part.
OOXML_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX),
                    ("ppt/presentation.xml", PPTX))


def sniff(data: bytes) -> str | None:
    """The MIME type the content shows, or None when it is none we recognise."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"BM") and len(data) > 26:
        return "image/bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[4:8] == b"ftyp":
        return _iso_media(head[8:12])
    if b"%PDF-" in data[:1024]:          # readers accept junk before the header
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    return None


def _iso_media(brand: bytes) -> str:
    if brand in HEIF_BRANDS:
        return "image/heic" if brand.startswith(b"he") else "image/heif"
    if brand in AVIF_BRANDS:
        return "image/avif"
    if brand in AUDIO_BRANDS:
        return "audio/mp4"
    return "video/quicktime" if brand == b"qt  " else "video/mp4"


def _zip_kind(data: bytes) -> str:
    """An Office file is a zip with ``[Content_Types].xml``; its main part says which."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return ZIP
    if "[Content_Types].xml" not in names:
        return ZIP
    for part, mime in OOXML_MAIN_PARTS:
        if part in names:
            return mime
    return ZIP
