"""The project uses the public API of python-telegram-bot, SQLAlchemy and aiosqlite only:
no import from their private modules or of their private names, and no attribute of
theirs that starts with an underscore (a name they may rename in any release)."""
from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "models")
LIBRARIES = ("telegram", "sqlalchemy", "aiosqlite")
_DEFINED = re.compile(r"(?:self|cls)\._([A-Za-z0-9]\w*)|def _([A-Za-z0-9]\w*)|^\s*_([A-Za-z0-9]\w*)\s*[:=]",
                      re.MULTILINE)


def _sources(root: Path):
    for path in sorted(root.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _names_defined(texts) -> set[str]:
    names = set()
    for text in texts:
        for match in _DEFINED.finditer(text):
            names.add("_" + next(group for group in match.groups() if group))
    return names


@pytest.fixture(scope="module")
def project():
    files = [(path, text) for package in PACKAGES for path, text in _sources(ROOT / package)]
    return files, _names_defined(text for _, text in files)


@pytest.fixture(scope="module")
def libraries_private() -> set[str]:
    """Every private attribute name the three libraries define for themselves."""
    names = set()
    for library in LIBRARIES:
        origin = Path(importlib.util.find_spec(library).origin).parent
        names |= _names_defined(text for _, text in _sources(origin))
    return names


def test_no_import_from_a_private_module_or_of_a_private_name(project):
    found = []
    for path, text in project[0]:
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules, names = [node.module], [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                modules, names = [alias.name for alias in node.names], []
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] in LIBRARIES and (any(map(_private, parts))
                                              or any(map(_private, names))):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module} {names}")
    assert found == []


def test_no_private_attribute_of_the_libraries_is_used(project, libraries_private):
    """An attribute ``x._name`` is refused when one of the libraries defines ``_name`` and
    the project never does (its own private attributes stay its own business)."""
    files, ours = project
    found = []
    for path, text in files:
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, ast.Attribute) and _private(node.attr)
                    and node.attr in libraries_private and node.attr not in ours):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    assert found == []


def test_the_check_sees_what_it_is_for(libraries_private):
    """The names the project used before it kept to public APIs are all caught."""
    for name in ("_post", "_retry_after", "_execute", "_conn", "_handle_exception",
                 "_execute_mutex"):
        assert name in libraries_private, name
