"""One key per deployment: the first start records the key's fingerprint; a start or a
standby takeover with another key exits 2 with one line naming ENCRYPTION_KEY; on
PostgreSQL `tipbot run` never generates a key."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from bot.storage.crypto import Vault
from models import DeploymentFact
from tests.helpers.processes import Tipbot, free_port, tipbot_env


def refusal(code: int, err: str) -> str:
    """The one line of the refusal (the migrations' own log lines may come before it)."""
    lines = err.strip().splitlines()
    assert code == 2, err[-2000:]
    said = [line for line in lines if line.startswith("tipbot:")]
    assert said == lines[-1:] and "ENCRYPTION_KEY" in said[0], err[-2000:]
    assert "Traceback" not in err
    return said[0]


async def recorded_fingerprint(session_factory) -> str:
    async with session_factory() as session:
        return (await session.exec(select(DeploymentFact.value))).one()


def requires_postgresql(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a standby (two instances on one database) needs PostgreSQL")


async def test_a_start_with_another_key_refuses_in_one_line(emu, tmp_path):
    first_key, other_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'tipbot.sqlite3'}"
    env = tipbot_env(emu, tmp_path / "data", url, first_key,
                     HTTP_LISTEN=f"127.0.0.1:{free_port()}")
    running = Tipbot(env)
    try:
        await running.start()
        await running.wait_role("serving")
        code, _, err = await running.stop()
        assert code == 0, err[-2000:]
    finally:
        await running.reap()
    # The database holds nothing encrypted yet: only the fingerprint tells the keys apart.
    again = await Tipbot({**env, "ENCRYPTION_KEY": other_key}).start()
    code, _, err = await again.finish()
    line = refusal(code, err)
    assert first_key not in line and other_key not in line
    back = Tipbot(env)
    try:
        await back.start()
        await back.wait_role("serving")               # the right key still starts
    finally:
        await back.stop()
        await back.reap()


async def test_a_standby_with_another_key_refuses_to_wait(emu, database_url, session_factory,
                                                         tmp_path):
    requires_postgresql(database_url)
    key, other = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    leader = Tipbot(tipbot_env(emu, tmp_path / "a", database_url, key,
                               HTTP_LISTEN=f"127.0.0.1:{free_port()}"))
    standby = Tipbot(tipbot_env(emu, tmp_path / "b", database_url, other,
                                HTTP_LISTEN=f"127.0.0.1:{free_port()}"))
    try:
        await leader.start()
        await leader.wait_role("serving")
        assert await recorded_fingerprint(session_factory) == Vault(key).fingerprints()[0]
        await standby.start()
        code, _, err = await standby.finish()
        refusal(code, err)
        assert (await leader.health())["role"] == "serving"
    finally:
        await leader.reap()
        await standby.reap()


async def test_after_a_rotation_a_standby_with_the_old_key_refuses_the_takeover(
        emu, database_url, session_factory, tmp_path):
    requires_postgresql(database_url)
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    leader = Tipbot(tipbot_env(emu, tmp_path / "a", database_url, f"{new},{old}",
                               HTTP_LISTEN=f"127.0.0.1:{free_port()}"))
    standby = Tipbot(tipbot_env(emu, tmp_path / "b", database_url, old,
                                HTTP_LISTEN=f"127.0.0.1:{free_port()}"))
    try:
        # The deployment began with the old key; the leader is restarted with new,old
        # (rotation under way: any configured key is accepted), the standby is not.
        first = Tipbot(tipbot_env(emu, tmp_path / "a", database_url, old,
                                  HTTP_LISTEN=f"127.0.0.1:{free_port()}"))
        await first.start()
        await first.wait_role("serving")
        assert (await first.stop())[0] == 0
        await leader.start()
        await leader.wait_role("serving")
        await standby.start()
        await standby.wait_role("standby")
        rotate = await Tipbot(leader.env, "keys", "rotate").start()
        code, _, err = await rotate.finish()
        assert code == 0, err[-2000:]
        assert await recorded_fingerprint(session_factory) == Vault(new).fingerprints()[0]

        leader.kill()                                  # kill -9: the standby takes over ...
        code, _, err = await standby.finish(timeout=60)
        refusal(code, err)                             # ... and refuses: not its key
    finally:
        await leader.reap()
        await standby.reap()


async def test_run_on_postgresql_without_a_key_refuses_to_generate_one(emu, database_url,
                                                                       tmp_path):
    requires_postgresql(database_url)
    env = tipbot_env(emu, tmp_path / "a", database_url, "",
                     HTTP_LISTEN=f"127.0.0.1:{free_port()}")
    run = await Tipbot(env).start()
    code, _, err = await run.finish()
    assert len(err.strip().splitlines()) == 1          # before anything else is done
    refusal(code, err)
    assert not (tmp_path / "a" / "encryption.key").exists()
