"""The tipbot command line: clear configuration errors, migrations, and a real run."""
from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys

import pytest

from bot.cli import main
from tests.emulator import BotApiEmulator
from tests.harness import BOT_USERNAME, TOKEN


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "DATABASE_URL", "DATA_DIR", "ENCRYPTION_KEY")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("env,expected", [
    ({}, "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
    ({"TELEGRAM_BOT_TOKEN": "123456:abcdefghijkl", "TELEGRAM_API_BASE_URL": "localhost:8081"},
     "TELEGRAM_API_BASE_URL"),
    ({"TELEGRAM_BOT_TOKEN": "123456:abcdefghijkl", "ESCALATE_AFTER": "soon"}, "ESCALATE_AFTER"),
])
def test_bad_settings_end_with_one_line_and_exit_code_2(clean_env, monkeypatch, capsys, env,
                                                        expected):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0] and "Traceback" not in err[0]


def test_db_upgrade_creates_the_sqlite_database(clean_env, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(clean_env / "data"))
    assert main(["db", "upgrade"]) == 0
    tables = {row[0] for row in sqlite3.connect(clean_env / "data" / "tipbot.sqlite3")
              .execute("select name from sqlite_master where type='table'")}
    assert {"reports", "drafts", "reporters", "alembic_version"} <= tables


def test_help_documents_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "run" in out and "db" in out


async def test_tipbot_run_answers_a_resident_through_a_bot_api_server(tmp_path):
    """The README's run command, against the emulator: migrates, polls, answers."""
    async with BotApiEmulator(token=TOKEN, bot_username=BOT_USERNAME) as emu:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url,
                   TELEGRAM_FILE_BASE_URL=emu.base_file_url, DATA_DIR=str(tmp_path / "data"),
                   DATABASE_URL="")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            person = emu.user(first_name="Warga")
            emu.send_text(person, "/start")
            for _ in range(300):
                if emu.sent(person):
                    break
                await asyncio.sleep(0.1)
            assert "Satgas Perlindungan" in emu.last(person).text
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, output.decode()[-2000:]
        assert (tmp_path / "data" / "tipbot.sqlite3").exists()
        assert (tmp_path / "data" / "encryption.key").exists()
        assert "Warga" not in output.decode()     # no personal data in the logs
        assert emu.violations == []
