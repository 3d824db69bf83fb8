"""What reporter-safety tests look for and how they file: the reporter's contact that must
never be found at rest in clear, a search of DATA_DIR and a pg_dump for it, photos with
and without metadata, and ``tipbot`` commands run in the test's process."""
from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image

from tests.helpers.form import walk_form

# What a reporter gives as contact in these tests: never to be found at rest in clear.
CONTACT_NAME = "Sulastri Wahyuningsih"
CONTACT_PHONE_TYPED = "0811 2233 4455"
CONTACT_NEEDLES = [b"Sulastri", b"Wahyuningsih", b"81122334455", b"0811 2233 4455"]
AUTHOR = CONTACT_NAME           # the name a phone writes into a photo's metadata


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 0)).save(out, format="JPEG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    """A phone photo as a document: GPS, author, camera and a comment in its metadata."""
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = AUTHOR                       # Artist
    exif[0x0110] = "Redmi Note 12"              # Model
    exif[0x0112] = 6                            # Orientation: rotate 90° to show upright
    exif.get_ifd(0x8825).update({1: "S", 2: (5.0, 27.0, 0.0), 3: "E", 4: (105.0, 15.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"taken by " + AUTHOR.encode())
    return out.getvalue()


def photo_document(caption: str) -> dict:
    """A phone photo sent as a file, with its metadata and a caption (``person.send``)."""
    return dict(kind="document", data=jpeg_with_exif(), file_name="IMG_1.jpg",
                mime_type="image/jpeg", caption=caption)


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



async def file_contactable_report(person, *, before_send=None, photo: bytes | None = None):
    """Through the form, as a resident does: a report whose author may be contacted."""
    files = ({"kind": "photo", "data": photo},) if photo is not None else ()
    await walk_form(person, files=files, contact=(CONTACT_NAME, CONTACT_PHONE_TYPED))
    if before_send is not None:
        before_send()
    return await person.press("📨 Kirim laporan")


def codes_in(message) -> list[str]:
    return [message.text[e["offset"]:e["offset"] + e["length"]]
            for e in message.entities if e["type"] == "code"]


async def run_cli(monkeypatch, argv: list[str], **env: str) -> tuple[int, str, str]:
    """``tipbot ARGV`` in this process (off the event loop), with settings from ``env``."""
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
