"""/riwayat: a case's events with who and when, and its rendering."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.analytics.timeline import case_timeline, normalize_case_number
from bot.engine.i18n import get_translator
from bot.engine.labels import Labels
from bot.engine.regions import load_regions
from bot.render.stats import render_timeline
from tests.helpers.analytics import add_event, make_officer, make_report, utc

T0 = utc(2026, 11, 27, 17, 30)   # 28 Nov 00:30 WIB


@pytest.fixture
async def case(session):
    andi = await make_officer(session, "Andi <Koordinator>")
    budi = await make_officer(session, "Budi", role="supervisor")
    report = await make_report(session, created_at=T0, case_number="LPG-2611-K7Q4M",
                               status="in_progress", assignee=andi, category="calo",
                               region_code="1804")
    # Inserted out of order on purpose: the timeline sorts by time.
    await add_event(session, report, "claimed", T0 + timedelta(minutes=12), andi)
    await add_event(session, report, "created", T0, urgent=False)
    await add_event(session, report, "alerted", T0 + timedelta(seconds=3), officers=4)
    await add_event(session, report, "reminder", T0 + timedelta(minutes=10))
    await add_event(session, report, "note", T0 + timedelta(hours=1), andi,
                    text="Nomor <b>calo</b> aktif & sering ganti akun")
    await add_event(session, report, "to_reporter", T0 + timedelta(hours=2), andi)
    await add_event(session, report, "from_reporter", T0 + timedelta(hours=3))
    await add_event(session, report, "escalation", T0 + timedelta(hours=4))
    await add_event(session, report, "status", T0 + timedelta(hours=5), budi,
                    to="in_progress", **{"from": "claimed"})
    await session.commit()
    return report


def test_typed_case_numbers_are_normalized():
    assert normalize_case_number(" lpg 2611 k7q4m ") == "LPG-2611-K7Q4M"
    assert normalize_case_number("LPG2611K7Q4M") == "LPG-2611-K7Q4M"
    assert normalize_case_number("lpg-2611-k7q4m") == "LPG-2611-K7Q4M"


async def test_timeline_lists_events_in_order_with_who(session, case):
    timeline = await case_timeline(session, case_number="lpg-2611-k7q4m")
    assert timeline.case_number == "LPG-2611-K7Q4M"
    assert timeline.assignee_name == "Andi <Koordinator>"
    assert [e.kind for e in timeline.entries] == [
        "created", "alerted", "reminder", "claimed", "note", "to_reporter", "from_reporter",
        "escalation", "status"]
    assert [e.officer_name for e in timeline.entries][3:6] == ["Andi <Koordinator>"] * 3
    assert timeline.entries[0].officer_name is None
    assert timeline.entries[0].at == T0
    assert timeline.entries[-1].detail == {"to": "in_progress", "from": "claimed"}
    by_id = await case_timeline(session, report_id=case.id, limit=3)
    assert [e.kind for e in by_id.entries] == ["from_reporter", "escalation", "status"]
    assert by_id.total_entries == 9


async def test_unknown_case_gives_none(session, case):
    assert await case_timeline(session, case_number="LPG-0000-XXXXX") is None
    with pytest.raises(ValueError):
        await case_timeline(session)


async def test_rendered_timeline_escapes_and_uses_wib(session, case):
    timeline = await case_timeline(session, report_id=case.id)
    messages = render_timeline(timeline, get_translator("id"), Labels(load_regions()), related=["LPG-2610-AAAAA"])
    text = "\n".join(messages)
    assert "Riwayat kasus LPG-2611-K7Q4M" in text
    assert "Andi &lt;Koordinator&gt;" in text and "<Koordinator>" not in text
    assert "Nomor &lt;b&gt;calo&lt;/b&gt; aktif &amp; sering ganti akun" in text
    assert "28 Nov 2026 00.30 WIB" in text
    assert "Kasus terkait: LPG-2610-AAAAA" in text
    assert "pelapor" in text and "sistem" in text
    assert all(len(m) <= 4096 for m in messages)
