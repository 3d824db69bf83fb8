"""The running bot stays light: chart, spreadsheet and image libraries load on first use
(an admin's chart or export, a photo to clean), fuzzy matching with the first report or
agency looked up, pywa only for a bot that serves WhatsApp, and Alembic only where
migrations run (a child process of `tipbot run`). Checked in a fresh interpreter, as `tipbot run` starts."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOADED_ON_FIRST_USE = ("matplotlib", "numpy", "openpyxl", "lxml", "PIL", "pikepdf", "mutagen",
                       "alembic", "mako", "aiohttp", "rapidfuzz", "pywa", "uvicorn", "starlette")


def _loaded_after_importing(*modules: str) -> set[str]:
    code = ("import json, sys\n" + "".join(f"import {m}\n" for m in modules)
            + "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return set(json.loads(out))


def test_starting_the_bot_loads_no_chart_spreadsheet_image_or_migration_library():
    loaded = _loaded_after_importing("bot.cli.main", "bot.service", "bot.app")
    assert loaded.isdisjoint(LOADED_ON_FIRST_USE), loaded & set(LOADED_ON_FIRST_USE)


def test_a_chart_and_an_export_still_load_them():
    loaded = _loaded_after_importing("bot.analytics.charts", "bot.analytics.export")
    assert "matplotlib" not in loaded          # importing the modules is not using them
    code = ("import sys\nfrom bot.analytics import charts, export\n"
            "charts._figure(); export._xlsx_text(None, 'x')\n"
            "print('matplotlib' in sys.modules, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    assert out == ["True", "True"]
