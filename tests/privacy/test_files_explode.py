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
from tests.e2e.test_resident_flow import skip_to_evidence
from tests.harness import Person
from tests.officers.conftest import all_rows, deliver, make_officer
from tests.privacy import planted_files as planted

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
    await person.say("/lapor")
    await person.press("Perekrut tanpa izin (calo)")
    await person.press("Tidak")
    await person.press("Bandar Lampung")
    await skip_to_evidence(person)
    for what, build, mime in BOMBS:
        await person.send("document", data=build(), file_name=f"bukti.{what}", mime_type=mime)
        answer = "\n".join(person.texts_since(len(person.messages) - 2))
        assert REFUSED_ID in answer and "50" in answer, what
    await person.send("document", data=planted.jpeg_with_exif(), file_name="foto.jpg")
    assert "1 bukti diterima" in person.last.text
    await person.press("✅ Selesai")
    await person.press("Tetap anonim")
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
