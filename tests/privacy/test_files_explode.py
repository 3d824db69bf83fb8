"""Files that explode once opened are refused before they are decoded: pictures declaring
more than a phone's size, archives whose parts inflate past a bound. The resident is told
in plain words and the report goes on; one file is cleaned at a time."""
from __future__ import annotations

import threading
import time

import pytest
from PIL import Image

from bot.engine.form import Problem, Step
from bot.render.form import problem_reply
from bot.storage import scrub as scrubbing
from bot.storage.file_limits import MAX_PIXELS, FileRefused
from models import Evidence
from tests.helpers import planted_files as planted
from tests.helpers.form import walk_form
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, deliver, make_officer

REFUSED_ID = "terlalu besar untuk kami periksa dengan aman"
BOMBS = [
    # a few hundred bytes declaring ten billion pixels: past Pillow's own limit too
    ("tiff", lambda: planted.tiff_declaring(100_000, 100_000), "image/tiff"),
    # 64 megapixels: under Pillow's refusal, over ours
    ("tiff64", lambda: planted.tiff_declaring(8_000, 8_000), "image/tiff"),
    ("png", lambda: planted.png_declaring(20_000, 20_000), "image/png"),
    ("docx", lambda: planted.docx_bomb(60), "application/octet-stream"),
]


@pytest.mark.parametrize("what,build,mime", BOMBS, ids=[b[0] for b in BOMBS])
def test_each_bomb_is_refused_before_it_is_decoded(what, build, mime):
    data = build()
    assert len(data) < 200_000
    with pytest.raises(FileRefused):
        scrubbing.scrub(data, kind="document", mime_type=mime, file_name=None)


def test_pillows_own_limit_is_ours():
    from bot.storage.scrub_image import pillow

    assert pillow().MAX_IMAGE_PIXELS == MAX_PIXELS
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS


async def test_bombs_are_refused_with_a_clear_word_and_the_report_goes_on(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    person = Person(emu, first_name="Lastri")
    await walk_form(person, to=Step.EVIDENCE)
    for what, build, mime in BOMBS:
        await person.send("document", data=build(), file_name=f"bukti.{what}", mime_type=mime)
        answer = "\n".join(person.texts_since(len(person.messages) - 2))
        assert REFUSED_ID in answer and "50" in answer, what
    await person.send("document", data=planted.jpeg_with_exif(), file_name="foto.jpg")
    assert "1 bukti diterima" in person.last.text
    await walk_form(person, start=Step.EVIDENCE)
    await person.press("📨 Kirim laporan")
    await deliver(tipbot)
    assert len(await all_rows(tipbot, Evidence)) == 1

    # Once the case is open, a bomb sent to the officer is refused the same way.
    await officer.press("🙋 Ambil kasus")
    await deliver(tipbot)
    await person.send("document", data=planted.docx_bomb(60), file_name="lagi.docx")
    assert REFUSED_ID in person.last.text
    assert len(await all_rows(tipbot, Evidence)) == 1
    assert emu.violations == []


def test_the_refusal_is_in_both_languages():
    from bot.engine.i18n import Translator

    for locale, words in (("id", REFUSED_ID), ("en", "too large to check safely")):
        text = problem_reply(Translator(locale), Problem.FILE_REFUSED, Step.EVIDENCE, 10, 20).text
        assert words in text and "50" in text


def test_one_file_is_cleaned_at_a_time(monkeypatch):
    """Ten residents' pictures at once are cleaned one after another, whatever thread or
    event loop asks, so memory holds one decoded picture, not ten."""
    busy, most = 0, 0
    lock = threading.Lock()
    real = scrubbing._image

    def counting(data):
        nonlocal busy, most
        with lock:
            busy += 1
            most = max(most, busy)
        time.sleep(0.01)                 # long enough for the others to pile up
        try:
            return real(data)
        finally:
            with lock:
                busy -= 1

    monkeypatch.setattr(scrubbing, "_image", counting)
    photo = planted.jpeg_with_exif()
    threads = [threading.Thread(target=scrubbing.scrub, args=(photo,),
                                kwargs=dict(kind="photo", mime_type=None, file_name=None))
               for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == scrubbing.CLEANING_AT_ONCE == 1


async def test_a_burst_of_uploads_waits_before_downloading(tmp_path):
    """Sixty-four residents sending at once hold at most FILES_IN_HAND files in memory:
    the others have not downloaded theirs yet."""
    import asyncio

    from cryptography.fernet import Fernet

    from bot.engine.form import Upload
    from bot.services.files import FILES_IN_HAND, KeptFile, receive_file
    from bot.storage.crypto import Vault
    from bot.storage.evidence import EvidenceStore

    store = EvidenceStore(Vault(Fernet.generate_key()))
    photo = planted.jpeg_with_exif()
    in_hand, most = 0, 0

    async def download() -> bytes:
        nonlocal in_hand, most
        in_hand += 1
        most = max(most, in_hand)
        await asyncio.sleep(0)
        return photo

    async def one() -> None:
        nonlocal in_hand
        kept = await receive_file(store, Upload("document"), download, max_bytes=10**6)
        in_hand -= 1
        assert isinstance(kept, KeptFile) and kept.cleaned

    await asyncio.gather(*(one() for _ in range(64)))
    assert most == FILES_IN_HAND == 4


def pdf_with_a_deflated_jpeg(jpeg: bytes) -> bytes:
    """A picture stored as [/FlateDecode /DCTDecode]: a JPEG file, deflated once more."""
    import io
    import zlib

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    picture = pdf.make_indirect(pikepdf.Stream(pdf, zlib.compress(jpeg, 9)))
    picture.Type, picture.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    picture.Width, picture.Height, picture.BitsPerComponent = 64, 32, 8
    picture.ColorSpace = pikepdf.Name.DeviceRGB
    picture.Filter = pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.DCTDecode])
    pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=picture))
    out = io.BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def test_a_deflated_picture_in_a_pdf_is_cleaned_and_a_deflate_bomb_refused(monkeypatch):
    from bot.storage import scrub_pdf

    cleaned = scrubbing.scrub(pdf_with_a_deflated_jpeg(planted.jpeg_with_exif()),
                              kind="document", mime_type=None, file_name=None)
    inside = planted.pdf_everything_inside(cleaned.data)
    assert cleaned.cleaned and planted.ARTIST.encode() not in inside
    assert not planted.has_gps(inside)
    # The Flate layer is inflated by us, never past the bound (1 MB here, to stay small).
    monkeypatch.setattr(scrub_pdf, "MAX_PDF_STREAM_BYTES", 1 << 20)
    with pytest.raises(FileRefused):
        scrubbing.scrub(pdf_with_a_deflated_jpeg(b"\xff\xd8\xff" + b"\x00" * (4 << 20)),
                        kind="document", mime_type=None, file_name=None)


def test_an_object_stream_past_qpdfs_limit_is_not_inflated():
    """qpdf's own Flate limit (MAX_PDF_STREAM_BYTES; 1 MB here) stops an object stream
    that inflates past it: the file is kept as sent and marked not cleaned, like a damaged
    one, and nothing past the limit was allocated."""
    import io

    import pikepdf
    from pikepdf.settings import set_qpdf_limits

    scrubbing.scrub(planted.pdf_with_everything(), kind="document", mime_type=None,
                    file_name=None)                           # qpdf's limits are set now
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Big = pdf.make_indirect(pikepdf.Dictionary(
        V=pikepdf.String(b"\x00" * (2 << 20)), T=pikepdf.String(planted.ARTIST)))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    previous = set_qpdf_limits(flate_max_memory=1 << 20)
    try:
        kept = scrubbing.scrub(out.getvalue(), kind="document", mime_type=None, file_name=None)
    finally:
        set_qpdf_limits(**previous)
    assert not kept.cleaned and kept.data == out.getvalue()
    # With qpdf's limit as the bot sets it, the same file is cleaned.
    assert scrubbing.scrub(out.getvalue(), kind="document", mime_type=None,
                           file_name=None).cleaned
