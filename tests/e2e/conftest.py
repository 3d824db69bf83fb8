import pytest

from tests.helpers.harness import Person, running_bot


@pytest.fixture
async def tipbot(emu, engine, data_dir):
    """The bot as it starts by default (its own key, the usual timers)."""
    async with running_bot(emu, engine, data_dir) as running:
        yield running


@pytest.fixture
def resident(emu):
    return Person(emu, first_name="Siti", language_code="id")
