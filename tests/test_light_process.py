"""The running bot stays light: chart, spreadsheet and image libraries load on first use
(an admin's chart or export, a photo to clean), fuzzy matching with the first report or
agency looked up, pywa only for a bot that serves WhatsApp, Prometheus's client only for
a bot that serves /metrics, and Alembic only where migrations run (a child process of
`tipbot run`). Checked in a fresh interpreter, as `tipbot run` starts."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOADED_ON_FIRST_USE = ("matplotlib", "numpy", "openpyxl", "lxml", "PIL", "pikepdf", "mutagen",
                       "alembic", "mako", "aiohttp", "rapidfuzz", "pywa", "uvicorn", "starlette",
                       "prometheus_client")


def _loaded_after_importing(*modules: str, whole_names: bool = False) -> set[str]:
    name = "m" if whole_names else "m.split('.')[0]"
    code = ("import json, sys\n" + "".join(f"import {m}\n" for m in modules)
            + f"print(json.dumps(sorted({{{name} for m in sys.modules}})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return set(json.loads(out))


def test_starting_the_bot_loads_no_chart_spreadsheet_image_or_migration_library():
    loaded = _loaded_after_importing("bot.cli.main", "bot.service", "bot.app")
    assert loaded.isdisjoint(LOADED_ON_FIRST_USE), loaded & set(LOADED_ON_FIRST_USE)


def test_a_sqlite_bot_does_not_load_postgresql_s_dialect():
    # About 2 MB; bot/storage/upsert.py imports the dialect in use when it is first needed.
    loaded = _loaded_after_importing("bot.cli.main", "bot.service", "bot.app", whole_names=True)
    assert "sqlalchemy" in loaded and "sqlalchemy.dialects.postgresql" not in loaded


def test_a_chart_and_an_export_still_load_them():
    loaded = _loaded_after_importing("bot.analytics.charts", "bot.analytics.export")
    assert "matplotlib" not in loaded          # importing the modules is not using them
    code = ("import sys\nfrom bot.analytics import charts, export\n"
            "charts._figure(); export._xlsx_text(None, 'x')\n"
            "print('matplotlib' in sys.modules, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    assert out == ["True", "True"]
