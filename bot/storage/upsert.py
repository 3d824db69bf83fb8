"""INSERT ... ON CONFLICT for the database in use: PostgreSQL's and SQLite's ``insert``
differ only in their module; the one in use is imported when first needed, so a SQLite
bot never loads PostgreSQL's dialect (about 2 MB)."""
from __future__ import annotations

import importlib


def dialect_insert(dialect_name: str):
    """``sqlalchemy.dialects.<postgresql|sqlite>.insert`` for ``dialect_name``."""
    name = "postgresql" if dialect_name == "postgresql" else "sqlite"
    return importlib.import_module(f"sqlalchemy.dialects.{name}").insert


def session_insert(session):
    """The ``insert`` of the database ``session`` is bound to (SQLite when unbound)."""
    return dialect_insert(session.bind.dialect.name if session.bind is not None else "sqlite")
