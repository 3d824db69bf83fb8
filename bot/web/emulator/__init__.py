"""A local Telegram Bot API emulator: the stand-in for Telegram in the tests and in
``tipbot sandbox`` (see README.md here)."""

from .errors import ApiError
from .server import BotApiEmulator, Request
from .spec import load_spec
from .state import SimChat, SimUser, StoredFile, StoredMessage

__all__ = ["ApiError", "BotApiEmulator", "Request", "SimChat", "SimUser", "StoredFile", "StoredMessage",
           "load_spec"]
