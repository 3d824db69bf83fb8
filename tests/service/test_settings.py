"""The service's settings: a webhook without its secret or listener is one line, exit 2."""
from __future__ import annotations

import os

import pytest

from bot.cli.main import main


@pytest.mark.parametrize("env,expected", [
    ({"WEBHOOK_URL": "https://bot.example/tg"}, "WEBHOOK_SECRET is required"),
    ({"WEBHOOK_URL": "https://bot.example/tg", "WEBHOOK_SECRET": "bad secret!"},
     "WEBHOOK_SECRET is required"),
    ({"WEBHOOK_URL": "http://bot.example/tg", "WEBHOOK_SECRET": "ok"}, "https://"),
    ({"WEBHOOK_URL": "https://bot.example/tg", "WEBHOOK_SECRET": "ok"}, "HTTP_LISTEN"),
    ({"HTTP_LISTEN": "localhost"}, "HTTP_LISTEN"),
    ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
])
def test_service_settings_are_checked_in_one_line(monkeypatch, tmp_path, capsys, env, expected):
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "WEBHOOK_", "HTTP_LISTEN", "DATABASE_URL", "LOG_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:abcdefghijkl")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0] and "Traceback" not in err[0]
