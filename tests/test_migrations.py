"""Migrations: named for what they do, one chain in file order, and at its head the schema
the models describe, on every backend; `tipbot db upgrade` and the test databases agree."""
from __future__ import annotations

import ast
import re

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models  # noqa: F401  (every table on the metadata)
from bot.storage.db import MIGRATIONS_DIR, alembic_config, create_engine, upgrade_database

VERSIONS = MIGRATIONS_DIR / "versions"
FILE_NAME = re.compile(r"^\d{4}_[a-z0-9]+(_[a-z0-9]+)+\.py$")


def _assigned(path, name):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == [name]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path.name} sets no {name}")


def test_files_are_named_for_what_they_do_and_apply_in_file_order():
    files = sorted(p for p in VERSIONS.glob("*.py") if p.name != "__init__.py")
    assert files, "no migrations"
    previous = None
    for number, path in enumerate(files, start=1):
        assert FILE_NAME.match(path.name), f"{path.name}: NNNN_what_it_does.py"
        assert path.name.startswith(f"{number:04d}_"), f"{path.name}: numbers run 0001, 0002 ..."
        assert _assigned(path, "revision") == path.stem, f"{path.name}: revision = its name"
        assert _assigned(path, "down_revision") == previous, f"{path.name} follows {previous}"
        previous = path.stem


async def test_the_schema_at_head_is_the_one_the_models_describe(engine):
    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_every_migration_goes_down_to_nothing_and_up_again(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'round-trip.sqlite3'}")

    def downgrade(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    try:
        await upgrade_database(engine)
        async with engine.begin() as connection:
            await connection.run_sync(downgrade)
            tables = await connection.run_sync(
                lambda sync: sync.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type='table'").scalars().all())
        assert tables == ["alembic_version"]
        await upgrade_database(engine)
    finally:
        await engine.dispose()
