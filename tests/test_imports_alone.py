"""Every module of the project imports on its own, in an interpreter where no other module
of the project was imported first: an import circle that works today only because of the
order in which the application happens to import things fails here.

One process loads the third-party libraries once, then forks a child per module; each
child starts with none of the project's modules loaded (fresh for the project, without
paying for Python's start-up and the libraries' imports 140 times)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "models")

CHILD = r"""
import importlib, os, sys, traceback
# Third-party libraries the project imports, loaded once in the parent (never a module of
# the project: each child must import those itself, from nothing).
for name in ("telegram", "telegram.ext", "sqlalchemy", "sqlmodel", "babel", "babel.dates",
             "starlette.applications", "pydantic_settings", "cryptography.fernet", "httpx",
             "alembic.command", "aiosqlite", "asyncpg", "phonenumbers", "rapidfuzz",
             "prometheus_client", "uvicorn", "PIL.Image", "pikepdf", "mutagen", "openpyxl",
             "matplotlib", "matplotlib.figure", "aiohttp", "pywa"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
assert not any(m.split(".")[0] in ("bot", "handlers", "models") for m in sys.modules)
failed = []
for module in sys.argv[1:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(module)
            code = 0
        except BaseException:
            os.write(write, traceback.format_exc().encode()[-2000:])
            code = 1
        os._exit(code)
    os.close(write)
    message = b""
    while chunk := os.read(read, 4096):
        message += chunk
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(module + ":\n" + message.decode(errors="replace"))
print("\n\n".join(failed))
sys.exit(1 if failed else 0)
"""


def project_modules() -> list[str]:
    modules = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__main__":
                continue  # runs the command line when imported
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules.append(".".join(parts))
    return modules


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.timeout(900)  # 140 forks: seconds on a quiet machine, minutes on a loaded one
def test_every_module_imports_on_its_own():
    modules = project_modules()
    assert len(modules) > 100
    result = subprocess.run([sys.executable, "-c", CHILD, *modules], cwd=ROOT,
                            capture_output=True, text=True, timeout=850)
    assert result.returncode == 0, result.stdout + result.stderr
