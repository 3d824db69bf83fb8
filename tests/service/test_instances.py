"""One serving instance per database: a hot standby on PostgreSQL takes over after kill -9
without answering anything twice; a second run on one SQLite file refuses to start."""
from __future__ import annotations

import asyncio
import json

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from models import ProcessedUpdate
from tests.helpers.harness import Person
from tests.helpers.processes import Tipbot, free_port, leader_and_standby, tipbot_env


async def answers(person: Person, count: int, timeout: float = 60) -> None:
    for _ in range(int(timeout * 10)):
        if len(person.messages) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{len(person.messages)} answers, expected {count}")


async def test_standby_takes_over_after_kill_9_and_nothing_is_answered_twice(
        emu, engine, session_factory, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the hot standby is a PostgreSQL feature; SQLite refuses a second run")
    key = Fernet.generate_key().decode()
    async with leader_and_standby(emu, tmp_path, database_url, key,
                                  SWEEP_INTERVAL="2s") as (first, second):
        siti = Person(emu, first_name="Siti")
        emu.send_text(siti.user, "/start")
        await answers(siti, 1)
        await asyncio.sleep(1.5)                 # the standby must not answer it too
        assert len(siti.messages) == 1

        first.kill()
        emu.send_text(siti.user, "/darurat")     # written while nobody serves
        took = await second.wait_role("serving", timeout=40)
        assert took < 30
        await answers(siti, 2)
        emu.send_text(siti.user, "/bantuan")
        await answers(siti, 3)
        await asyncio.sleep(1.5)
        assert len(siti.messages) == 3
        health = await second.health()
        assert health["status"] == "ok" and health["database"] is True

        async with session_factory() as session:
            taken = sorted((await session.exec(select(ProcessedUpdate.update_id))).all())
        assert taken == [u["update_id"] for u in emu.updates]
        code, _, err = await second.stop()
        assert code == 0, err[-2000:]
        assert "Siti" not in err
    assert emu.violations == []


async def test_second_run_on_one_sqlite_file_refuses_while_other_commands_work(
        emu, tmp_path):
    key = Fernet.generate_key().decode()
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'tipbot.sqlite3'}"
    env = tipbot_env(emu, tmp_path / "data", url, key, HTTP_LISTEN=f"127.0.0.1:{free_port()}")
    running = Tipbot({**env, "LOG_FORMAT": "json"})
    try:
        await running.start()
        await running.wait_role("serving")
        again = await Tipbot({**env, "HTTP_LISTEN": f"127.0.0.1:{free_port()}"}).start()
        code, out, err = await again.finish()
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1, err
        assert "already serving" in lines[0] and "Traceback" not in err

        officer = await Tipbot(env, "officer", "add", "--telegram-id", "4242",
                               "--name", "Budi").start()
        assert (await officer.finish())[0] == 0
        listing = await Tipbot(env, "officer", "list").start()
        code, out, _ = await listing.finish()
        assert code == 0 and "Budi" in out
        stats = await Tipbot(env, "stats", "--json").start()
        assert (await stats.finish())[0] == 0

        siti = Person(emu, first_name="Siti")
        emu.send_text(siti.user, "/start")
        await answers(siti, 1)
        code, _, err = await running.stop()
        assert code == 0, err[-2000:]
        lines = [json.loads(line) for line in err.strip().splitlines()]
        assert {"time", "level", "logger", "message"} <= set(lines[0])
        assert "Siti" not in err
    finally:
        await running.reap()
    assert emu.violations == []
