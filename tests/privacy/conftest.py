"""Fixtures for the reporter-safety tests: on SQLite the database lives inside DATA_DIR
(as it does by default), so a byte search of the folder covers the database, its WAL and
shared-memory files, the evidence and the key; on PostgreSQL, ``pg_dump`` covers the rest."""
from __future__ import annotations

import pytest

from tests.helpers.harness import running_bot
from tests.helpers.officers import FAST


@pytest.fixture
async def tipbot(emu, store_engine, data_dir, key):
    async with running_bot(emu, store_engine, data_dir, encryption_key=key, **FAST) as running:
        yield running
