"""Evidence is in the database, not on the leader's disk: after kill -9 of the leader, the
standby (another DATA_DIR, as on another machine) sends the officer the file the leader
stored."""
from __future__ import annotations

import asyncio
import functools
from datetime import datetime, timezone

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from bot.services.officers import add_officer
from bot.services.reports import submit_report
from bot.services.residents import identify_reporter
from bot.services.routing import RoutingRules
from bot.storage.crypto import Vault
from models import Draft, Evidence, Report
from tests.helpers.harness import Person
from tests.helpers.processes import leader_and_standby

PHOTO = b"\xff\xd8\xff\xe0fake-jpeg-bytes"


async def until(predicate, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.1)


def with_button(person: Person, label: str):
    for message in reversed(person.messages):
        if any(text == label for text, _ in message.buttons):
            return message
    return None


async def a_case_for(session_factory, vault: Vault, siti: Person) -> None:
    """Siti's report, submitted as the form submits it (the leader delivers its card)."""
    now = datetime.now(timezone.utc)
    async with session_factory() as session:
        who = await identify_reporter(session, vault=vault, channel="telegram",
                                      user_id=siti.chat_id, chat_id=siti.chat_id, now=now)
        draft = Draft(reporter_id=who.id, step="summary", answers=dict(
            category="calo", urgent=False, region="1871", description="Calo di desa.",
            suspect_name="Pak Joko", suspect_phone="+6281234567890"))
        session.add(draft)
        await session.flush()
        await submit_report(session, vault=vault, draft=draft, reporter=who, now=now,
                            rules=RoutingRules(alerts_per_minute=30))
        await session.commit()


async def test_the_standby_sends_the_evidence_the_leader_stored_after_kill_9(
        emu, engine, session_factory, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the hot standby is a PostgreSQL feature; SQLite refuses a second run")
    # Real processes: wait for quiet a little longer than for an in-process bot.
    emu.settle = functools.partial(type(emu).settle, emu, timeout=20, quiet=0.8)
    key = Fernet.generate_key().decode()
    async with leader_and_standby(emu, tmp_path, database_url, key,
                                  SWEEP_INTERVAL="2s") as (leader, standby):
        budi = Person(emu, first_name="Budi", started=True)
        siti = Person(emu, first_name="Siti", started=True)
        async with session_factory() as session:     # nobody on duty: admins get cards
            await add_officer(session, telegram_user_id=budi.chat_id, name="Budi",
                              role="admin", now=datetime.now(timezone.utc))
            await session.commit()
        await a_case_for(session_factory, Vault(key), siti)
        await until(lambda: with_button(budi, "🙋 Ambil kasus") is not None, 30, "the card")
        await budi.press("🙋 Ambil kasus")
        # The claim itself, in the database: another message about the case (a reminder)
        # may still show the claim button until its edit goes out.
        for _ in range(240):
            async with session_factory() as session:
                if (await session.exec(select(Report.assignee_id))).first():
                    break
            await asyncio.sleep(0.25)
        else:
            raise AssertionError("the claim: not within 60 s")
        await siti.send("photo", data=PHOTO)              # relayed to the case: stored
        await until(lambda: with_button(budi, "📎 Bukti") is not None, 60, "the new file")
        async with session_factory() as session:
            assert len((await session.exec(select(Evidence))).all()) == 1
        assert not (tmp_path / "a" / "evidence").exists()

        leader.kill()                                     # kill -9, its disk gone with it
        await standby.wait_role("serving", timeout=40)
        before = len(budi.messages)
        await budi.press("📎 Bukti", with_button(budi, "📎 Bukti"))
        await until(lambda: any(m.kind == "photo" for m in budi.messages[before:]), 30,
                    "the evidence from the standby")
        photo = next(m for m in budi.messages[before:] if m.kind == "photo")
        assert emu.file_bytes(photo.file_id) == PHOTO
        code, _, err = await standby.stop()
        assert code == 0, err[-2000:]
        assert "Siti" not in err
