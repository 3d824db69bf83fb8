"""Evidence loses what it says about its author and place, is encrypted at rest, and
reaches the officer under a neutral name."""
from __future__ import annotations

import io
import zipfile

from PIL import Image

from bot.engine.form_types import Step
from bot.storage.scrub import scrub
from models import Evidence, Report
from tests.helpers.form import walk_form
from tests.helpers.harness import Person
from tests.helpers.privacy import AUTHOR, found_at_rest, jpeg_with_exif
from tests.helpers.officers import all_rows, deliver, make_officer, send_and_claim


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
    await walk_form(person, start=Step.LOCATION, to=Step.EVIDENCE)
    prompt_seen.append(person.last.text)
    assert "posisi GPS" in prompt_seen[0]          # the resident is warned in plain words
    await person.send("document", data=original, file_name="IMG_20261127_Sulastri_081122334455.jpg",
                      mime_type="image/jpeg")
    await walk_form(person, start=Step.EVIDENCE)
    await send_and_claim(tipbot, person, officer)
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
