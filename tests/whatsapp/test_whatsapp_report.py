"""A resident reports through WhatsApp: the same form and words, WhatsApp's limits."""
from __future__ import annotations

from sqlmodel import select

from models import Report, Reporter
from tests.officers.conftest import deliver, make_officer, texts
from tests.whatsapp.conftest import WA_ID

STORY = "Seorang calo menjanjikan pekerjaan di pabrik Malaysia dengan gaji besar."


async def fill_until_summary(resident):
    await resident.say("lapor")
    await resident.press("Perekrut tanpa izin (calo)")
    await resident.press("Tidak")
    # Fifteen regions and more: a list of ten rows, "Lainnya" for the rest.
    assert "Lainnya" in resident.choices and len(resident.choices) == 10
    await resident.pick("Bandar Lampung")
    await resident.press("Lewati")
    await resident.say(STORY)
    await resident.press("➕ Tambah rincian")          # the details after the essentials
    await resident.say("Pak Joko")
    await resident.say("0812-3456-7890")
    await resident.say("PT Maju Jaya")
    await resident.press("Lewati")
    await resident.press("3")
    await resident.press("Malaysia")
    await resident.say("15-01-2027")
    await resident.press("✅ Selesai")
    await resident.press("Tetap anonim")
    return resident.last


async def test_a_whole_report_through_signed_webhooks_reaches_the_officer(tipbot, graph,
                                                                          resident, emu):
    officer = await make_officer(tipbot, "Budi")
    await resident.say("halo")
    # The welcome is longer than an interactive body: its words first, then the menu.
    assert "Satgas Perlindungan" in resident.texts[-2]
    assert resident.last == "Silakan pilih di bawah ini." and "📝 Buat laporan" in resident.choices
    summary = await fill_until_summary(resident)
    assert "Pak Joko" in summary or "Mohon periksa" in " ".join(resident.texts[-3:])
    await resident.press("📨 Kirim laporan")
    await deliver(tipbot)
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
        reporter = (await session.exec(select(Reporter))).one()
    assert reporter.channel == "whatsapp"
    assert report.category == "calo" and report.region_code == "1871"
    assert report.case_number in resident.last
    assert any("Laporan baru" in text for text in texts(officer))
    assert not any(WA_ID in text for text in texts(officer))
    assert graph.refused == []


async def test_metrics_count_reports_by_channel(tipbot, graph, resident):
    await make_officer(tipbot, "Budi")
    await fill_until_summary(resident)
    await resident.press("📨 Kirim laporan")
    registry = tipbot.app.bot_data.metrics.registry
    assert registry.get_sample_value("tipbot_reports_total", {"channel": "whatsapp"}) == 1
    assert registry.get_sample_value("tipbot_reports_total", {"channel": "telegram"}) == 0
