"""Office files (DOCX, XLSX, PPTX) are zips of XML parts: rewritten part by part into a
new zip. Document properties are emptied, thumbnails, ``word/people.xml`` and
``customXml/`` dropped, comment and tracked-change authors blanked (bot/storage/
office_parts.py), pictures re-encoded through the picture cleaner, embedded Office files,
pictures and PDFs cleaned in turn. An embedded object of another kind (an OLE blob) is
kept, and the file is then marked not fully cleaned.

The archive's directory is checked before anything is inflated (bot/storage/
file_limits.py); parts are copied in chunks, so memory stays bounded whatever they hold.
"""
from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass

from bot.storage import office_parts
from bot.storage.file_limits import MAX_REWRITTEN_PART_BYTES, Budget, check_zip
from bot.storage.scrub_image import SAME_FORMAT, clean_picture
from bot.storage.sniff import OOXML_MAIN_PARTS, sniff

MAX_NESTING = 2
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)      # no edit time of the sender's survives
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
BLANK_PARTS = {"docProps/core.xml": _EMPTY_CORE, "docProps/app.xml": _EMPTY_APP,
               "docProps/custom.xml": _EMPTY_CUSTOM}


@dataclass(frozen=True)
class CleanOffice:
    data: bytes
    complete: bool       # False: something inside could not be cleaned and is kept as is


def clean_office(data: bytes, budget: Budget | None = None, depth: int = 0) -> CleanOffice:
    budget = budget or Budget()
    complete = True
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        check_zip(source, budget)
        members = _unique_files(source)
        dropped = {m.filename for m in members if office_parts.is_dropped(m.filename)}
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for member in members:
                name = member.filename
                if name in dropped:
                    continue
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                content, whole = _cleaned_part(source, member, dropped, budget, depth)
                complete = complete and whole
                if content is None:
                    with source.open(member) as part, target.open(info, "w") as copy:
                        shutil.copyfileobj(part, copy, 1 << 20)
                else:
                    target.writestr(info, content)
    return CleanOffice(out.getvalue(), complete)


def _unique_files(source: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Each name once (a zip may list one twice, and readers disagree on which wins:
    the one kept is the one cleaned), folders left out."""
    seen, members = set(), []
    for member in reversed(source.infolist()):
        if member.filename not in seen and not member.is_dir():
            seen.add(member.filename)
            members.append(member)
    return list(reversed(members))


def _cleaned_part(source: zipfile.ZipFile, member: zipfile.ZipInfo, dropped: set[str],
                  budget: Budget, depth: int) -> tuple[bytes | None, bool]:
    """The part's new content (None: copy it as it is) and whether it is clean."""
    name = member.filename
    if name in BLANK_PARTS:
        return BLANK_PARTS[name], True
    if name.endswith(".rels"):
        return office_parts.relationships_without(name, source.read(member), dropped), True
    if name == "[Content_Types].xml":
        return office_parts.content_types_without(source.read(member), dropped), True
    if "/media/" in name or "/embeddings/" in name:
        return _cleaned_inside(source.read(member), budget, depth)
    if office_parts.is_personal_part(name):
        if member.file_size > MAX_REWRITTEN_PART_BYTES:
            return None, False
        return office_parts.without_people(name, source.read(member)), True
    return None, True


def _cleaned_inside(data: bytes, budget: Budget, depth: int) -> tuple[bytes | None, bool]:
    """A picture or an embedded file, cleaned by the cleaner for what it is."""
    kind = sniff(data)
    if kind and kind.startswith("image/"):
        picture = clean_picture(data, keep_format=True, budget=budget)
        # A picture Pillow reads but does not write back in its format (HEIC...) stays.
        return (picture.data, True) if _same_format(kind, picture.format) else (None, False)
    if any(kind == mime for _, mime in OOXML_MAIN_PARTS) and depth < MAX_NESTING:
        inner = clean_office(data, budget, depth + 1)
        return inner.data, inner.complete
    if kind == "application/pdf":
        from bot.storage.scrub_pdf import clean_pdf

        document = clean_pdf(data, budget)
        return document.data, document.complete
    if _is_vector(data):       # drawings: no camera or place in them
        return None, True
    if data.lstrip()[:5] in (b"<?xml", b"<svg ") or data.lstrip()[:4] == b"<svg":
        return office_parts.svg_without_metadata(data), True
    return None, False


def _same_format(kind: str, written: str) -> bool:
    return SAME_FORMAT.get(kind.split("/")[1].upper()) == written


def _is_vector(data: bytes) -> bool:
    """EMF (" EMF" at byte 40) or WMF (placeable, or a bare header)."""
    return (data[:4] == b"\x01\x00\x00\x00" and data[40:44] == b" EMF") or \
        data[:4] == b"\xd7\xcd\xc6\x9a" or data[:4] in (b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")
