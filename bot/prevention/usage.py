"""The offer check's verdict and a guide page, as use cases that leave only a count."""
from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.prevention import counts
from bot.prevention.guide import Guide, GuidePage
from bot.prevention.offer import Risk, verdict

GUIDE_INDEX = "index"


async def offer_checked(session: AsyncSession, *, answers: str, now: datetime) -> Risk:
    """The verdict of a finished check; only the verdict's count is kept."""
    risk = verdict(answers)
    await counts.count_use(session, kind=counts.OFFER_CHECK, outcome=risk.value, now=now)
    return risk


async def guide_viewed(session: AsyncSession, *, guide: Guide, key: str,
                       now: datetime) -> GuidePage | None:
    """The page asked for (None: the index, also for a key the guide no longer has)."""
    page = guide.page(key)
    outcome = page.key if page else GUIDE_INDEX
    await counts.count_use(session, kind=counts.GUIDE_VIEW, outcome=outcome, now=now)
    return page
