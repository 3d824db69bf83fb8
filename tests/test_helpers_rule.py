"""Tests share code only through tests/helpers: a test module or a conftest is never
imported (pytest imports those itself; importing one again runs its module-level code twice
and hides which fixtures a folder really has)."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _imports_of(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return found


def test_shared_test_code_comes_from_tests_helpers_only():
    sources = sorted(TESTS.rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py"))
    # A folder without __init__.py is put on sys.path by pytest: its modules import bare.
    bare = {p.stem for p in TESTS.rglob("*.py") if "helpers" not in p.parts}
    wrong = []
    for path in sources:
        for name in _imports_of(path):
            if name.split(".")[0] in bare:
                wrong.append(f"{path.relative_to(ROOT)}: {name}")
            elif name.startswith("."):
                wrong.append(f"{path.relative_to(ROOT)}: relative import {name}")
            elif name.startswith("tests.") and not name.startswith("tests.helpers"):
                wrong.append(f"{path.relative_to(ROOT)}: {name}")
    assert len(sources) > 100
    assert wrong == []


def test_helpers_are_not_tests():
    helpers = sorted((TESTS / "helpers").glob("*.py"))
    assert {p.name for p in helpers} >= {"fixtures.py", "form.py", "harness.py", "officers.py"}
    assert [p.name for p in helpers if p.name.startswith(("test_", "conftest"))] == []
