from datetime import datetime, timezone

from sqlmodel import select

from models import Officer


async def test_datetimes_come_back_in_utc(session):
    moment = datetime(2026, 11, 28, 0, 30, tzinfo=timezone.utc)
    session.add(Officer(telegram_user_id=5_000_000_001, name="Andi", created_at=moment))
    await session.commit()
    officer = (await session.exec(select(Officer))).one()
    assert officer.created_at == moment
    assert officer.created_at.tzinfo is not None
