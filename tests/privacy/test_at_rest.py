"""Nothing at rest names a contactable reporter: not the outbox after a claim, not an
abandoned draft, not the SQLite file, its WAL, or a pg_dump."""
from __future__ import annotations

import json

from sqlmodel import select

from models import Draft, Outbox, Report
from tests.helpers.form import walk_form
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, claim, make_officer
from tests.helpers.privacy import (
    CONTACT_NAME, CONTACT_PHONE_TYPED, file_contactable_report, found_at_rest
)


async def test_claimed_contactable_case_leaves_no_name_or_phone_at_rest(
        tipbot, emu, data_dir, database_url):
    officer = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Lastri")
    await file_contactable_report(reporter)
    await claim(tipbot, officer)

    # The officer did get the name and number, in a message rendered when it was sent...
    contact = officer.last
    assert CONTACT_NAME in contact.text and "+6281122334455" in contact.text
    # ...and the outbox keeps only what it sent, and to whom: no words that name anyone.
    rows = await all_rows(tipbot, Outbox)
    row = next(r for r in rows if r.purpose == "contact")
    assert row.status == "sent" and row.params is None and row.secret_enc is None
    kept = [json.dumps(r.params or {}, ensure_ascii=False) for r in rows]
    assert all(CONTACT_NAME not in k and "81122334455" not in k for k in kept)
    assert found_at_rest(data_dir, database_url) == []
    # The search does see what is stored in clear (the story), so it would see a name.
    assert found_at_rest(data_dir, database_url, [b"menjanjikan kerja"]) != []
    assert emu.violations == []


async def test_abandoned_draft_keeps_the_contact_only_encrypted(tipbot, emu, data_dir,
                                                                database_url):
    person = Person(emu, first_name="Lastri")
    summary = await walk_form(person, story="Ada calo di desa kami yang menjanjikan kerja di "
                              "Malaysia tanpa biaya.", contact=(CONTACT_NAME, CONTACT_PHONE_TYPED))
    # The resident still sees their own answers on the summary (decrypted in memory).
    assert CONTACT_NAME in summary.text
    draft = (await all_rows(tipbot, Draft))[0]
    assert "contact_name" not in draft.answers and draft.secret_enc
    assert found_at_rest(data_dir, database_url) == []

    # Sent after a restart-free pause: the report carries the contact, still encrypted.
    await person.press("📨 Kirim laporan")
    async with tipbot.session() as session:
        assert (await session.exec(select(Report))).one().contactable
    assert found_at_rest(data_dir, database_url) == []
    assert emu.violations == []
