"""A resident's message is looked up in one statement: the reporter, their draft, whether
they are an active officer (whose typed input goes first) and whether an officer wrote to
them lately; and whoever `tipbot officer add` registers meanwhile is heard as an officer at
once (no cache), on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from cryptography.fernet import Fernet
from sqlalchemy import event

from bot.engine.domain import EventKind, Status
from bot.services.cases import RECENT_CONVERSATION
from bot.services.drafts import start_draft
from bot.services.officers import add_officer, deactivate_officer
from bot.services.residents import arrive, identify_reporter
from bot.storage.crypto import Vault
from models import CaseEvent, Report
from tests.helpers.harness import Person

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)
USER = 424242


class Statements:
    """The statements run on the session's connection (nothing else counts)."""

    def __init__(self, session):
        self.session = session
        self.connection = None
        self.seen: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if conn is self.connection:
            self.seen.append(statement)

    async def arrive(self, **kwargs):
        """arrive() as the only statements counted, on the connection it will use."""
        self.connection = (await self.session.connection()).sync_connection
        self.seen.clear()
        return await arrive(self.session, **kwargs)


async def test_a_message_is_looked_up_in_one_statement_with_both_checks(session, engine):
    vault = Vault(Fernet.generate_key())
    reporter = await identify_reporter(session, vault=vault, channel="telegram", user_id=USER,
                                       chat_id=USER, now=NOW)
    draft = await start_draft(session, reporter_id=reporter.id, now=NOW)
    await session.commit()

    statements = Statements(session)
    event.listen(engine.sync_engine, "before_cursor_execute", statements)
    try:
        arrival = await statements.arrive(vault=vault, channel="telegram", user_id=USER,
                                          chat_id=USER, now=NOW, checks=True)
        assert len(statements.seen) == 1
        assert (arrival.reporter.id, arrival.draft.id) == (reporter.id, draft.id)
        assert not arrival.officer and not arrival.officer_wrote_lately

        # Registered as an officer, and written to about an open case by one: both known.
        officer = await add_officer(session, telegram_user_id=USER, name="Budi", now=NOW)
        report = Report(case_number="LPG-2026-TEST1", followup_hash="f" * 64, category="calo",
                        region_code="1871", reporter_id=reporter.id, assignee_id=officer.id,
                        status=Status.IN_PROGRESS.value)
        session.add(report)
        await session.flush()
        session.add(CaseEvent(report_id=report.id, at=NOW - timedelta(hours=1),
                              kind=EventKind.TO_REPORTER, officer_id=officer.id))
        await session.commit()
        arrival = await statements.arrive(vault=vault, channel="telegram", user_id=USER,
                                          chat_id=USER, now=NOW, checks=True)
        assert len(statements.seen) == 1
        assert arrival.officer and arrival.officer_wrote_lately

        # Without checks (a button), neither is asked.
        arrival = await arrive(session, vault=vault, channel="telegram", user_id=USER,
                               chat_id=USER, now=NOW)
        assert not arrival.officer and not arrival.officer_wrote_lately

        # Lately means within RECENT_CONVERSATION; a closed case or a departed officer
        # does not count.
        later = NOW + RECENT_CONVERSATION
        arrival = await arrive(session, vault=vault, channel="telegram", user_id=USER,
                               chat_id=USER, now=later, checks=True)
        assert not arrival.officer_wrote_lately
        await deactivate_officer(session, telegram_user_id=USER, now=NOW)
        await session.commit()
        arrival = await arrive(session, vault=vault, channel="telegram", user_id=USER,
                               chat_id=USER, now=NOW, checks=True)
        assert not arrival.officer and not arrival.officer_wrote_lately
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", statements)


async def test_first_contact_of_an_officer_is_known_as_one(session):
    vault = Vault(Fernet.generate_key())
    await add_officer(session, telegram_user_id=USER, name="Budi", now=NOW)
    await session.commit()
    arrival = await arrive(session, vault=vault, channel="telegram", user_id=USER,
                           chat_id=USER, now=NOW, checks=True)
    assert arrival.reporter.id is not None and arrival.draft is None
    assert arrival.officer and not arrival.officer_wrote_lately


HINT = "Apa yang ingin Anda lakukan?"


async def test_an_officer_registered_while_the_bot_runs_is_heard_as_one_at_once(tipbot, emu):
    budi = Person(emu, first_name="Budi", started=True)
    assert HINT in (await budi.say("halo")).text
    # `tipbot officer add` in another process: the running bot reads nothing cached.
    async with tipbot.session() as session:
        await add_officer(session, telegram_user_id=budi.chat_id, name="Budi",
                          now=tipbot.clock())
        await session.commit()
    assert "Perintah petugas" in (await budi.say("halo")).text
    async with tipbot.session() as session:
        await deactivate_officer(session, telegram_user_id=budi.chat_id, now=tipbot.clock())
        await session.commit()
    assert HINT in (await budi.say("halo lagi")).text
    assert emu.violations == []


async def test_a_resident_stored_under_a_key_being_rotated_out_is_found_and_moved(session):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    first = await identify_reporter(session, vault=Vault(old), channel="telegram",
                                    user_id=USER, chat_id=USER, now=NOW)
    await start_draft(session, reporter_id=first.id, now=NOW)
    await session.commit()
    both = Vault(f"{new},{old}")
    assert len(both.lookup_hashes("telegram", USER)) > len(Vault(old).lookup_hashes("telegram", USER))
    arrival = await arrive(session, vault=both, channel="telegram", user_id=USER, chat_id=USER,
                           now=NOW, checks=True)
    assert arrival.reporter.id == first.id and arrival.draft is not None
    await session.commit()
    assert arrival.reporter.lookup_hash == Vault(new).lookup_hash("telegram", USER)
    # The new key alone finds the moved row; an unknown person is a new reporter.
    again = await arrive(session, vault=Vault(new), channel="telegram", user_id=USER,
                         chat_id=USER, now=NOW)
    assert again.reporter.id == first.id and again.draft is not None
    stranger = await arrive(session, vault=Vault(new), channel="telegram", user_id=USER + 1,
                            chat_id=USER + 1, now=NOW)
    assert stranger.reporter.id != first.id and stranger.draft is None
