"""The tipbot command line: clear configuration errors, migrations, and a real run."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import sys

import pytest

from bot.cli.main import main
from bot.web.emulator import BotApiEmulator
from tests.helpers.harness import BOT_USERNAME, TOKEN


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "DATABASE_URL", "DATA_DIR", "ENCRYPTION_KEY",
                           "WHATSAPP_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("env,expected", [
    ({}, "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
    ({"TELEGRAM_BOT_TOKEN": "123456:abcdefghijkl", "TELEGRAM_API_BASE_URL": "localhost:8081"},
     "TELEGRAM_API_BASE_URL"),
    ({"TELEGRAM_BOT_TOKEN": "123456:abcdefghijkl", "ESCALATE_AFTER": "soon"}, "ESCALATE_AFTER"),
    # WhatsApp's four come together or not at all: the line names the missing ones.
    ({"TELEGRAM_BOT_TOKEN": "123456:abcdefghijkl", "WHATSAPP_PHONE_NUMBER_ID": "1234",
      "WHATSAPP_ACCESS_TOKEN": "EAAG-token"}, "missing WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": "123456:abcdefghijkl", "WHATSAPP_API_BASE_URL": "graph.local"},
     "WHATSAPP_API_BASE_URL"),
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


def _seed_reports(url: str, key: str) -> list[str]:
    """Three reports stored the way the form stores them."""
    from datetime import datetime, timezone

    from bot.services.reports import submit_report
    from bot.services.residents import identify_reporter
    from bot.services.routing import RoutingRules
    from bot.storage.crypto import Vault
    from bot.storage.db import create_engine, create_session_factory, upgrade_database
    from models import Draft

    async def seed() -> list[str]:
        engine = create_engine(url)
        await upgrade_database(engine)
        vault = Vault(key.encode())
        numbers = []
        async with create_session_factory(engine)() as session:
            for index in range(3):
                now = datetime(2026, 11, 27, 17, 30 + index, tzinfo=timezone.utc)  # 28 Nov WIB
                who = await identify_reporter(session, vault=vault, channel="telegram",
                                              user_id=index, chat_id=index, now=now)
                draft = Draft(reporter_id=who.id, step="summary", answers=dict(
                    category="calo" if index else "tppo", region="1871",
                    description="=HYPERLINK(\"http://x\") menawarkan kerja",
                    suspect_name="=cmd|' /C calc'!A0", contactable=True,
                    contact_name="Siti", contact_phone="+6281122334455"))
                session.add(draft)
                await session.flush()
                receipt = await submit_report(session, vault=vault, draft=draft, reporter=who,
                                              now=now, rules=RoutingRules(alerts_per_minute=30))
                numbers.append(receipt.report.case_number)
            await session.commit()
        await engine.dispose()
        return numbers

    return asyncio.run(seed())


def test_stats_and_export_commands_give_the_same_figures_and_files(clean_env, monkeypatch,
                                                                  capsys):
    import csv
    import json

    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    url = f"sqlite+aiosqlite:///{clean_env / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENCRYPTION_KEY", key)
    numbers = _seed_reports(url, key)

    assert main(["stats", "--from", "2026-11-28", "--to", "2026-11-28", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["total"] == 3 and figures["by_category"] == {"calo": 2, "tppo": 1}
    assert main(["stats", "--from", "2026-11-27", "--to", "2026-11-27", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0       # the WIB day boundary

    assert main(["stats", "--from", "2026-11-28", "--to", "2026-11-28"]) == 0
    assert "3 laporan" in capsys.readouterr().out

    out = clean_env / "kasus.csv"
    assert main(["export", "--from", "2026-11-28", "--to", "2026-11-28", "--out", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig"), delimiter=";"))
    assert sorted(r[0] for r in rows[1:]) == sorted(numbers)
    assert not any(cell.startswith(("=", "-", "@")) for row in rows for cell in row)
    assert "Siti" not in out.read_text(encoding="utf-8-sig")

    out = clean_env / "kasus-kontak.xlsx"
    assert main(["export", "--from", "2026-11-28", "--to", "2026-11-28", "--format", "xlsx",
                 "--with-contacts", "--out", str(out)]) == 0
    from openpyxl import load_workbook
    cells = [c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row]
    assert "Siti" in cells and "+6281122334455" in cells        # dialable, not '+62...
    assert "'+6281122334455" not in cells


def test_the_service_runs_on_uvloop():
    """`tipbot run` serves on uvloop (a dependency, except on Windows), not asyncio's loop."""
    from bot.cli.main import _event_loop

    with _event_loop() as runner:
        assert type(runner.get_loop()).__module__.split(".")[0] == "uvloop"


# A person's mistake on the command line: one line on stderr, exit code 2, no traceback.
def _one_line_error(capsys, *expected: str) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("tipbot: ") and "Traceback" not in captured.err
    assert all(part in lines[0] for part in expected), lines[0]
    return lines[0]


@pytest.fixture
def cli_db(clean_env, monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{clean_env / 'cli.sqlite3'}")
    monkeypatch.setenv("ENCRYPTION_KEY", Fernet.generate_key().decode())
    return clean_env


@pytest.mark.parametrize("argv", [
    ["stats", "--from", "2026-12-31", "--to", "2026-12-01"],
    ["stats", "--from", "2026-12-31", "--to", "2026-12-01", "--json"],
    ["export", "--from", "2026-12-31", "--to", "2026-12-01", "--out", "kasus.csv"],
])
def test_a_range_that_ends_before_it_starts_is_one_line(cli_db, capsys, argv):
    assert main(argv) == 2
    _one_line_error(capsys, "ends before it starts", "2026-12-31", "2026-12-01")
    assert not (cli_db / "kasus.csv").exists()


def test_an_export_into_a_missing_folder_is_one_line(cli_db, capsys):
    out = cli_db / "laporan" / "kasus.csv"
    assert main(["export", "--out", str(out)]) == 2
    _one_line_error(capsys, "cannot write", "no folder", str(out.parent))
    (cli_db / "a-file").write_text("x")
    assert main(["export", "--out", str(cli_db / "a-file" / "kasus.csv")]) == 2
    _one_line_error(capsys, "cannot write")
    assert main(["export", "--format", "xlsx", "--sep", ",", "--out", "k.xlsx"]) == 2
    _one_line_error(capsys, "--sep is for CSV")


@pytest.mark.parametrize("argv", [["keys", "rotate"], ["purge", "--dry-run"],
                                  ["export", "--with-contacts", "--out", "kasus.csv"]])
def test_an_encryption_key_that_is_no_key_is_one_line(cli_db, monkeypatch, capsys, argv):
    monkeypatch.setenv("ENCRYPTION_KEY", "notakey")
    assert main(argv) == 2
    _one_line_error(capsys, "ENCRYPTION_KEY")


def test_officer_add_refuses_a_group_id_and_an_empty_name(cli_db, capsys):
    assert main(["officer", "add", "--telegram-id", "-1001234567890", "--name", "Grup"]) == 2
    _one_line_error(capsys, "-1001234567890", "group")
    assert main(["officer", "add", "--telegram-id", "0", "--name", "Nol"]) == 2
    _one_line_error(capsys, "positive")
    assert main(["officer", "add", "--telegram-id", "111", "--name", "  "]) == 2
    _one_line_error(capsys, "--name is empty")
    assert main(["officer", "list", "--all"]) == 0
    assert "No active officers yet" in capsys.readouterr().out     # nothing was stored


def test_officer_list_says_when_it_is_empty_and_shows_the_deactivated_with_all(cli_db, capsys):
    assert main(["officer", "list"]) == 0
    empty = capsys.readouterr().out
    assert "No active officers yet" in empty and "tipbot officer add" in empty
    assert main(["officer", "add", "--telegram-id", "111", "--name", "Budi"]) == 0
    assert main(["officer", "deactivate", "--telegram-id", "111"]) == 0
    capsys.readouterr()
    assert main(["officer", "list"]) == 0
    assert "No active officers (1 deactivated; see --all)" in capsys.readouterr().out
    assert main(["officer", "list", "--all"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == ["telegram_id\trole\tstate\tname", "111\tofficer\tinactive\tBudi"]


def test_agencies_list_has_a_header_or_says_the_register_is_empty(cli_db, capsys):
    assert main(["agencies", "list"]) == 0
    assert "The register is empty" in capsys.readouterr().out


def test_purge_and_rotation_speak_in_sentences_and_json_on_request(cli_db, capsys):
    import json

    assert main(["purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dry run: nothing is past its keeping time") and "{" not in out
    assert main(["purge", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["dry_run"] is True
    _seed_reports(os.environ["DATABASE_URL"], os.environ["ENCRYPTION_KEY"])
    assert main(["keys", "rotate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Re-encrypted with the first key of ENCRYPTION_KEY:")
    assert "       3  reporters' chat references" in out and "{" not in out
    assert "       3  reporters' contact details" in out


COMMANDS = [["run"], ["db", "upgrade"], ["officer", "add"], ["officer", "list"],
            ["officer", "deactivate"], ["roster", "import"], ["stats"], ["export"],
            ["agencies", "import"], ["agencies", "list"], ["agencies", "show"], ["sandbox"],
            ["keys", "rotate"], ["purge"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_option_and_argument_says_what_it_is_for(command, capsys):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    lines = capsys.readouterr().out.splitlines()
    # "  --name NAME   the name ..." or the help on the next, deeper indented line.
    bare = [line.strip() for i, line in enumerate(lines)
            if re.match(r"  \S", line) and not re.match(r"  \S.*?\s{2,}\S", line)
            and not (i + 1 < len(lines) and re.match(r"\s{4,}\S", lines[i + 1]))]
    assert bare == [], command


def test_a_revision_that_does_not_exist_is_one_line(cli_db, capsys):
    assert main(["db", "upgrade", "nonsense"]) == 2
    _one_line_error(capsys, "db upgrade nonsense", "nonsense")


@pytest.mark.parametrize("url,expected", [
    ("notaurl", "DATABASE_URL is not a database URL"),
    ("postgresql+asyncpg://tipbot:secret-pw@127.0.0.1:1/tipbot", "cannot open the database"),
])
def test_a_database_that_cannot_be_opened_is_one_line_without_the_password(
        cli_db, monkeypatch, capsys, url, expected):
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["officer", "list"]) == 2
    line = _one_line_error(capsys, expected)
    assert "secret-pw" not in line
