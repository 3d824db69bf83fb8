"""Files built here, never downloaded, each carrying a name, an account or a position in
every place its format keeps one; and files that explode once opened.

``PLANTED`` lists the strings planted; none may reach an officer's copy.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

ARTIST = "Sulastri Wahyuningsih"
MODEL = "Redmi Note 12"
ANNOTATION_AUTHOR = "Hendra Pencatat"
ATTACHED = "LAMPIRAN-RAHASIA-ISI"
ATTACHED_NAME = "kontrak_Sulastri.txt"
XMP_PICTURE = "Fotografer-XMP-Rudi"
XMP_DOCUMENT = "Penulis-XMP-Dokumen"
THUMBNAIL = "GAMBAR-KECIL-THUMB"
TRACKED_AUTHOR = "Penyunting-Bayu"
TRACKED_INITIALS = "Inisial-Bayu-PBX"
COMMENT_AUTHOR = "Komentator-Sari"
COMMENT_INITIALS = "Inisial-Sari-KSX"
PERSON = "Orang-People-Xml"
ACCOUNT = "sari.akun@calo.example"
CUSTOM_XML = "Data-CustomXml-Calo"
COMPANY = "PT-Calo-Jaya-Makmur"
EXCEL_AUTHOR = "Penulis-Catatan-Joko"
EXCEL_PERSON = "Orang-Excel-Dodi"
SLIDE_AUTHOR = "Penulis-Salindia-Dewi"
SLIDE_MODERN_AUTHOR = "Penulis-Modern-Wati"
PLANTED = [ARTIST, MODEL, ANNOTATION_AUTHOR, ATTACHED, ATTACHED_NAME, XMP_PICTURE,
           XMP_DOCUMENT, THUMBNAIL, TRACKED_AUTHOR, TRACKED_INITIALS, COMMENT_AUTHOR,
           COMMENT_INITIALS, PERSON, ACCOUNT, CUSTOM_XML, COMPANY, EXCEL_AUTHOR, EXCEL_PERSON,
           SLIDE_AUTHOR, SLIDE_MODERN_AUTHOR]
# The GPS position planted (5°27' S, 105°15' E: Bandar Lampung) as EXIF stores it.
GPS_LATITUDE = struct.pack(">6I", 5, 1, 27, 1, 0, 1)
GPS_LATITUDE_LE = struct.pack("<6I", 5, 1, 27, 1, 0, 1)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def exif_bytes(*, orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = ARTIST                       # Artist
    exif[0x0110] = MODEL                        # Model
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "S", 2: (5.0, 27.0, 0.0), 3: "E", 4: (105.0, 15.0, 0.0)})
    return exif.tobytes()


def jpeg_with_exif(size=(64, 32), colour=(200, 30, 30)) -> bytes:
    """A phone photo: GPS, artist, camera and a comment."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", exif=exif_bytes(),
                                        comment=f"taken by {ARTIST}".encode())
    return out.getvalue()


def png_with_exif() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", ARTIST)
    out = io.BytesIO()
    Image.new("RGBA", (40, 20), (0, 90, 200, 128)).save(out, format="PNG", exif=exif_bytes(),
                                                        pnginfo=info)
    return out.getvalue()


def heic_with_gps() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 160, 60)).save(out, format="HEIF", exif=exif_bytes())
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    """The planted position, in either byte order, anywhere in the file."""
    return GPS_LATITUDE in data or GPS_LATITUDE_LE in data


# --- PDF ---------------------------------------------------------------------------

def pdf_with_everything() -> bytes:
    """A placed phone photo (EXIF GPS/Artist/Model, XMP on the picture), an annotation
    with its author and pop-up, an attached file (document-level and as an annotation), a
    page thumbnail, document info and document XMP. Streams left uncompressed, so the
    planted strings are visibly there before cleaning."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, Stream

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    photo = pdf.make_indirect(Stream(
        pdf, jpeg_with_exif(), Type=Name.XObject, Subtype=Name.Image, Width=64, Height=32,
        ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode))
    photo.Metadata = pdf.make_indirect(Stream(pdf, _xmp(XMP_PICTURE), Type=Name.Metadata,
                                              Subtype=Name.XML))
    page.Resources = Dictionary(XObject=Dictionary(Im0=photo))
    page.Contents = pdf.make_indirect(Stream(pdf, b"q 128 0 0 64 20 100 cm /Im0 Do Q"))
    page.obj.Thumb = pdf.make_indirect(Stream(pdf, THUMBNAIL.encode()))
    popup = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Popup,
                                         Rect=[30, 30, 90, 90], T=ANNOTATION_AUTHOR))
    note = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Text, Rect=[10, 10, 30, 30],
        Contents=pikepdf.String("Catatan petugas lama"), T=ANNOTATION_AUTHOR, Popup=popup))
    popup.Parent = note
    attached = pikepdf.AttachedFileSpec(pdf, f"{ATTACHED} (annotation)".encode(),
                                        filename=ATTACHED_NAME)
    clip = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment,
                                        Rect=[40, 10, 60, 30], FS=attached.obj,
                                        T=ANNOTATION_AUTHOR))
    page.obj.Annots = Array([note, popup, clip])
    pdf.attachments[ATTACHED_NAME] = pikepdf.AttachedFileSpec(pdf, ATTACHED.encode(),
                                                              filename=ATTACHED_NAME)
    pdf.docinfo["/Author"] = ARTIST
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [XMP_DOCUMENT]
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    return out.getvalue()


def _xmp(creator: str) -> bytes:
    return (f'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{creator}</dc:creator>'
            f'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()


def pdf_everything_inside(data: bytes) -> bytes:
    """The file's bytes and every stream decoded, every string and name, for a search."""
    import pikepdf

    found = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            found.append(repr(obj).encode("utf-8", "replace"))
            if isinstance(obj, pikepdf.Stream):
                try:
                    found.append(obj.read_bytes())
                except pikepdf.PdfError:
                    found.append(obj.read_raw_bytes())
        found.append(repr(pdf.trailer).encode())
    return b"\n".join(found)


# --- Office ------------------------------------------------------------------------

def _zip(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _core(creator: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:creator>{creator}</dc:creator><cp:lastModifiedBy>{creator}'
            '</cp:lastModifiedBy></cp:coreProperties>')


APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://'
       'schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
       f'<Company>{COMPANY}</Company></Properties>')


def docx_with_everything() -> bytes:
    """A Word file with a photo (EXIF) in word/media, a thumbnail, a comment and a tracked
    change with their authors and initials, word/people.xml, customXml and properties."""
    thumbnail = jpeg_with_exif((32, 32), (10, 10, 10))[:-2] + THUMBNAIL.encode() + b"\xff\xd9"
    return _zip({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="jpeg" ContentType="image/jpeg"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/comments.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
            '<Override PartName="/word/people.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.people+xml"/>'
            '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.customXmlProperties+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
            'openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId4" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
            '</Relationships>'),
        "docProps/core.xml": _core(ARTIST),
        "docProps/app.xml": APP,
        "docProps/thumbnail.jpeg": thumbnail,
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W} '
            f'xmlns:r="{REL}"><w:body><w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Isi '
            f'laporan</w:t></w:r><w:ins w:id="1" w:author="{TRACKED_AUTHOR}" '
            f"w:initials='{TRACKED_INITIALS}' w:date=\"2026-11-01T10:00:00Z\"><w:r><w:t>tambahan"
            f'</w:t></w:r></w:ins><w:del w:id="2" w:author = "{TRACKED_AUTHOR}"><w:r><w:delText>'
            'lama</w:delText></w:r></w:del><w:commentRangeEnd w:id="0"/><w:r><w:drawing>'
            '<a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'r:embed="rId3"/></w:drawing></w:r></w:p></w:body></w:document>'),
        "word/_rels/document.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/comments" Target="comments.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2011/relationships/'
            'people" Target="people.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/image" Target="media/image1.jpeg"/>'
            f'<Relationship Id="rId4" Type="{REL}/customXml" Target="../customXml/item1.xml"/>'
            f'<Relationship Id="rId5" Type="{REL}/attachedTemplate" TargetMode="External" '
            'Target="file:///C:\\Users\\Sulastri%20Wahyuningsih\\Templates\\Normal.dotm"/>'
            '</Relationships>'),
        "word/comments.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W}>'
            f'<w:comment w:id="0" w:author="{COMMENT_AUTHOR}" w:initials="{COMMENT_INITIALS}" '
            'w:date="2026-11-01T10:00:00Z"><w:p><w:r><w:t>cek ini</w:t></w:r></w:p></w:comment>'
            '</w:comments>'),
        "word/people.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w15:people xmlns:w15="http://'
            f'schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="{PERSON}">'
            f'<w15:presenceInfo w15:providerId="AD" w15:userId="{ACCOUNT}"/></w15:person>'
            '</w15:people>'),
        "word/media/image1.jpeg": jpeg_with_exif(),
        "customXml/item1.xml": f"<data><owner>{CUSTOM_XML}</owner></data>",
        "customXml/itemProps1.xml": '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats'
                                    '.org/officeDocument/2006/customXml" ds:itemID="{1}"/>',
        "customXml/_rels/item1.xml.rels": (
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/'
            'customXmlProps" Target="itemProps1.xml"/></Relationships>'),
    })


def xlsx_with_everything() -> bytes:
    """An Excel file written by openpyxl (a note by an author, a photo with EXIF), with the
    person list and threaded comment a recent Excel adds."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image as SheetImage

    book = Workbook()
    book.properties.creator = ARTIST
    sheet = book.active
    sheet["A1"] = "Gaji"
    sheet["A1"].comment = Comment(f"{EXCEL_AUTHOR}:\nangka ini palsu", EXCEL_AUTHOR)
    sheet.add_image(SheetImage(io.BytesIO(jpeg_with_exif())), "C3")
    raw = io.BytesIO()
    book.save(raw)
    extra = {
        "xl/persons/person.xml": (
            '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
            f'threadedcomments"><person displayName="{EXCEL_PERSON}" id="{{A1}}" '
            f'userId="{ACCOUNT}" providerId="AD"/></personList>'),
        "xl/threadedComments/threadedComment1.xml": (
            '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
            'threadedcomments"><threadedComment ref="A1" personId="{A1}" id="{B2}">'
            '<text>cek gaji</text></threadedComment></ThreadedComments>'),
    }
    return _add_parts(raw.getvalue(), extra)


def pptx_with_everything() -> bytes:
    """A PowerPoint file: legacy and modern comment authors, a picture, properties."""
    p = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    return _zip({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
            'xml"/><Default Extension="png" ContentType="image/png"/></Types>'),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/'
            'officeDocument" Target="ppt/presentation.xml"/></Relationships>'),
        "docProps/core.xml": _core(ARTIST),
        "docProps/app.xml": APP,
        "ppt/presentation.xml": f"<p:presentation {p}/>",
        "ppt/commentAuthors.xml": (
            f'<p:cmAuthorLst {p}><p:cmAuthor id="0" name="{SLIDE_AUTHOR}" initials="PSD" '
            'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'),
        "ppt/authors.xml": (
            '<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/'
            f'main"><p188:author id="{{C3}}" name="{SLIDE_MODERN_AUTHOR}" initials="PMW" '
            f'userId="{ACCOUNT}" providerId="AD"/></p188:authorLst>'),
        "ppt/media/image1.png": png_with_exif(),
    })


def _add_parts(data: bytes, parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def office_everything_inside(data: bytes) -> bytes:
    """The zip's bytes and every part inflated, for a search."""
    found = [data]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            found += [name.encode(), archive.read(name)]
    return b"\n".join(found)


# --- Bombs -------------------------------------------------------------------------

def tiff_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes of TIFF whose header declares a picture of width x height."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8), (277, 3, 1, 1), (278, 4, 1, height),
               (279, 4, 1, min(width * height, 2**32 - 1))]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, count, value) if kind == 4 else
        struct.pack("<HHIHH", tag, kind, count, value, 0) for tag, kind, count, value in entries)
    header = b"II*\x00" + struct.pack("<I", 8 + 64)
    return header + b"\x00" * 64 + ifd + struct.pack("<I", 0)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width x height (its data is a few zero rows)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + \
            struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + 3 * min(width, 4096)) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + \
        chunk(b"IEND", b"")


def docx_bomb(inflated_mb: int = 60) -> bytes:
    """A small Word file one of whose parts inflates about a thousand times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document {W}/>")
        archive.writestr("word/media/image1.bin", b"\x00" * (inflated_mb * 1024 * 1024))
    return out.getvalue()
