"""A file the reporter sends to an open case: its caption (the reporter's own words) waits
in the outbox only encrypted, and is erased once sent, like a relayed message (not in the
row's parameters: an intent names what to say, never a person's words)."""
from __future__ import annotations

import json

from models import Outbox
from tests.helpers.officers import all_rows, claimed_case, deliver

CAPTION = "Kontrak dari Pak Wiryoatmojo, difoto di rumah kakak saya"


async def test_a_relayed_files_caption_is_kept_encrypted_and_erased_once_sent(tipbot, emu):
    officer, reporter, report = await claimed_case(tipbot, emu)
    emu.fail_next("sendMessage", status=429, retry_after=30)     # so the notice waits
    await reporter.send("document", data=b"%PDF-1.4 kontrak", file_name="kontrak.pdf",
                        mime_type="application/pdf", caption=CAPTION)
    [waiting] = [r for r in await all_rows(tipbot, Outbox)
                 if r.purpose == "relay_in" and r.status == "pending"]
    assert "Wiryoatmojo" not in json.dumps(waiting.params) and waiting.secret_enc
    assert "Wiryoatmojo" in tipbot.services.vault.decrypt(waiting.secret_enc)

    tipbot.clock.advance(seconds=31)
    await deliver(tipbot)
    told = officer.last
    assert "Keterangan dari pelapor: " + CAPTION in told.text
    assert any(label == "📎 Bukti" for label, _ in told.buttons)
    [sent] = [r for r in await all_rows(tipbot, Outbox) if r.id == waiting.id]
    assert sent.status == "sent" and sent.secret_enc is None
    assert not any("Wiryoatmojo" in json.dumps(r.params) for r in await all_rows(tipbot, Outbox))

    # A file without a caption says nothing personal: its notice is the intent alone.
    emu.fail_next("sendMessage", status=429, retry_after=30)
    await reporter.send("document", data=b"%PDF-1.4 kuitansi", file_name="kuitansi.pdf",
                        mime_type="application/pdf")
    [plain] = [r for r in await all_rows(tipbot, Outbox)
               if r.purpose == "relay_in" and r.status == "pending"]
    assert plain.params == {"new_file": "document"} and plain.secret_enc is None
    assert emu.violations == []
