"""The engine knows no channel: a second channel (WhatsApp, SMS) must be able to drive the
same form, cases and routing, so these packages never import Telegram's library."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ["bot/engine/form.py", "bot/engine/form_types.py", "bot/engine/parsing.py", "bot/services", "bot/analytics",
          "models"]


def _modules() -> list[Path]:
    found: list[Path] = []
    for entry in ENGINE:
        path = ROOT / entry
        found.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return found


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_engine_is_listed():
    assert len(_modules()) > 10


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_module_does_not_import_telegram(module: Path):
    imported = _imported(ast.parse(module.read_text(encoding="utf-8")))
    channel = sorted(n for n in imported if n == "telegram" or n.startswith("telegram."))
    assert channel == [], f"{module.relative_to(ROOT)} imports {channel}"


def test_the_check_sees_a_telegram_import():
    # The rule must be able to fail: an import nested in a function is found too.
    tree = ast.parse("def f():\n    from telegram.ext import Application\n")
    assert "telegram.ext" in _imported(tree)
