"""The reporter's location pin is kept encrypted and shown to the case's officer alone;
exports get its area (about 1 km); the purge deletes it. Evidence digests are keyed.
Cases stored by the version before are migrated (with the key). And after a whole report,
a purge and a byte search of the data folder (and a pg_dump), neither the pin nor any
planted string is left."""
from __future__ import annotations

import hashlib
import json
import struct
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic import command

from bot.services import retention
from bot.storage.crypto import Vault
from bot.storage.db import alembic_config, checkpoint, upgrade_database
from models import Evidence, Outbox, Report
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, claim, deliver, forged_press, make_officer, texts
from tests.helpers.privacy import AUTHOR, found_at_rest, jpeg_with_exif, pg_dump, photo_document
from tests.helpers.form import walk_form

LATITUDE, LONGITUDE = -5.397140, 105.266792
STORY = "Ada calo yang menampung calon pekerja di rumah kosong dekat pasar Kedaton."
CAPTION = "foto kontrak dari Pak Wiryoatmojo"
LATER_CAPTION = "ini rumah Bu Sumarsih di Gang Mawar"
RELAYED = "Pak Wiryoatmojo datang lagi semalam membawa paspor kami."
# Planted where they must not outlive the purge: captions, relayed words, a photo's EXIF.
PLANTED = [b"Wiryoatmojo", b"Sumarsih", b"Gang Mawar", AUTHOR.encode(), b"Redmi"]


def pin_needles() -> list[bytes]:
    """The pin as text (any precision a dump or a JSON would show) and as the 8-byte
    doubles SQLite and PostgreSQL store."""
    needles = [b"5.39714", b"105.26679", b"105.2668"]
    for value in (LATITUDE, LONGITUDE):
        needles += [struct.pack("<d", value), struct.pack(">d", value)]
    return needles


async def file_pinned_report(person: Person):
    await walk_form(person, pin=dict(latitude=LATITUDE, longitude=LONGITUDE), story=STORY,
                    files=(photo_document(CAPTION),))
    return await person.press("📨 Kirim laporan")


async def test_the_pin_is_sealed_and_only_the_cases_officer_sees_it(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    resident = Person(emu, first_name="Lastri")
    await file_pinned_report(resident)
    await deliver(tipbot)
    [report] = await all_rows(tipbot, Report)
    # On the case: the area in the columns, the pin itself only encrypted.
    assert (report.latitude, report.longitude) == (-5.40, 105.27)
    sealed = json.loads(tipbot.services.vault.decrypt(report.location_enc))
    assert sealed == {"latitude": LATITUDE, "longitude": LONGITUDE}
    card = budi.message_with_button("🙋 Ambil kasus")
    assert "Lokasi kejadian" in card.text and "5.39" not in card.text

    await budi.press("🙋 Ambil kasus")
    await deliver(tipbot)
    shown = "\n".join(m.html or m.text or "" for m in budi.messages)
    assert "-5.39714,105.26679" in shown                   # the assignee reads the pin
    # Queued, the details that showed it waited as an intent: no words, no pin.
    for row in await all_rows(tipbot, Outbox):
        assert "5.39714" not in json.dumps(row.params or {}) and row.secret_enc is None

    # A supervisor opening the details sees the case, not the pin.
    await boss.say("/antrian")
    await forged_press(emu, boss, f"c:view:{report.card_token}")
    assert not any("5.397" in t or "5.40" in t for t in texts(boss))
    assert emu.violations == []


async def test_rotation_reencrypts_the_pin_and_rekeys_the_digests(tipbot, emu, data_dir):
    from cryptography.fernet import Fernet

    from bot.services.keys import rotate
    from bot.storage.evidence import EvidenceStore

    await file_pinned_report(Person(emu, first_name="Lastri"))
    new = Fernet.generate_key().decode()
    both = Vault(f"{new},{tipbot.settings.encryption_key}")
    async with tipbot.session() as session:
        counts = await rotate(session, vault=both,
                              store=EvidenceStore(both))
        await session.commit()
    assert counts["location_pins"] == 1
    only_new = Vault(new)
    [report] = await all_rows(tipbot, Report)
    assert json.loads(only_new.decrypt(report.location_enc))["latitude"] == LATITUDE
    [evidence] = await all_rows(tipbot, Evidence)
    async with tipbot.session() as session:
        stored = await EvidenceStore(only_new).read(session, evidence.path)
    assert evidence.sha256 == only_new.lookup_hash("evidence", hashlib.sha256(stored).hexdigest())


async def test_after_a_purge_neither_the_pin_nor_a_planted_string_is_at_rest(
        tipbot, emu, data_dir, database_url, store_engine):
    budi = await make_officer(tipbot, "Budi")
    resident = Person(emu, first_name="Lastri")
    await file_pinned_report(resident)
    await claim(tipbot, budi)
    await resident.say(RELAYED)
    await resident.send("photo", data=jpeg_with_exif(), caption=LATER_CAPTION)
    await deliver(tipbot)
    told = "\n".join(texts(budi))
    assert "Wiryoatmojo" in told and "Gang Mawar" in told    # the officer did get them
    await budi.press("✅ Selesai ditangani", budi.message_with_button("✅ Selesai ditangani"))
    await budi.say("Perekrut sudah diperingatkan.")
    await deliver(tipbot)

    # Before the purge the search does find what the case still holds (the story, the
    # caption kept with the file), so it would find a pin or a string left behind.
    assert found_at_rest(data_dir, database_url, [b"Kedaton"]) != []
    assert found_at_rest(data_dir, database_url, [b"Wiryoatmojo"]) != []
    tipbot.clock.advance(days=366)
    async with tipbot.session() as session:
        counts = await retention.purge(session, settings=tipbot.settings,
                                       store=tipbot.services.evidence, now=tipbot.clock())
        await session.commit()
    await checkpoint(store_engine)
    assert counts["closed_cases"] == 1
    [report] = await all_rows(tipbot, Report)
    assert report.location_enc is None and report.purged_at is not None
    assert (report.latitude, report.longitude) == (-5.40, 105.27)     # the area stays
    assert await all_rows(tipbot, Evidence) == []

    assert found_at_rest(data_dir, database_url, PLANTED + pin_needles()) == []
    if database_url.startswith("postgresql"):
        dump = pg_dump(database_url)
        if dump is not None:
            assert b"Kedaton" in dump           # the case's facts stay, by design
    assert emu.violations == []


# Cases stored before this version (schema 0001) ----------------------------------------

REPORTS = sa.table("reports", sa.column("id", sa.Integer), sa.column("case_number", sa.String),
                   sa.column("followup_hash", sa.String), sa.column("locale", sa.String),
                   sa.column("category", sa.String), sa.column("urgent", sa.Boolean),
                   sa.column("region_code", sa.String), sa.column("description", sa.Text),
                   sa.column("description_is_voice", sa.Boolean),
                   sa.column("contactable", sa.Boolean), sa.column("status", sa.String),
                   sa.column("created_at", sa.DateTime(timezone=True)),
                   sa.column("last_activity_at", sa.DateTime(timezone=True)),
                   sa.column("latitude", sa.Float), sa.column("longitude", sa.Float))
EVIDENCE = sa.table("evidence", sa.column("id", sa.Integer), sa.column("report_id", sa.Integer),
                    sa.column("kind", sa.String), sa.column("size", sa.Integer),
                    sa.column("sha256", sa.String), sa.column("path", sa.String),
                    sa.column("is_description", sa.Boolean),
                    sa.column("created_at", sa.DateTime(timezone=True)))


async def test_pins_and_digests_stored_before_are_sealed_by_the_migration(engine, key):
    from models.base import UTCDateTime

    REPORTS.c.created_at.type = REPORTS.c.last_activity_at.type = UTCDateTime()
    EVIDENCE.c.created_at.type = UTCDateTime()
    vault = Vault(key)
    bare = hashlib.sha256(b"kontrak").hexdigest()
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)

    def downgrade(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_seal_pins_and_digests-1")

    try:
        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
            await connection.execute(REPORTS.insert(), [dict(
                id=1, case_number="LPG-2611-AAAAA", followup_hash="h1", locale="id",
                category="calo", urgent=False, region_code="1871", description="x",
                description_is_voice=False, contactable=False, status="new", created_at=now,
                last_activity_at=now, latitude=LATITUDE, longitude=LONGITUDE)])
            await connection.execute(EVIDENCE.insert(), [dict(
                id=1, report_id=1, kind="document", size=7, sha256=bare, path="ab/x.enc",
                is_description=False, created_at=now)])
        # Without the key the stored rows cannot be sealed: refused, nothing changed.
        with pytest.raises(RuntimeError, match="encryption key"):
            await upgrade_database(engine)
        opened = []
        await upgrade_database(engine, vault=lambda: opened.append(1) or vault)
        assert opened == [1]
    finally:
        await upgrade_database(engine, vault=vault)
    async with engine.connect() as connection:
        report = (await connection.execute(sa.text(
            "SELECT latitude, longitude, location_enc FROM reports"))).one()
        digest = (await connection.execute(sa.text("SELECT sha256 FROM evidence"))).scalar()
    assert (report.latitude, report.longitude) == (-5.40, 105.27)
    assert json.loads(vault.decrypt(report.location_enc)) == {"latitude": LATITUDE,
                                                              "longitude": LONGITUDE}
    assert digest == vault.lookup_hash("evidence", bare) and digest != bare
