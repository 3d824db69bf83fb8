"""Officers and their cases, for any test: officers with shifts, reports filed straight
through the submit path, the sweep and delivery run on demand, and what an officer reads."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlmodel import select

from bot.services.followups import run_sweep
from bot.services.officers import add_officer
from bot.services.reports import submit_report
from bot.services.residents import identify_reporter
from models import Draft, DutyCheckin, Report, RosterShift
from tests.helpers.harness import Person

# The harness clock starts on Saturday 28 Nov 2026, 09:00 WIB.
SATURDAY = 5
FAST = dict(
    unclaimed_reminder_after=timedelta(seconds=60),
    unclaimed_reminder_after_urgent=timedelta(seconds=30),
    escalate_after=timedelta(seconds=300),
    escalate_after_urgent=timedelta(seconds=120),
    stale_case_after=timedelta(seconds=600),
    stale_escalate_after=timedelta(seconds=1800),
    sweep_interval=timedelta(hours=1),   # tests run the sweep themselves
)




CLAIM, DETAILS = "🙋 Ambil kasus", "📄 Rincian"

# The buttons that open another panel of a card or of the details (one tap more).
PANEL_OPENERS = ("⋯ Lainnya", "💬 Balasan cepat", "⋯ More", "💬 Quick replies")


class OfficerPerson(Person):
    """A Telegram user registered as an officer. A press of a button that sits behind
    "More" (or the quick replies) on a card opens that panel first, as the officer would."""

    officer_id: int

    async def press(self, label: str, message=None):
        target = message or self._offering(label)
        if target is not None and label not in dict(target.buttons):
            await self._open_panel_with(target, label)
        return await super().press(label, message)

    def _offering(self, label: str):
        """The newest message offering ``label``, or one that opens a panel."""
        for message in reversed(self.messages):
            labels = dict(message.buttons)
            if label in labels or any(opener in labels for opener in PANEL_OPENERS):
                return message
        return None

    async def _open_panel_with(self, message, label: str) -> None:
        for opener in PANEL_OPENERS:
            if opener in dict(message.buttons):
                self.emu.press(self.user, message, opener)
                await self.emu.settle()
                if label in dict(message.buttons):
                    return
                back = next((text for text, _ in message.buttons if text in ("⬅️ Kembali",
                                                                              "⬅️ Back")), None)
                if back is not None:
                    self.emu.press(self.user, message, back)
                    await self.emu.settle()


async def make_officer(tipbot, name: str, *, role: str = "officer", shift: bool = True,
                       region: str | None = None, weekday: int = SATURDAY,
                       start: int = 8 * 60, end: int = 16 * 60) -> OfficerPerson:
    person = OfficerPerson(tipbot.emu, first_name=name, started=True)
    async with tipbot.session() as session:
        officer = await add_officer(session, telegram_user_id=person.chat_id, name=name, role=role,
                                    now=tipbot.clock())
        if shift:
            session.add(RosterShift(officer_id=officer.id, weekday=weekday, start_minute=start,
                                    end_minute=end, region_code=region))
        await session.commit()
        person.officer_id = officer.id
    return person


async def check_in(tipbot, person: OfficerPerson) -> None:
    async with tipbot.session() as session:
        session.add(DutyCheckin(officer_id=person.officer_id, started_at=tipbot.clock()))
        await session.commit()


async def file_report(tipbot, reporter: Person, *, urgent: bool = False, region: str = "1871",
                      phone: str | None = "+6281234567890", description: str = "Calo menjanjikan "
                      "kerja di Malaysia.", company: str | None = "PT Maju Jaya",
                      delivered: bool = True) -> Report:
    """A report submitted the way the form submits it (hooks included), then delivered
    (``delivered=False``: its rows are left in the outbox)."""
    services = tipbot.services
    async with tipbot.session() as session:
        who = await identify_reporter(session, vault=services.vault, channel="telegram",
                                      user_id=reporter.chat_id, chat_id=reporter.chat_id,
                                      now=tipbot.clock())
        draft = Draft(reporter_id=who.id, step="summary", answers=dict(
            category="calo", urgent=urgent, region=region, description=description,
            suspect_name="Pak Joko", suspect_company=company, suspect_phone=phone))
        session.add(draft)
        await session.flush()
        receipt = await submit_report(session, vault=services.vault, draft=draft, reporter=who,
                                      now=tipbot.clock(), rules=services.routing_rules,
                                      counts=services.counts)
        await session.commit()
    if delivered:
        await deliver(tipbot)
    return receipt.report


async def deliver(tipbot) -> None:
    await tipbot.emu.settle(app=tipbot.app)
    await tipbot.app.bot_data.deliverer.run(wait=True)
    await tipbot.emu.settle(app=tipbot.app)


async def claimed_case(tipbot, emu, officer_name: str = "Budi", **report_fields):
    """An officer who has claimed a resident Siti's new report: (officer, Siti, report)."""
    officer = await make_officer(tipbot, officer_name)
    reporter = Person(emu, first_name="Siti", started=True)
    report = await file_report(tipbot, reporter, **report_fields)
    await officer.press("🙋 Ambil kasus")
    await deliver(tipbot)
    return officer, reporter, report


async def sweep(tipbot) -> int:
    async with tipbot.session() as session:
        queued = await run_sweep(session, tipbot.services, now=tipbot.clock())
        await session.commit()
    await deliver(tipbot)
    return queued


async def reload(tipbot, model, id_):
    async with tipbot.session() as session:
        return await session.get(model, id_)


async def all_rows(tipbot, model):
    async with tipbot.session() as session:
        return list((await session.exec(select(model))).all())


def texts(person: Person) -> list[str]:
    return [m.text or m.caption or "" for m in person.messages]


async def exported_rows(tipbot, admin_name: str = "Ani"):
    """The rows of the CSV an admin gets from /ekspor, by column header. Returns the
    admin with them (the export's other formats are pressed on its offer)."""
    admin = await make_officer(tipbot, admin_name, role="admin", shift=False)
    await admin.say("/ekspor")
    document = await admin.press("CSV")
    table = list(csv.reader(io.StringIO(document.file.decode("utf-8-sig")), delimiter=";"))
    return admin, [dict(zip(table[0], line)) for line in table[1:]]


def first_text(message) -> str:
    """What a message said when it was sent, before any edit."""
    return (message.edits[0]["text"] if message.edits else message.text) or ""


def cards_of(person) -> list:
    """The cards of new cases this person was sent, whatever they say now (a card is
    "Laporan baru" until an officer claims the case)."""
    return [m for m in person.messages if "Laporan baru" in first_text(m)]


def card_of(person):
    """The first case card this person was sent."""
    return cards_of(person)[0]


async def forged_press(emu, person, data: str, chat=None) -> dict:
    """The person's client sends callback data of its own making on the newest bot message
    of their chat (or of ``chat``, a group); returns the bot's answer to the press."""
    message = emu.last(chat.id) if chat is not None else person.last
    message.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}
    person.pressed = emu.press(person.user, message, "x", chat=chat)
    await emu.settle()
    return emu.callback_answer(person.pressed)


async def send_and_claim(tipbot, reporter, officer):
    """The reporter sends the report from its summary and the officer claims it; returns
    the receipt."""
    receipt = await reporter.press("📨 Kirim laporan")
    await claim(tipbot, officer)
    return receipt


async def claim(tipbot, officer) -> None:
    """The new case's card delivered, and the officer claims it from there."""
    await deliver(tipbot)
    await officer.press(CLAIM)
    await deliver(tipbot)
