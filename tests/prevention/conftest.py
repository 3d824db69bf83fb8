"""Fixtures for the prevention tools: a running bot with the sample register loaded."""
from __future__ import annotations

import pytest

from bot.prevention.register import import_register
from tests.helpers.harness import Person, running_bot
from tests.helpers.officers import FAST
from tests.helpers.register import register_csv


@pytest.fixture
async def tipbot(emu, engine, data_dir, key):
    async with running_bot(emu, engine, data_dir, encryption_key=key, **FAST,
                           agency_advice_contacts="KP2MI=0800-1000;BP3MI Lampung=0721-000000",
                           ) as running:
        async with running.session() as session:
            await import_register(session, text=register_csv(), now=running.clock())
            await session.commit()
        yield running


@pytest.fixture
def resident(emu):
    return Person(emu, first_name="Siti", language_code="id")
