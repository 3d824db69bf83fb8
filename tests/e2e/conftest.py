import pytest

from tests.harness import Person, start_bot, stop_bot


@pytest.fixture
async def tipbot(emu, engine, data_dir):
    running = await start_bot(emu, engine, data_dir)
    yield running
    await stop_bot(running)
    assert emu.violations == []


@pytest.fixture
def resident(emu):
    return Person(emu, first_name="Siti", language_code="id")
