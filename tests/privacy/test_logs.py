"""LOG_LEVEL=DEBUG turns up the project's own loggers only: a whole report, a file with
EXIF, a caption and a claim leave no Telegram id, answer, caption or EXIF tag in the log."""
from __future__ import annotations

import logging

import pytest

from bot.logs import OWN_LOGGERS, THIRD_PARTY_LOGGERS, configure_logging
from tests.helpers.harness import Person
from tests.helpers.privacy import AUTHOR, photo_document
from tests.helpers.form import walk_form
from tests.helpers.officers import deliver, make_officer, send_and_claim

STORY = "Calo bernama Pak Wiryoatmojo menjanjikan kerja di Taiwan tanpa biaya sama sekali."
SUSPECT = "Wiryoatmojo Kusumobroto"
CAPTION = "foto rumah Pak Wiryoatmojo di Kedaton"


@pytest.fixture
def debug_logging():
    """configure_logging("DEBUG") for one test; every logger's level restored after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = set(logging.root.manager.loggerDict) | set(OWN_LOGGERS) | set(THIRD_PARTY_LOGGERS)
    levels = {name: logging.getLogger(name).level for name in names}
    configure_logging("DEBUG")
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def test_libraries_stay_at_warning_whatever_log_level_says(debug_logging):
    assert logging.getLogger("bot.services.followups").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("handlers.resident").isEnabledFor(logging.DEBUG)
    for name in ("aiosqlite", "sqlalchemy.engine.Engine", "PIL.TiffImagePlugin", "httpx",
                 "httpcore.http11", "telegram.ext.Application", "apscheduler.scheduler",
                 "asyncio", "uvicorn.error", "asyncpg", "some.library.nobody.listed"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name


async def test_a_whole_report_at_debug_logs_no_personal_data(debug_logging, caplog, tipbot,
                                                             emu):
    officer = await make_officer(tipbot, "Budi")
    person = Person(emu, first_name="Lastri")
    await walk_form(person, pin=dict(latitude=-5.397140, longitude=105.266792), story=STORY,
                    suspect_name=SUSPECT, files=(photo_document(CAPTION),))
    await send_and_claim(tipbot, person, officer)
    await person.say("Saya lupa, Pak Wiryoatmojo juga membawa paspor kami.")
    await deliver(tipbot)

    records = list(caplog.records)
    assert not any(r.levelno < logging.WARNING and not r.name.startswith(OWN_LOGGERS)
                   for r in records), {r.name for r in records}
    text = "\n".join(_everything(r) for r in records)
    for needle in (str(person.chat_id), str(officer.chat_id), "Wiryoatmojo", "Kusumobroto",
                   "Kedaton", AUTHOR, "Sulastri", "Redmi", "5.39714", "105.26679"):
        assert needle not in text, needle

    # The search would see them: with SQLAlchemy's logger let through, the statements'
    # parameters (here the officer's Telegram id) are in the log at once.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    await officer.say("/kasus")
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert str(officer.chat_id) in "\n".join(_everything(r) for r in caplog.records)


def _everything(record: logging.LogRecord) -> str:
    """The line as formatted, and its raw arguments too (a JSON formatter could show them)."""
    try:
        message = record.getMessage()
    except Exception:       # a record whose arguments do not fit its format
        message = str(record.msg)
    return f"{record.name} {message} {record.args!r}"
