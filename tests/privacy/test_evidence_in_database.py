"""Evidence lives in the database, not under DATA_DIR: the upgrade moves the files an
earlier version kept on disk into it and removes them; a file an instance cannot read is
told to the officer in one line instead of being retried in silence."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from sqlmodel import select

from bot.storage.crypto import Vault
from bot.storage.db import create_session_factory
from bot.storage.evidence import EvidenceStore
from models import Evidence, EvidenceFile, Outbox
from tests.helpers.form import ALL_DETAILS, FAKE_PHOTO, walk_form
from tests.helpers.harness import Person
from tests.helpers.privacy import database_env, run_cli
from tests.helpers.officers import all_rows, deliver, make_officer, send_and_claim

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)


def file_on_disk(data_dir, vault: Vault, content: bytes) -> str:
    """A file as an earlier version stored it: DATA_DIR/evidence/xx/<random>.enc."""
    name = secrets.token_hex(16)
    path = f"{name[:2]}/{name}.enc"
    target = data_dir / "evidence" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(vault.encrypt_bytes(content))
    return path


async def test_the_upgrade_moves_files_from_disk_into_the_database(
        monkeypatch, store_engine, data_dir, database_url, key):
    vault = Vault(key)
    paths = [file_on_disk(data_dir, vault, b"foto KTP %d" % i) for i in range(3)]
    (data_dir / "evidence" / paths[0]).with_suffix(".enc.part").write_bytes(b"half")
    env = {**database_env(database_url, data_dir), "ENCRYPTION_KEY": key}
    code, out, err = await run_cli(monkeypatch, ["db", "upgrade"], **env)
    assert code == 0, err
    assert not (data_dir / "evidence").exists()           # nothing left on this disk
    sessions = create_session_factory(store_engine)
    async with sessions() as session:
        stored = {f.path for f in (await session.exec(select(EvidenceFile))).all()}
        assert stored == set(paths)
        store = EvidenceStore(vault)
        assert [await store.read(session, p) for p in paths] == [
            b"foto KTP 0", b"foto KTP 1", b"foto KTP 2"]
    # Again (a second machine's upgrade, a restart): nothing to move, nothing lost.
    code, _, err = await run_cli(monkeypatch, ["db", "upgrade"], **env)
    assert code == 0, err
    async with sessions() as session:
        assert len((await session.exec(select(EvidenceFile))).all()) == 3


async def test_a_file_this_instance_cannot_read_is_told_to_the_officer_in_one_line(
        tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti")
    await walk_form(reporter, **ALL_DETAILS, files=(FAKE_PHOTO,))
    await send_and_claim(tipbot, reporter, officer)
    async with tipbot.session() as session:       # the file is not in this store
        [evidence] = (await session.exec(select(Evidence))).all()
        await session.delete(await session.get(EvidenceFile, evidence.path))
        await session.commit()
    before = len(officer.messages)
    await officer.press("📎 Bukti", officer.message_with_button("📎 Bukti"))
    await deliver(tipbot)
    told = [m for m in officer.messages[before:] if m.kind != "photo"]
    assert [m.kind for m in officer.messages[before:]].count("photo") == 0
    line = next(m.text for m in told if "tidak dapat dibaca" in (m.text or ""))
    assert "\n" not in line and "Berkas 1" in line
    [row] = [r for r in await all_rows(tipbot, Outbox) if r.purpose == "evidence"]
    assert row.status == "sent" and row.attempts == 1              # told once, not retried
