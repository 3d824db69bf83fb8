"""Answering a press (answerCallbackQuery) is best-effort: a 5xx on the answer to the
submit press leaves the report submitted and the resident told, as if it had worked."""
from __future__ import annotations

from sqlmodel import select

from models import Draft, Report
from tests.helpers.form import ALL_DETAILS, walk_form

SEND = "📨 Kirim laporan"


async def test_a_5xx_on_the_submit_press_answer_still_submits_and_tells_the_resident(
        tipbot, emu, resident, caplog):
    await walk_form(resident, **ALL_DETAILS)
    emu.fail_next("answerCallbackQuery", 502)
    await resident.press(SEND)
    assert any("answerCallbackQuery: injected 502" in e for e in emu.errors)
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
        assert (await session.exec(select(Draft))).first() is None
    told = "\n".join(m.text or "" for m in resident.messages)
    assert report.case_number in told and "Nomor kasus" in told
    failed = [r.getMessage() for r in caplog.records if "button press failed" in r.getMessage()]
    assert failed and all("Siti" not in line for line in failed)

