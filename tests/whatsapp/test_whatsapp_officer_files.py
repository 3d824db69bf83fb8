"""What an officer sends a reporter on WhatsApp besides words: a photo, a voice note, a
document and a pin reach them labelled with the case number only, the document cleaned of
its metadata under a neutral name, as on Telegram."""
from __future__ import annotations

from models import Report
from tests.helpers import planted_files as planted
from tests.helpers.officers import all_rows, deliver, texts
from tests.helpers.whatsapp import WA_ID, claimed

MESSAGE = "✉️ Kirim pesan ke pelapor"


async def _sent_by(officer, tipbot, graph, kind: str, **media) -> list[dict]:
    """What the reporter's chat got after the officer sent one file (or pin)."""
    before = len(graph.messages_to(WA_ID))
    await officer.press(MESSAGE)
    await officer.send(kind, **media)
    await deliver(tipbot)
    await graph.settle()
    return graph.messages_to(WA_ID)[before:]


def _planted_in(data: bytes) -> list[str]:
    return [text for text in planted.PLANTED if text.encode() in data]


async def test_an_officers_photo_voice_document_and_pin_reach_a_whatsapp_reporter(
        tipbot, graph, resident, emu):
    officer = await claimed(tipbot, resident)
    [report] = await all_rows(tipbot, Report)
    label = f"kasus {report.case_number}"

    [photo] = await _sent_by(officer, tipbot, graph, "photo",
                             data=b"\xff\xd8\xff\xe0office-photo", caption="Apakah ini rumahnya?")
    assert photo["type"] == "image"
    image = photo["payload"]["image"]
    assert graph.media[image["id"]][0] == b"\xff\xd8\xff\xe0office-photo"
    assert label in image["caption"] and "Apakah ini rumahnya?" in image["caption"]

    words, voice = await _sent_by(officer, tipbot, graph, "voice", data=b"OggS officer-voice")
    assert words["type"] == "text" and label in words["payload"]["text"]["body"]
    assert voice["type"] == "audio"
    assert graph.media[voice["payload"]["audio"]["id"]][0] == b"OggS officer-voice"

    original = planted.pdf_with_everything()
    assert _planted_in(planted.pdf_everything_inside(original))
    [document] = await _sent_by(officer, tipbot, graph, "document", data=original,
                                file_name="Surat_Budi_Santoso.pdf", mime_type="application/pdf",
                                caption="Surat panggilan")
    sent = document["payload"]["document"]
    assert sent["filename"] == f"{report.case_number}-satgas.pdf"
    cleaned = graph.media[sent["id"]][0]
    assert cleaned.startswith(b"%PDF") and _planted_in(planted.pdf_everything_inside(cleaned)) == []
    assert label in sent["caption"] and "Surat panggilan" in sent["caption"]

    words, pin = await _sent_by(officer, tipbot, graph, "location",
                                latitude=-5.4292, longitude=105.2610)
    assert label in words["payload"]["text"]["body"]
    assert pin["type"] == "location" and pin["payload"]["location"]["latitude"] == -5.4292

    everything = [str(m["payload"]) for m in graph.messages_to(WA_ID)]
    assert not any("Budi" in text for text in everything)     # the officer stays unnamed
    assert not any("tidak dapat" in text for text in texts(officer)[-4:])
    assert graph.refused == [] and emu.violations == []


async def test_a_file_telegram_fails_to_give_is_sent_once_on_the_next_try(
        tipbot, graph, resident, emu):
    officer = await claimed(tipbot, resident)
    emu.fail_next("getFile", 502)
    assert await _sent_by(officer, tipbot, graph, "photo", data=b"\xff\xd8\xff\xe0later") == []
    tipbot.clock.advance(seconds=5)
    await deliver(tipbot)
    await graph.settle()
    photos = [m for m in graph.messages_to(WA_ID) if m["type"] == "image"]
    assert [graph.media[m["payload"]["image"]["id"]][0] for m in photos] == [
        b"\xff\xd8\xff\xe0later"]
    assert graph.refused == [] and emu.violations == []
