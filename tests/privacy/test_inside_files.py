"""What is inside a file is cleaned before an officer gets it: the photo placed in a PDF,
annotation authors, attached files, XMP on pictures; Word's media, thumbnail, comment and
tracked-change authors, people and customXml; Excel's and PowerPoint's comment authors,
persons and media; HEIC photos. The cleaner is chosen from the content, whatever type the
sender's app claims. What cannot be cleaned is stored ``cleaned=false`` and the officer's
copy says so."""
from __future__ import annotations

import io
import zipfile

from PIL import Image

from bot.engine.form_types import Step
from bot.storage.scrub import scrub
from models import Evidence, Report
from tests.helpers import planted_files as planted
from tests.helpers.form import walk_form
from tests.helpers.harness import Person
from tests.helpers.privacy import found_at_rest
from tests.helpers.officers import all_rows, deliver, make_officer, send_and_claim

WARNING = "Belum dibersihkan"
OLE_CONTENT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 OLE-ISI-OBJEK"


def docx_with_an_ole_object() -> bytes:
    """A Word file with an embedded object of a kind nobody can clean (an OLE blob)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(planted.docx_with_everything())) as source, \
            zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/embeddings/oleObject1.bin", OLE_CONTENT)
    return out.getvalue()


# (what the resident sends, the type their app claims, how to look inside the copy)
SENT = [
    ("pdf", planted.pdf_with_everything, "application/x-pdf", "scan.pdf",
     planted.pdf_everything_inside),
    ("docx", planted.docx_with_everything, "application/octet-stream", "laporan",
     planted.office_everything_inside),
    ("xlsx", planted.xlsx_with_everything, planted.DOCX_TYPE.replace("wordprocessingml.document",
                                                                     "spreadsheetml.sheet"),
     "gaji.xlsx", planted.office_everything_inside),
    ("pptx", planted.pptx_with_everything, None, "presentasi.pptx",
     planted.office_everything_inside),
    ("heic", planted.heic_with_gps, "image/heic", "IMG_0001.HEIC", lambda data: data),
    ("ole", docx_with_an_ole_object, planted.DOCX_TYPE, "lampiran.docx",
     planted.office_everything_inside),
]


def planted_in(data: bytes) -> list[str]:
    return [text for text in planted.PLANTED if text.encode() in data]


async def test_every_planted_name_and_position_is_gone_from_the_officers_copy(
        tipbot, emu, data_dir, database_url):
    officer = await make_officer(tipbot, "Budi")
    person = Person(emu, first_name="Lastri")
    await walk_form(person, to=Step.EVIDENCE)
    for _, build, mime, name, inside in SENT:
        original = build()
        assert planted_in(inside(original)) and planted.has_gps(inside(original))
        await person.send("document", data=original, file_name=name, mime_type=mime)
        assert "bukti diterima" in person.last.text
    await walk_form(person, start=Step.EVIDENCE)
    await send_and_claim(tipbot, person, officer)
    before = len(officer.messages)
    await officer.press("📎 Bukti", officer.message_with_button("📎 Bukti"))
    await deliver(tipbot)

    report = (await all_rows(tipbot, Report))[0]
    files = [m for m in officer.messages[before:] if m.kind in ("document", "photo")]
    assert len(files) == len(SENT)
    extensions = [".pdf", ".docx", ".xlsx", ".pptx", ".jpg", ".docx"]
    for index, ((what, _, _, _, inside), sent) in enumerate(zip(SENT, files), start=1):
        received = emu.file_bytes(sent.file_id)
        assert planted_in(inside(received)) == [], what
        assert not planted.has_gps(inside(received)), what
        assert sent.media["document"]["file_name"] == \
            f"{report.case_number}-{index}{extensions[index - 1]}"
        assert (WARNING in sent.caption) == (what == "ole"), what
    # The picture placed in the PDF is there, re-encoded, with no EXIF left.
    pdf_picture = _picture_in_pdf(emu.file_bytes(files[0].file_id))
    assert pdf_picture.size == (64, 32) and dict(pdf_picture.getexif()) == {}
    with Image.open(io.BytesIO(emu.file_bytes(files[4].file_id))) as photo:
        assert photo.format == "JPEG" and dict(photo.getexif()) == {}
    # The unknown object is passed on as it came, and the officer was warned above.
    assert OLE_CONTENT in planted.office_everything_inside(emu.file_bytes(files[5].file_id))
    stored = await all_rows(tipbot, Evidence)
    assert [e.cleaned for e in sorted(stored, key=lambda e: e.id)] == \
        [True, True, True, True, True, False]
    assert found_at_rest(data_dir, database_url,
                         [text.encode() for text in planted.PLANTED]) == []
    assert emu.violations == []


def _picture_in_pdf(data: bytes) -> Image.Image:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        raw = pdf.pages[0].Resources.XObject.Im0.read_raw_bytes()
    return Image.open(io.BytesIO(raw))


def test_the_cleaner_follows_the_content_not_the_claimed_type():
    docx = planted.docx_with_everything()
    for claimed in ("application/octet-stream", "application/pdf", "image/jpeg", None):
        cleaned = scrub(docx, kind="document", mime_type=claimed, file_name="x.bin")
        assert cleaned.cleaned and cleaned.mime_type == planted.DOCX_TYPE
        assert planted_in(planted.office_everything_inside(cleaned.data)) == []
    pdf = scrub(planted.pdf_with_everything(), kind="document", mime_type="application/x-pdf",
                file_name=None)
    assert pdf.cleaned and pdf.mime_type == "application/pdf"
    photo = scrub(planted.jpeg_with_exif(), kind="document", mime_type="application/pdf",
                  file_name="surat.pdf")
    assert photo.cleaned and photo.mime_type == "image/jpeg" and not planted.has_gps(photo.data)
    # A file claiming to be a picture that is not one is not passed off as cleaned.
    fake = scrub(b"\x00\x01 not a picture " + planted.ARTIST.encode(), kind="document",
                 mime_type="image/jpeg", file_name="foto.jpg")
    assert not fake.cleaned and fake.mime_type is None


def test_office_parts_stay_consistent_after_cleaning():
    """Dropped parts leave no relationship or content type pointing at them, every XML part
    still parses, and a path on the sender's disk keeps only the file name."""
    import posixpath

    from lxml import etree

    cleaned = scrub(planted.docx_with_everything(), kind="document", mime_type=None,
                    file_name=None)
    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as archive:
        names = set(archive.namelist())
        assert not {"word/people.xml", "docProps/thumbnail.jpeg"} & names
        assert not any(name.startswith("customXml/") for name in names)
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        for rel in rels:
            if rel.get("TargetMode") == "External":
                assert rel.get("Target") == "Normal.dotm"
            else:
                assert posixpath.normpath(posixpath.join("word", rel.get("Target"))) in names
        types = etree.fromstring(archive.read("[Content_Types].xml"))
        assert all(o.get("PartName").lstrip("/") in names for o in types if o.get("PartName"))
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())


def test_pdf_keeps_its_pages_and_loses_attachments_authors_and_thumbnails():
    import pikepdf

    cleaned = scrub(planted.pdf_with_everything(), kind="document", mime_type=None,
                    file_name=None)
    with pikepdf.open(io.BytesIO(cleaned.data)) as pdf:
        page = pdf.pages[0]
        assert len(pdf.pages) == 1 and not pdf.attachments
        assert "/Info" not in pdf.trailer and "/Thumb" not in page.obj
        [note] = page.Annots            # the pop-up and the attached file are gone
        assert note.Subtype == "/Text" and "/T" not in note and "/Popup" not in note
        assert str(note.Contents) == "Catatan petugas lama"
        assert not any("/Metadata" in obj for obj in pdf.objects
                       if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)))
