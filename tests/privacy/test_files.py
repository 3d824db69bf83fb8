"""Evidence loses what it says about its author and place, is encrypted at rest, and
reaches the officer under a neutral name."""
from __future__ import annotations

import io
import zipfile

from PIL import Image

from bot.storage.scrub import scrub
from models import Evidence, Report
from tests.e2e.test_resident_flow import skip_to_evidence
from tests.harness import Person
from tests.officers.conftest import all_rows, deliver, make_officer
from tests.privacy.conftest import found_at_rest

AUTHOR = "Sulastri Wahyuningsih"


def jpeg_with_exif() -> bytes:
    """A phone photo as a document: GPS, author, camera and a comment in its metadata."""
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = AUTHOR                       # Artist
    exif[0x0110] = "Redmi Note 12"              # Model
    exif[0x0112] = 6                            # Orientation: rotate 90° to show upright
    exif.get_ifd(0x8825).update({1: "S", 2: (5.0, 27.0, 0.0), 3: "E", 4: (105.0, 15.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"taken by " + AUTHOR.encode())
    return out.getvalue()


async def test_jpeg_document_reaches_the_officer_clean_and_under_a_neutral_name(
        tipbot, emu, data_dir, database_url):
    officer = await make_officer(tipbot, "Budi")
    person = Person(emu, first_name="Lastri")
    original = jpeg_with_exif()
    assert AUTHOR.encode() in original
    await person.say("/lapor")
    await person.press("Perekrut tanpa izin (calo)")
    await person.press("Tidak")
    await person.press("Bandar Lampung")
    prompt_seen = []
    await skip_to_evidence(person)
    prompt_seen.append(person.last.text)
    assert "posisi GPS" in prompt_seen[0]          # the resident is warned in plain words
    await person.send("document", data=original, file_name="IMG_20261127_Sulastri_081122334455.jpg",
                      mime_type="image/jpeg")
    await person.press("✅ Selesai")
    await person.press("Tetap anonim")
    await person.press("📨 Kirim laporan")
    await deliver(tipbot)
    await officer.press("🙋 Ambil kasus")
    await deliver(tipbot)
    details = officer.message_with_button("📎 Bukti")
    await officer.press("📎 Bukti", details)
    await deliver(tipbot)

    report = (await all_rows(tipbot, Report))[0]
    sent = officer.last
    assert sent.kind == "document"
    assert sent.media["document"]["file_name"] == f"{report.case_number}-1.jpg"
    received = emu.file_bytes(sent.file_id)
    assert AUTHOR.encode() not in received and b"Redmi" not in received
    with Image.open(io.BytesIO(received)) as image:
        assert dict(image.getexif()) == {} and "comment" not in image.info
        assert image.size == (32, 64)            # the orientation was applied, then dropped
    assert sent.caption == report.case_number    # cleaned: no warning
    [evidence] = await all_rows(tipbot, Evidence)
    assert evidence.cleaned and evidence.file_name is None
    assert found_at_rest(data_dir, database_url, [b"Sulastri", b"081122334455", b"Redmi"]) == []
    assert emu.violations == []


def test_pdf_office_and_audio_metadata_is_removed():
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = AUTHOR
    with pdf.open_metadata() as meta:
        meta["dc:creator"] = [AUTHOR]
    raw = io.BytesIO()
    pdf.save(raw)
    assert AUTHOR.encode() in raw.getvalue()
    cleaned = scrub(raw.getvalue(), kind="document", mime_type="application/pdf", file_name=None)
    assert cleaned.cleaned and AUTHOR.encode() not in cleaned.data
    assert len(pikepdf.open(io.BytesIO(cleaned.data)).pages) == 1

    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("docProps/core.xml", f"<cp:coreProperties><dc:creator>{AUTHOR}</dc:creator>"
                                        "</cp:coreProperties>")
        z.writestr("word/document.xml", "<w:document>Isi laporan</w:document>")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    cleaned = scrub(docx.getvalue(), kind="document", mime_type=mime, file_name="x.docx")
    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as z:
        assert AUTHOR not in z.read("docProps/core.xml").decode()
        assert z.read("word/document.xml") == b"<w:document>Isi laporan</w:document>"

    video = scrub(b"\x00\x00\x00\x18ftypmp42" + AUTHOR.encode(), kind="video",
                  mime_type="video/mp4", file_name=None)
    assert not video.cleaned and video.extension == ".mp4"
