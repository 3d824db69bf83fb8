"""An answer is stored by one UPDATE of the draft's row, with nothing left for the ORM to
flush at commit (bot/services/drafts.save_state); what is stored is the form's new state,
the reporter's name encrypted, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from cryptography.fernet import Fernet
from sqlalchemy import event

from bot.engine.form import Limits, Pick, Typed
from bot.engine.regions import load_regions
from bot.services.drafts import all_answers, start_draft
from bot.services.form_flow import answer_form
from bot.services.residents import identify_reporter
from bot.services.routing import RoutingRules
from bot.storage.crypto import Vault
from bot.storage.evidence import EvidenceStore
from models import Draft

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)
LIMITS = Limits(regions=load_regions(), today=date(2026, 11, 28))
RULES = RoutingRules(alerts_per_minute=30, page_interval=timedelta(hours=1),
                     taskforce_chat_id=-1001234567890)


async def test_an_answer_is_one_update_and_leaves_nothing_to_flush(session_factory, engine,
                                                                     tmp_path):
    vault = Vault(Fernet.generate_key())
    store = EvidenceStore(vault)
    async with session_factory() as session:
        reporter = await identify_reporter(session, vault=vault, channel="telegram",
                                           user_id=7, chat_id=7, now=NOW)
        draft = await start_draft(session, reporter_id=reporter.id, now=NOW)
        await session.commit()

        seen: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            if conn is connection:
                seen.append(statement)

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            answers = [Pick("calo"), Pick("no"), Typed("metro"), Pick("skip"),
                       Typed("Ada calo di desa kami yang menjanjikan kerja di Malaysia."),
                       Pick("more"), Pick("skip"), Pick("skip"), Pick("skip"), Pick("skip"), Typed("3"),
                       Pick("skip"), Pick("skip"), Pick("done"), Pick("contact"),
                       Typed("Siti Aminah")]
            later = NOW
            for answer in answers:
                later += timedelta(minutes=1)
                connection = (await session.connection()).sync_connection
                seen.clear()
                result = await answer_form(session, draft=draft, reporter=reporter,
                                           answer=answer, limits=LIMITS, store=store,
                                           vault=vault, download=None, now=later, rules=RULES)
                assert result.problem is None, (result.state.step, answer)
                assert len(seen) == 1 and seen[0].startswith("UPDATE drafts"), seen
                assert not session.is_modified(draft) and not session.dirty
                seen.clear()
                await session.commit()
                assert seen == []                 # the commit had nothing to flush
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)

    async with session_factory() as session:
        stored = await session.get(Draft, draft.id)
        assert stored.step == result.state.step.value == "contact_phone"
        assert stored.history == [step.value for step in result.state.history]
        assert stored.updated_at == later
        assert "contact_name" not in stored.answers and "Siti" not in json.dumps(stored.answers)
        assert "Siti" not in (stored.secret_enc or "")
        assert all_answers(stored, vault) == result.state.answers
        assert all_answers(stored, vault)["contact_name"] == "Siti Aminah"
