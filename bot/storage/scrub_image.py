"""Pictures re-encoded from their pixels alone: no EXIF (GPS, camera, author), XMP, ICC
profile or comment follows. The size is read from the header and checked first, so a
picture that would take gigabytes once decoded is refused before it is decoded."""
from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass

from bot.storage.file_limits import MAX_PIXELS, Budget

# Formats Pillow writes, by the format name Pillow reads: a picture inside a document keeps
# its format, since the document names it by its extension.
SAME_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "BMP": "BMP", "TIFF": "TIFF",
               "WEBP": "WEBP", "MPO": "JPEG"}
_setup = threading.Lock()
_ready = False


@dataclass(frozen=True)
class CleanPicture:
    data: bytes
    format: str          # "JPEG", "PNG"...
    mode: str            # "RGB", "RGBA"...


def pillow():
    """Pillow, with its own bomb limit set to ours and HEIF/HEIC readable."""
    global _ready
    from PIL import Image

    with _setup:
        if not _ready:
            # Pillow warns past MAX_IMAGE_PIXELS and refuses past twice it; we refuse past
            # MAX_PIXELS ourselves before decoding, and keep Pillow's check as a second line.
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            # Its warning between one and two times the limit would only precede our refusal.
            warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
            from pillow_heif import register_heif_opener

            register_heif_opener()
            _ready = True
    return Image


def clean_picture(data: bytes, *, keep_format: bool = False, flatten: bool = False,
                  budget: Budget | None = None) -> CleanPicture:
    """The picture from its pixels (orientation applied): JPEG, or PNG when it has
    transparency; ``keep_format`` keeps JPEG/PNG/GIF/... as they came, ``flatten`` always
    gives an RGB JPEG (for a PDF, where transparency is a separate mask)."""
    Image = pillow()
    from PIL import ImageOps

    with Image.open(io.BytesIO(data)) as source:
        # Opening read the header only: the size is known, nothing is decoded yet.
        (budget or Budget(pixels=MAX_PIXELS)).spend_pixels(*source.size)
        source_format = source.format or ""
        source.load()
        ImageOps.exif_transpose(source, in_place=True)
        has_alpha = not flatten and (source.mode in ("RGBA", "LA", "PA") or (
            source.mode == "P" and "transparency" in source.info))
        mode = "RGBA" if has_alpha else "RGB"
        # A copy holds the pixels only; its info (EXIF, XMP, ICC, comment) is emptied so
        # that no encoder finds anything to carry over.
        clean = source.convert(mode) if source.mode != mode else source.copy()
    clean.info = {}
    target = "JPEG" if flatten else (SAME_FORMAT.get(source_format) if keep_format else None)
    if target is None:
        target = "PNG" if has_alpha else "JPEG"
    if target == "JPEG" and clean.mode != "RGB":
        clean = clean.convert("RGB")
        clean.info = {}
    out = io.BytesIO()
    options = {"quality": 90} if target in ("JPEG", "WEBP") else {}
    clean.save(out, format=target, **options)
    return CleanPicture(out.getvalue(), target, clean.mode)


def picture_size(data: bytes) -> tuple[int, int]:
    """Width and height from the header, without decoding."""
    with pillow().open(io.BytesIO(data)) as source:
        return source.size
