"""A resident reports through WhatsApp: the same form and words, WhatsApp's limits."""
from __future__ import annotations

from sqlmodel import select

from bot.engine.form_types import Step
from bot.engine.i18n import WIB
from models import Report, Reporter
from tests.helpers.form import ALL_DETAILS, walk_form
from tests.helpers.officers import deliver, make_officer, texts
from tests.helpers.whatsapp import STORY, WA_ID, fill_until_summary


async def test_a_whole_report_through_signed_webhooks_reaches_the_officer(tipbot, graph,
                                                                          resident, emu):
    officer = await make_officer(tipbot, "Budi")
    await resident.say("halo")
    # The welcome is longer than an interactive body: its words first, then the menu.
    assert "Satgas Perlindungan" in resident.texts[-2]
    assert resident.last == "Silakan pilih di bawah ini." and "📝 Buat laporan" in resident.choices
    await walk_form(resident, to=Step.REGION, command="lapor")
    # Fifteen regions and more: a list of ten rows, "Lainnya" for the rest.
    assert "Lainnya" in resident.choices and len(resident.choices) == 10
    summary = await walk_form(resident, start=Step.REGION, story=STORY, **ALL_DETAILS)
    assert "Pak Joko" in summary or "Mohon periksa" in " ".join(resident.texts[-3:])
    await resident.press("📨 Kirim laporan")
    await deliver(tipbot)
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
        reporter = (await session.exec(select(Reporter))).one()
    assert reporter.channel == "whatsapp"
    assert report.category == "calo" and report.region_code == "1871"
    assert report.case_number in resident.last
    card = next(text for text in texts(officer) if "Laporan baru" in text)
    assert "lewat WhatsApp" in card.splitlines()[0]
    assert not any(WA_ID in text for text in texts(officer))
    assert graph.refused == []


async def test_metrics_count_reports_by_channel(tipbot, graph, resident):
    await make_officer(tipbot, "Budi")
    await fill_until_summary(resident)
    await resident.press("📨 Kirim laporan")
    registry = tipbot.app.bot_data.metrics.registry
    assert registry.get_sample_value("tipbot_reports_total", {"channel": "whatsapp"}) == 1
    assert registry.get_sample_value("tipbot_reports_total", {"channel": "telegram"}) == 0


async def test_statistics_and_export_name_the_channel(tipbot, graph, resident):
    from bot.analytics.export import columns, iter_export_rows
    from bot.analytics.period import DateRange
    from bot.analytics.stats import compute_stats
    from bot.render.stats import render_stats

    await make_officer(tipbot, "Budi")
    await fill_until_summary(resident)
    await resident.press("📨 Kirim laporan")
    day = tipbot.clock().astimezone(WIB).date()
    span = DateRange(day, day)
    t = tipbot.services.translator("id")
    async with tipbot.session() as session:
        stats = await compute_stats(session, date_range=span, now=tipbot.clock())
        rows = [row async for row in iter_export_rows(session, date_range=span, t=t,
                                                      labels=tipbot.services.labels)]
    assert stats.by_channel == {"whatsapp": 1} and stats.to_json()["by_channel"] == {"whatsapp": 1}
    shown = "\n".join(render_stats(stats, t, tipbot.services.labels))
    assert "Menurut saluran" in shown and "WhatsApp" in shown
    keys = [key for key, _ in columns(False)]
    assert rows[0][keys.index("channel")] == "WhatsApp"
