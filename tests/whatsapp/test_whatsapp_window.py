"""The relay both ways, and WhatsApp's 24-hour window: outside it the neutral template
goes, and the officer's words when the resident replies."""
from __future__ import annotations

from sqlmodel import select

from models import Outbox, Report
from tests.helpers.officers import all_rows, deliver, texts
from tests.helpers.whatsapp import TEMPLATE, WA_ID, claimed


async def officer_writes(tipbot, officer, text):
    await officer.press("✉️ Kirim pesan ke pelapor")
    await officer.say(text)
    await deliver(tipbot)


async def test_relay_both_ways_inside_the_window(tipbot, graph, resident):
    officer = await claimed(tipbot, resident)
    assert "sedang ditangani" in resident.last
    await officer_writes(tipbot, officer, "Apakah Anda tahu alamat kantor PT Maju Jaya?")
    await graph.settle()
    assert "Apakah Anda tahu alamat kantor PT Maju Jaya?" in resident.last
    assert "Budi" not in resident.last
    await resident.say("Di Jalan Kartini 12, Bandar Lampung.")
    assert "Di Jalan Kartini 12" in texts(officer)[-1]
    assert "sudah kami teruskan" in resident.last
    assert not any(WA_ID in text for text in texts(officer))
    assert graph.refused == []


async def test_outside_the_window_the_template_goes_then_the_words_after_the_reply(
        tipbot, graph, resident):
    officer = await claimed(tipbot, resident)
    tipbot.clock.advance(hours=25)
    await officer_writes(tipbot, officer, "Mohon hubungi kami kembali.")
    await officer_writes(tipbot, officer, "Kami punya kabar soal PT Maju Jaya.")
    await graph.settle()
    # One template (naming nothing), the words held.
    assert resident.texts[-1] == f"[template {TEMPLATE}]"
    assert resident.texts.count(f"[template {TEMPLATE}]") == 1
    assert not any("Mohon hubungi" in text for text in resident.texts)
    template = graph.last_to(WA_ID)["template"]
    assert template["language"]["code"] == "id" and not template.get("components")
    async with tipbot.session() as session:
        held = (await session.exec(select(Outbox).where(Outbox.status == "pending"))).all()
    assert len(held) == 2 and all(row.attempts == 0 for row in held)
    # The resident answers: the window opens, the words go, in order.
    await resident.say("Ya, ada apa?")
    words = resident.texts
    first = next(i for i, text in enumerate(words) if "Mohon hubungi kami kembali." in text)
    second = next(i for i, text in enumerate(words) if "Kami punya kabar" in text)
    assert first < second
    assert "Ya, ada apa?" in texts(officer)[-1]
    assert graph.refused == []


async def test_a_failed_status_for_the_window_is_treated_the_same(tipbot, graph, resident):
    officer = await claimed(tipbot, resident)
    # Meta's answer accepts; its "failed" callback says 131047 (our clock thought it open).
    graph.window_refusal = "status"
    graph.last_inbound[WA_ID] = tipbot.clock() - __import__("datetime").timedelta(hours=30)
    await officer_writes(tipbot, officer, "Apakah Anda masih di Bandar Lampung?")
    await graph.settle()
    await deliver(tipbot)
    await graph.settle()
    assert resident.texts[-1] == f"[template {TEMPLATE}]"
    async with tipbot.session() as session:
        rows = (await session.exec(select(Outbox).where(Outbox.reporter_id != None))).all()  # noqa: E711
    assert any(row.status == "failed" and "131047" in (row.last_error or "") for row in rows)
    assert any(row.status == "pending" for row in rows)
    await resident.say("Masih.")
    assert "Apakah Anda masih di Bandar Lampung?" in " ".join(resident.texts[-3:])


async def test_a_message_after_the_case_is_closed_is_told_so_and_reaches_no_one(
        tipbot, graph, resident):
    officer = await claimed(tipbot, resident)
    await officer.press("✅ Selesai ditangani", officer.message_with_button("✅ Selesai ditangani"))
    await officer.press("⏭️ Tanpa alasan", officer.message_with_button("⏭️ Tanpa alasan"))
    await deliver(tipbot)
    [report] = await all_rows(tipbot, Report)
    before = len(texts(officer))
    reply = await resident.say("Apakah ada kabar tentang laporan saya?")
    assert f"Laporan Anda {report.case_number} sudah ditutup" in reply
    await deliver(tipbot)
    assert not any("Apakah ada kabar" in text for text in texts(officer)[before:])
