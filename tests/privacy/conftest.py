"""Fixtures for the reporter-safety tests: on SQLite the database lives inside DATA_DIR
(as it does by default), so a byte search of the folder covers the database, its WAL and
shared-memory files, the evidence and the key; on PostgreSQL, ``pg_dump`` covers the rest."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from cryptography.fernet import Fernet

from bot.storage.db import create_engine, upgrade_database
from tests.conftest import _wipe
from tests.harness import start_bot, stop_bot
from tests.officers.conftest import FAST

# What a reporter gives as contact in these tests: never to be found at rest in clear.
CONTACT_NAME = "Sulastri Wahyuningsih"
CONTACT_PHONE_TYPED = "0811 2233 4455"
CONTACT_NEEDLES = [b"Sulastri", b"Wahyuningsih", b"81122334455", b"0811 2233 4455"]


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
async def store_engine(database_url, data_dir):
    """SQLite: a fresh database file inside DATA_DIR. PostgreSQL: the test database."""
    if database_url.startswith("sqlite"):
        engine = create_engine(f"sqlite+aiosqlite:///{data_dir / 'tipbot.sqlite3'}")
        await upgrade_database(engine)
    else:
        engine = create_engine(database_url)
        await _wipe(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def tipbot(emu, store_engine, data_dir, key):
    running = await start_bot(emu, store_engine, data_dir, encryption_key=key, **FAST)
    emu.attach(running.app)
    await emu.settle()
    yield running
    await stop_bot(running)
    assert emu.violations == []


def found_at_rest(data_dir: Path, database_url: str, needles=CONTACT_NEEDLES) -> list[str]:
    """Which needles appear, in clear, in any file under DATA_DIR or in a pg_dump."""
    hits = []
    for path in data_dir.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            hits += [f"{path.name}: {n.decode()}" for n in needles if n in blob]
    if database_url.startswith("postgresql"):
        dump = pg_dump(database_url)
        if dump is not None:
            hits += [f"pg_dump: {n.decode()}" for n in needles if n in dump]
    return hits


def pg_dump(database_url: str) -> bytes | None:
    """The whole database as pg_dump writes it; None when pg_dump is not installed."""
    if shutil.which("pg_dump") is None:
        return None
    url = urlparse(database_url.replace("+asyncpg", ""))
    env = dict(os.environ, PGPASSWORD=url.password or "")
    return subprocess.run(
        ["pg_dump", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432),
         "-U", url.username or "postgres", "--no-owner", url.path.lstrip("/")],
        check=True, capture_output=True, env=env).stdout


async def walk_to_contact(person, story: str, *, photo: bytes | None = None):
    """Through the form to the contact question, choosing to be contactable: a calo report
    from Bandar Lampung, optional steps skipped, with an optional photo as evidence."""
    await person.say("/lapor")
    await person.press("Perekrut tanpa izin (calo)")
    await person.press("Tidak")
    await person.press("Bandar Lampung")
    await person.press("Lewati")
    await person.say(story)
    await person.press("➕ Tambah rincian")
    for _ in range(4):
        await person.press("Lewati")
    await person.press("Tidak tahu")
    await person.press("Belum tahu")
    await person.press("Belum tahu")
    if photo is not None:
        await person.send("photo", data=photo)
    await person.press("✅ Selesai")
    return await person.press("Bersedia dihubungi petugas")


async def file_contactable_report(person, *, before_send=None, photo: bytes | None = None):
    """Through the form, as a resident does: a report whose author may be contacted."""
    from tests.e2e.test_resident_flow import STORY

    await walk_to_contact(person, STORY, photo=photo)
    await person.say(CONTACT_NAME)
    await person.say(CONTACT_PHONE_TYPED)
    if before_send is not None:
        before_send()
    return await person.press("📨 Kirim laporan")


def codes_in(message) -> list[str]:
    return [message.text[e["offset"]:e["offset"] + e["length"]]
            for e in message.entities if e["type"] == "code"]


async def run_cli(monkeypatch, argv: list[str], **env: str) -> tuple[int, str, str]:
    """``tipbot ARGV`` in this process (off the event loop), with settings from ``env``."""
    import asyncio
    import contextlib
    import io

    from bot.cli.main import main

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out, err = io.StringIO(), io.StringIO()

    def call() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return main(argv)

    code = await asyncio.to_thread(call)
    return code, out.getvalue(), err.getvalue()


def database_env(database_url: str, data_dir: Path) -> dict[str, str]:
    url = database_url if database_url.startswith("postgresql") else \
        f"sqlite+aiosqlite:///{data_dir / 'tipbot.sqlite3'}"
    return {"DATABASE_URL": url, "DATA_DIR": str(data_dir)}
