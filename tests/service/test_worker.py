"""Long admin work runs in a worker thread on its own engine, never on the bot's loop."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from sqlalchemy import func
from sqlmodel import select

from bot.analytics.worker import run_in_worker
from models import Report
from tests.helpers.analytics import make_report


async def test_work_runs_in_another_thread_on_the_same_database(engine, session, database_url):
    await make_report(session, created_at=datetime(2026, 11, 28, 1, tzinfo=timezone.utc))
    await session.commit()
    loop_thread = threading.get_ident()

    async def count(worker_session):
        assert threading.get_ident() != loop_thread
        return (await worker_session.exec(select(func.count()).select_from(Report))).one()

    assert await run_in_worker(database_url, count) == 1
