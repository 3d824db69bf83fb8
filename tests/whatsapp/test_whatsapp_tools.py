"""Everything a Telegram resident has, in the words a WhatsApp user types (no slash)."""
from __future__ import annotations

import re

from tests.helpers.officers import deliver, make_officer
from tests.helpers.whatsapp import fill_until_summary


async def test_status_the_code_and_the_emergency_numbers(tipbot, graph, resident):
    await make_officer(tipbot, "Budi")
    await fill_until_summary(resident)
    await resident.press("📨 Kirim laporan")
    await deliver(tipbot)
    receipt = next(text for text in resident.texts if "Kode tindak lanjut" in text)
    case_number, code = re.findall(r"```([A-Z0-9-]+)```", receipt)[:2]

    await resident.say("status")
    assert case_number in resident.last
    await resident.say(code.lower())             # the code alone, as typed on a phone
    assert case_number in resident.last and "Pembaruan terakhir" in resident.last
    await resident.say("status ZZZZZ-99999")
    assert "Tidak ada laporan" in resident.last
    await resident.say("darurat")
    assert "110" in resident.last
    assert graph.refused == []


async def test_prevention_tools_language_and_cancel(tipbot, graph, resident):
    await resident.say("cektawaran")
    assert "pertanyaan" in resident.last.lower() and len(resident.choices) >= 2
    await resident.say("info")
    assert "Topik" in resident.last or "topik" in " ".join(resident.texts[-2:])
    await resident.say("cekagensi")
    await resident.say("PT Tidak Terdaftar Sama Sekali")
    assert "PT Tidak Terdaftar" in " ".join(resident.texts[-2:])
    await resident.say("/bahasa")                 # a slash is forgiven
    await resident.press("English")
    assert "English" in resident.last or "language" in resident.last.lower()
    await resident.say("report")
    assert "Step 1" in " ".join(resident.texts[-2:])
    await resident.say("cancel")
    assert "cancel" in resident.last.lower() or "deleted" in resident.last.lower()
    assert graph.refused == []
