"""How big a file may become once opened: checked before anything is decoded.

A few kilobytes can declare a picture of a billion pixels or a zip member of gigabytes;
``MAX_EVIDENCE_BYTES`` bounds only what is downloaded. Every cleaner asks here first, and a
file past these bounds is refused (the resident is told) rather than decoded.
"""
from __future__ import annotations

import zipfile

# A phone's camera makes at most about 50 megapixels (200 MB decoded as RGBA).
MAX_PIXELS = 50_000_000
# All the pictures inside one document, decoded one after another (time, not memory).
MAX_DOCUMENT_PIXELS = 12 * MAX_PIXELS      # about 70 pages scanned at 300 dpi
# What the members of an Office file add up to once inflated, and how many there are.
MAX_INFLATED_BYTES = 400 * 1024 * 1024
MAX_MEMBERS = 5_000
# A member inflating more than this is a bomb (Apache POI refuses past 100x too); small
# members compress very well legitimately, so the ratio counts from GRACE_BYTES on.
MAX_INFLATE_RATIO = 100
GRACE_BYTES = 1024 * 1024
# An XML part that is rewritten in memory (comments, the Word body...).
MAX_REWRITTEN_PART_BYTES = 64 * 1024 * 1024
# What qpdf may allocate to decode one stream of a PDF.
MAX_PDF_STREAM_BYTES = 256 * 1024 * 1024


class FileRefused(Exception):
    """The file would take too much memory to open; it is not kept."""


def check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise FileRefused("picture too large")


class Budget:
    """What one file may still cost: the pixels of its pictures together (decoded one
    after another, so this bounds time, not memory) and its archives' inflated bytes,
    nested ones included."""

    def __init__(self, pixels: int = MAX_DOCUMENT_PIXELS, inflated: int = MAX_INFLATED_BYTES):
        self.pixels_left = pixels
        self.inflated_left = inflated

    def spend_pixels(self, width: int, height: int) -> None:
        check_pixels(width, height)
        self.pixels_left -= width * height
        if self.pixels_left < 0:
            raise FileRefused("too many pictures")

    def spend_inflated(self, size: int) -> None:
        self.inflated_left -= size
        if self.inflated_left < 0:
            raise FileRefused("archive too large once inflated")


def check_zip(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Refuse an archive from its directory alone: zipfile never inflates a member past the
    size the directory declares (the CRC check fails), so these numbers bind."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise FileRefused("too many members")
    for member in members:
        if member.file_size > GRACE_BYTES and \
                member.file_size > MAX_INFLATE_RATIO * max(member.compress_size, 1):
            raise FileRefused("member inflates too much")
    budget.spend_inflated(sum(member.file_size for member in members))
