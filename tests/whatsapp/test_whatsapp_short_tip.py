"""The shortest tip through WhatsApp: the same steps as on Telegram (the step table), in
seven actions; the emergency numbers in a message of their own; "I know nothing about the
recruiter" passes over the whole group."""
from __future__ import annotations

from sqlmodel import select

from bot.engine.form_types import Step
from models import Report
from tests.helpers.form import walk_form
from tests.helpers.whatsapp import STORY


async def test_an_urgent_tip_in_seven_actions(tipbot, graph, resident):
    await walk_form(resident, to=Step.REGION, command="lapor",
                    category="Dugaan perdagangan orang (TPPO)", urgent=True)
    numbers = [text for text in resident.texts if "110" in text and "0800-1000" in text]
    assert len(numbers) == 1 and "Di mana kejadiannya" not in numbers[0]
    await walk_form(resident, start=Step.REGION, to=Step.SEND_OR_ADD, story=STORY)
    assert {"📨 Kirim sekarang", "➕ Tambah rincian"} <= set(resident.choices)
    await resident.press("📨 Kirim sekarang")                   # the seventh action
    async with tipbot.services.sessions() as session:
        report = (await session.exec(select(Report))).one()
    assert report.urgent and report.description == STORY and not report.contactable


async def test_nothing_known_about_the_recruiter_on_whatsapp(tipbot, graph, resident):
    await walk_form(resident, to=Step.SUSPECT_NAME, command="lapor", story=STORY)
    [nothing_known] = [c for c in resident.choices if c.startswith("Saya tidak tahu")]
    victims = await resident.press(nothing_known)          # name, phone, company, social
    assert "Berapa orang" in victims
