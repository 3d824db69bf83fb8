"""The Bot API emulator now lives in the package (``bot.web.emulator``), because ``tipbot sandbox``
runs it too. This shim keeps ``from tests.emulator import BotApiEmulator`` and imports of its
modules (``tests.emulator.html_parser``...) working: they are the same module objects, so a
test that patches one patches the emulator itself."""
import importlib
import sys

from bot.web.emulator import *  # noqa: F403
from bot.web.emulator import __all__  # noqa: F401

for _name in ("errors", "files", "formatting", "html_parser", "methods", "rules", "server",
              "simulation", "spec", "state", "updates"):
    sys.modules[f"{__name__}.{_name}"] = importlib.import_module(f"bot.web.emulator.{_name}")
