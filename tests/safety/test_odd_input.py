"""Odd input is bad input with a clear answer, never a crash: Unicode digits, absurd
numbers and ranges, invisible direction characters, live locations."""
from __future__ import annotations

import pytest

from bot.engine.form_types import Step
from bot.services.officers import RosterError, parse_roster
from models import Report
from tests.helpers.form import STORY, walk_form
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, card_of, deliver, make_officer, texts

RLO, PDF, ZWSP, LRI, PDI = "\u202e", "\u202c", "\u200b", "\u2066", "\u2069"


def _id(tipbot):
    return tipbot.services.translator("id")


async def _answer(person, text: str) -> str:
    """Everything the bot said to this message (a problem comes before the question)."""
    before = len(person.messages)
    await person.say(text)
    return "\n".join(person.texts_since(before))


def _no_failure(tipbot, person):
    failure = _id(tipbot)("Sorry, something went wrong on our side. Please try again in a "
                          "moment.")
    return not any(failure in t for t in texts(person))


async def test_unicode_digits_huge_numbers_and_bidi_are_handled_in_the_form(tipbot, emu):
    t = _id(tipbot)
    officer = await make_officer(tipbot, "Budi")
    siti = Person(emu, first_name="Siti", started=True)
    await walk_form(siti, to=Step.LOCATION)
    assert "Telegram mengirim posisi ponsel Anda saat ini" in siti.last.text
    await siti.press("Lewati")
    await siti.say(STORY + RLO)
    await siti.press("➕ Tambah rincian")
    await siti.say(f"Pak {RLO}Jo{PDF}ko{ZWSP}")                 # a reordering trick
    await siti.say("0812-3456-7890")
    await siti.say(f"PT {LRI}Maju{PDI} Jaya")
    await siti.press("Lewati")
    bad_number = t("Please choose a button or type a number, e.g. 7.")
    for odd in ("²", "٣", "３", "99999999999999999999", "9" * 4000, "-3"):
        assert bad_number in await _answer(siti, odd), odd
    await siti.say("3")
    await siti.press("Malaysia")
    bad_date = t("We could not read that date yet. Write it as 15-01-2027 or press "
                 "Not known yet.")
    for odd in ("١٥-٠١-٢٠٢٧", "15-01-²⁰²⁷", "99-99-99999", "01-01-0001"):
        assert bad_date in await _answer(siti, odd), odd
    await siti.say("15-01-2027")
    await walk_form(siti, start=Step.EVIDENCE)
    await siti.press("📨 Kirim laporan")
    await deliver(tipbot)

    [report] = await all_rows(tipbot, Report)
    assert report.suspect_name == "Pak Joko" and report.suspect_company == "PT Maju Jaya"
    assert report.victim_count == 3 and RLO not in report.description
    card = card_of(officer)
    assert "Pak Joko · PT Maju Jaya" in card.text
    assert not any(ch in card.text for ch in (RLO, PDF, ZWSP, LRI, PDI))
    assert _no_failure(tipbot, siti)
    assert emu.violations == []


async def test_crafted_statistics_ranges_are_refused_not_crashed(tipbot, emu):
    t = _id(tipbot)
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    bad = t("I could not read that period. Examples: /statistik, /statistik 30, "
            "/statistik hari-ini, /statistik 01-11-2026 28-11-2026")
    for words in ("99-99-99999 01-01-0001", "01-01-0001 01-01-0001", "31-12-9999 31-12-9999",
                  "²", "٣٠", "9" * 4000, "01-01-0001 31-12-9999"):
        assert bad in await _answer(admin, f"/statistik {words}"), words
    before = len(admin.messages)
    for forged in ("a:stats:00010101-00010101", "a:chart:99991231-99991231",
                   "a:export:00010101-99991231:csv"):
        admin.last.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": forged}]]}
        emu.press(admin.user, admin.last, "x")
        await emu.settle()
    assert len(admin.messages) == before and _no_failure(tipbot, admin)
    assert emu.unanswered_callbacks == []
    assert emu.violations == []


async def test_a_live_location_gives_its_first_fix_and_its_updates_are_not_answered(tipbot, emu):
    siti = Person(emu, first_name="Siti", started=True)
    await walk_form(siti, to=Step.LOCATION)
    update = emu._from_user(siti.user, None, "location", extra={"location": {
        "latitude": -5.4292, "longitude": 105.2610, "live_period": 900}})
    await emu.settle()
    asked = siti.last.text
    assert "Ceritakan" in asked or "apa yang terjadi" in asked.lower()
    seen = len(siti.messages)
    chat = emu.chats[siti.chat_id]
    message = emu._resolve_message(chat, update["message"]["message_id"])
    for step in range(1, 4):                  # the phone moves on: Telegram edits the message
        message.extra["location"] = {"latitude": -5.4292 + step / 100, "longitude": 105.2610,
                                     "live_period": 900}
        message.edit_date = message.date + step * 60
        emu._queue("edited_message", message.to_dict())
        await emu.settle()
    assert len(siti.messages) == seen
    await siti.say(STORY)
    async with tipbot.session() as session:
        from bot.services.drafts import load_draft
        from models import Reporter
        [reporter] = await all_rows(tipbot, Reporter)
        draft = await load_draft(session, reporter.id)
    from bot.services.drafts import all_answers
    assert all_answers(draft, tipbot.services.vault)["latitude"] == -5.4292
    assert emu.violations == []


def test_roster_weekday_in_unicode_digits_is_a_clear_error():
    with pytest.raises(RosterError, match="line 2"):
        parse_roster("telegram_id,weekday,start,end\n111,²,08:00,16:00\n")
    with pytest.raises(RosterError, match="line 2"):
        parse_roster("telegram_id,weekday,start,end\n111,٣,08:00,16:00\n")


async def test_an_officer_name_with_direction_controls_is_stored_clean(tipbot, emu):
    officer = await make_officer(tipbot, f"Bu{RLO}di{PDF}")
    from models import Officer
    stored = [o for o in await all_rows(tipbot, Officer) if o.id == officer.officer_id][0]
    assert stored.name == "Budi"
