"""Alembic environment: runs on the connection handed in by bot.storage.db.upgrade_database."""
from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `tipbot db upgrade`, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
