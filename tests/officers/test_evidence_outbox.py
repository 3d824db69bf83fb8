"""📎 Evidence goes through the outbox like everything else: a flood limit delays the files,
in order, and none is lost or sent twice."""
from __future__ import annotations

import json

from models import Outbox
from tests.helpers.form import ALL_DETAILS, FAKE_PHOTO, walk_form
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, deliver, make_officer, send_and_claim


async def test_evidence_waits_out_a_flood_limit_and_arrives_once_in_order(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti")
    await walk_form(reporter, **ALL_DETAILS, files=(FAKE_PHOTO,))
    await send_and_claim(tipbot, reporter, officer)
    await reporter.send("document", data=b"%PDF-1.4 kontrak", file_name="kontrak Siti.pdf",
                        mime_type="application/pdf", caption="Kontrak kerja")
    await deliver(tipbot)
    before = len(officer.messages)

    emu.fail_next("sendPhoto", 429, retry_after=9, chat_id=officer.chat_id)
    await officer.press("📎 Bukti", officer.message_with_button("📎 Bukti"))
    await deliver(tipbot)
    assert [m.kind for m in officer.messages[before:]] == []       # the press answers only
    rows = sorted((r for r in await all_rows(tipbot, Outbox) if r.purpose == "evidence"),
                  key=lambda r: r.id)
    # The first waits out the 429 (not a failed attempt); the second waits behind it.
    assert [(r.status, r.attempts, r.last_error) for r in rows] == [
        ("pending", 0, "429 retry after"), ("pending", 0, None)]
    assert all("Kontrak" not in json.dumps(r.params) and r.secret_enc is None for r in rows)

    tipbot.clock.advance(seconds=10)
    await deliver(tipbot)
    files = officer.messages[before:]
    assert [m.kind for m in files] == ["photo", "document"]
    assert emu.file_bytes(files[0].file_id) == b"\xff\xd8\xff\xe0fake-jpeg-bytes"
    name = files[1].media["document"]["file_name"]
    assert name.endswith("-2.pdf") and "Siti" not in name and "kontrak" not in name
    assert "Kontrak kerja" in files[1].caption
    rows = [r for r in await all_rows(tipbot, Outbox) if r.purpose == "evidence"]
    assert [r.status for r in rows] == ["sent", "sent"]
    assert all(r.secret_enc is None for r in rows)               # erased once sent
    assert emu.violations == []
