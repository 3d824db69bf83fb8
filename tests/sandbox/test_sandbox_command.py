"""`tipbot sandbox` as a person starts it: no token, a page on the port asked for, its own
database under DATA_DIR/sandbox/, a clean stop on Ctrl+C."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

import httpx
import pytest

from bot.cli.main import main
from bot.cli.sandbox import parse_listen


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_sandbox_serves_the_page_without_a_token(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_URL", "ENCRYPTION_KEY", "ADMIN_"))}
    env.update(DATA_DIR=str(tmp_path / "data"))
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "sandbox", "--listen", f"127.0.0.1:{port}", env=env,
        cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        assert b"open http" in line, line
        assert f"http://127.0.0.1:{port}/".encode() in line
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            page = await http.get("/")
            assert page.status_code == 200 and 'aria-label="Warga"' in page.text
            assert (await http.post("/api/resident/text", json={"text": "/start"})).json() == {"ok": True}
            for _ in range(100):
                state = (await http.get("/api/state")).json()
                if any(m["from_bot"] for m in state["panes"]["resident"]):
                    break
                await asyncio.sleep(0.1)
            welcome = [m for m in state["panes"]["resident"] if m["from_bot"]][0]
            assert "Satgas Perlindungan" in welcome["text"] and state["problems"] == []
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, output.decode()[-2000:]
    # Start-up prints the address, not the migrations (nothing else came before it).
    assert line.decode().startswith("tipbot sandbox: open http"), line
    assert b"alembic" not in output and b"Running upgrade" not in output
    assert (tmp_path / "data" / "sandbox" / "tipbot.sqlite3").exists()
    assert not (tmp_path / "data" / "tipbot.sqlite3").exists()  # the live database is untouched


def test_a_taken_port_is_one_line_and_exit_code_2(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["sandbox", "--listen", f"127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"tipbot: --listen 127.0.0.1:{port}:") and "\n" not in err


@pytest.mark.parametrize("value,expected", [
    ("127.0.0.1:8080", ("127.0.0.1", 8080)), ("0.0.0.0:80", ("0.0.0.0", 80)), ("[::1]:9000", ("::1", 9000)),
    ("127.0.0.1:0", ("127.0.0.1", 0)),           # any free port; the page's address is printed
])
def test_listen_takes_host_and_port(value, expected):
    assert parse_listen(value) == expected


@pytest.mark.parametrize("value", ["8080", "localhost", "host:port", ":8080", "127.0.0.1:70000"])
def test_listen_refuses_anything_else(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sandbox", "--listen", value])
    assert exit_.value.code == 2 and "HOST:PORT" in capsys.readouterr().err
