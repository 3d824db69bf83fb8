"""The Indonesian a resident reads: numbers as 3.000, short country names, the scam
routes among the destinations, and the summary saying whose name and number is whose."""
from __future__ import annotations

from bot.engine.form_types import Step
from tests.helpers.form import STORY, walk_form


async def test_the_form_reads_naturally(tipbot, resident):
    await walk_form(resident, to=Step.LOCATION)
    location = resident.last
    assert location.text.count("Telegram mengirim posisi ponsel Anda saat ini") == 1
    story = await resident.press("Lewati")
    assert "3.000 huruf" in story.text and "3000" not in story.text
    too_short = await resident.say("Ada calo.")
    assert "paling sedikit 20 huruf" in too_short.text or any(
        "paling sedikit 20 huruf" in m.text for m in resident.messages[-2:])
    await resident.say(STORY)
    name = await resident.press("➕ Tambah rincian")
    # The hint introducing the questions about the reported party comes first.
    assert name.text.index("Beberapa pertanyaan berikut") < name.text.index("Siapa nama")
    await resident.say("Pak Joko")
    await resident.say("0812-3456-7890")
    await resident.press("Lewati")
    await resident.press("Lewati")
    await resident.press("3")
    destinations = [label for label, _ in resident.last.buttons]
    for country in ("Kamboja", "Myanmar", "Thailand", "Laos", "Vietnam", "Hong Kong"):
        assert country in destinations, country
    assert not any("DAK" in label for label in destinations)
    await resident.press("Kamboja")
    await resident.press("Belum tahu")
    await resident.press("✅ Selesai")
    identity = [label for label, _ in resident.last.buttons]
    assert "Tetap anonim" in identity and "Bersedia dihubungi petugas" in identity
    await resident.press("Bersedia dihubungi petugas")
    await resident.say("Siti")
    summary = await resident.say("0813 1234 5678")
    assert "Pihak terlapor" in summary.text
    assert "Nama terlapor: Pak Joko" in summary.text
    assert "Nomor telepon terlapor: 0812-3456-7890" in summary.text
    assert "Jumlah korban: 3" in summary.text and "Kamboja" in summary.text
    assert "Identitas Anda: bersedia dihubungi (Siti, 0813-1234-5678)" in summary.text
    assert "Ubah korban dan negara tujuan" in [label for label, _ in summary.buttons]
    assert tipbot.emu.violations == []
