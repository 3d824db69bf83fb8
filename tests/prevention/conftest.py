"""Fixtures for the prevention tools: a running bot with the sample register loaded."""
from __future__ import annotations

import pytest

from bot.prevention.register import import_register
from tests.harness import Person, start_bot, stop_bot
from tests.officers.conftest import key  # noqa: F401  (fixture)
from tests.prevention.factories import register_csv


@pytest.fixture
async def tipbot(emu, engine, data_dir):
    running = await start_bot(emu, engine, data_dir,
                              agency_advice_contacts="KP2MI=0800-1000;BP3MI Lampung=0721-000000")
    emu.attach(running.app)
    async with running.session() as session:
        await import_register(session, text=register_csv(), now=running.clock())
        await session.commit()
    yield running
    await stop_bot(running)
    assert emu.violations == []


@pytest.fixture
def resident(emu):
    return Person(emu, first_name="Siti", language_code="id")
