"""A local stand-in for the WhatsApp Cloud API (Graph API), for tests and the sandbox."""
from .rules import GraphError
from .server import GraphApiEmulator, readable
from .simulation import sign

__all__ = ["GraphApiEmulator", "GraphError", "readable", "sign"]
