"""A WhatsApp resident's files are cleaned like a Telegram resident's, and their number
(wa_id) is never kept in clear: not in the data folder, not in the database."""
from __future__ import annotations

import base64
import io

from PIL import Image
from sqlmodel import select

from bot.engine.form_types import Step
from models import Evidence, Reporter
from tests.helpers.form import walk_form
from tests.helpers.officers import deliver, make_officer, texts
from tests.helpers.privacy import AUTHOR, found_at_rest, jpeg_with_exif
from tests.helpers.whatsapp import STORY, WA_ID


def number_needles(wa_id: str) -> list[bytes]:
    """The number as typed, with its "+", and as it sits base64-encoded at the start of
    every wamid Meta makes for it."""
    record = b"\x1c\x18\x0d" + wa_id.encode()
    return [wa_id.encode(), ("+" + wa_id).encode(), base64.b64encode(record[:15])]


async def test_photos_and_voice_notes_are_cleaned_and_the_number_is_not_kept(
        tipbot, graph, resident, data_dir, database_url):
    officer = await make_officer(tipbot, "Budi")
    await walk_form(resident, to=Step.EVIDENCE, command="lapor", story=STORY)
    assert "posisi GPS" in resident.texts[-1] or "posisi GPS" in " ".join(resident.texts[-2:])
    original = jpeg_with_exif()
    await resident.send("image", original, "image/jpeg", caption="kantor calo")
    assert "1 bukti" in resident.last or "1 berkas" in resident.last
    await resident.send("audio", b"OggS" + b"\x00" * 60, "audio/ogg; codecs=opus", voice=True)
    await walk_form(resident, start=Step.EVIDENCE)
    await resident.press("📨 Kirim laporan")
    await deliver(tipbot)
    await graph.settle()

    async with tipbot.session() as session:
        evidence = (await session.exec(select(Evidence).order_by(Evidence.id))).all()
        reporter = (await session.exec(select(Reporter))).one()
        photo = await tipbot.services.evidence.read(session, evidence[0].path)
    assert [e.kind for e in evidence] == ["photo", "voice"]
    assert AUTHOR.encode() not in photo and b"Redmi" not in photo
    with Image.open(io.BytesIO(photo)) as image:
        assert dict(image.getexif()) == {}
    assert evidence[0].caption == "kantor calo" and evidence[0].cleaned
    assert reporter.channel == "whatsapp" and WA_ID not in reporter.chat_ref_enc
    assert not any(WA_ID in text for text in texts(officer))
    assert found_at_rest(data_dir, database_url, number_needles(WA_ID) + [b"Redmi"]) == []
    assert graph.refused == []


async def test_a_file_too_large_to_open_is_refused_on_the_open_case(tipbot, graph, resident):
    """A document that inflates a thousand times, sent to the officer on the open case,
    gets the same plain refusal on WhatsApp as on Telegram; nothing is kept or passed on
    (the form's refusal is the channel-neutral answer_form's, tested on Telegram)."""
    from tests.helpers.planted_files import docx_bomb
    from tests.helpers.whatsapp import claimed

    officer = await claimed(tipbot, resident)
    await resident.send("document", docx_bomb(60), "application/octet-stream",
                        filename="kontrak.docx")
    assert "terlalu besar untuk kami periksa dengan aman" in resident.last
    async with tipbot.session() as session:
        assert (await session.exec(select(Evidence))).all() == []
    assert not any("kontrak" in text for text in texts(officer))
    assert graph.refused == []
