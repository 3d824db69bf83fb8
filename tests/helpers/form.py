"""A resident walking the report form as a person does, to any step: the one walk the
tests share. Buttons are found by the words the person reads (from the catalogs, in the
person's language); answers not given are skipped the way a resident skips them."""
from __future__ import annotations

from typing import Any

from bot.engine.domain import Category
from bot.engine.form import STEPS
from bot.engine.form_types import Step
from bot.engine.i18n import get_translator
from bot.engine.labels import CATEGORY_LABELS

STORY = "Ada calo di desa kami yang menjanjikan kerja di Malaysia tanpa biaya apa pun."

# Every optional detail answered: the report the officers' cards and exports are checked on.
ALL_DETAILS = dict(suspect_name="Pak Joko", suspect_phone="0812-3456-7890",
                   suspect_company="PT Maju Jaya", victims="3", destination="Malaysia",
                   departure="15-01-2027")
# What the complete report adds: a photo, and a reporter who may be contacted.
FAKE_PHOTO = {"kind": "photo", "data": b"\xff\xd8\xff\xe0fake-jpeg-bytes"}
SITI = ("Siti", "0811 2233 4455")
# The questions about the recruiter, which "I know nothing about the recruiter" skips.
SUSPECT_STEPS = (Step.SUSPECT_NAME, Step.SUSPECT_PHONE, Step.SUSPECT_COMPANY, Step.SUSPECT_SOCIAL)


async def walk_form(person, to: Step = Step.SUMMARY, *, start: Step | None = None,
                    lang: str = "id", command: str = "/lapor", category: str | None = None,
                    urgent: bool = False, region: str = "Bandar Lampung",
                    pin: dict[str, float] | None = None, story: str = STORY,
                    send_now: bool = False, suspect_name: str | None = None,
                    suspect_phone: str | None = None, suspect_company: str | None = None,
                    suspect_social: str | None = None, victims: str | None = None,
                    destination: str | None = None, destination_other: str | None = None,
                    departure: str | None = None, files: tuple[dict[str, Any], ...] = (),
                    contact: tuple[str, str] | None = None):
    """Answer the form from ``start`` (default: ``command``, then the first question) until
    the question ``to`` is asked, and return the last message the person got.

    ``person`` says, presses and sends (a Telegram ``Person`` or a ``WhatsAppResident``;
    long lists are picked from with ``pick`` where the person has it). A detail left at None
    is skipped; with no suspect detail at all, the whole section is skipped in one tap.
    ``files`` are keyword arguments of ``person.send``; ``contact`` is (name, phone), or None
    to stay anonymous. ``send_now`` sends the report from the offer after the story.
    """
    t = get_translator(lang)
    given = dict(suspect_name=suspect_name, suspect_phone=suspect_phone,
                 suspect_company=suspect_company, suspect_social=suspect_social)
    pick = getattr(person, "pick", person.press)
    order = list(STEPS.order)
    if start is None:
        await person.say(command)
        start = order[0]
    # Nothing known of the recruiter: one tap at the section's first question skips it all.
    skip_suspect = not any(given.values()) and order.index(start) <= order.index(SUSPECT_STEPS[0])
    asked = {Step.DESTINATION_OTHER: destination == t("Another country"),
             Step.CONTACT_NAME: contact is not None, Step.CONTACT_PHONE: contact is not None,
             **{step: not skip_suspect for step in SUSPECT_STEPS[1:]}}
    for step in order[order.index(start):]:
        if not asked.get(step, True):
            continue
        if step == to:
            return person.last
        if step == Step.CATEGORY:
            await person.press(category or t(CATEGORY_LABELS[Category.CALO]))
        elif step == Step.URGENCY:
            await person.press(t("Yes, someone is in danger") if urgent else t("No"))
        elif step == Step.REGION:
            await pick(region)
        elif step == Step.LOCATION:
            await (person.send("location", **pin) if pin else person.press(t("Skip")))
        elif step == Step.DESCRIPTION:
            await person.say(story)
        elif step == Step.SEND_OR_ADD:
            if send_now:
                await person.press(t("📨 Send now"))
                if to != Step.SUMMARY:
                    raise AssertionError(f"the report was sent before {to} was asked")
                return person.last
            await person.press(t("➕ Add details"))
        elif step == Step.SUSPECT_NAME and skip_suspect:
            await person.press(t("I know nothing about the recruiter"))
        elif step in SUSPECT_STEPS:
            value = given[step]
            await (person.say(value) if value else person.press(t("Skip")))
        elif step == Step.VICTIMS:
            await person.press(victims or t("Not known"))
        elif step == Step.DESTINATION:
            await pick(destination or t("Not known yet"))
        elif step == Step.DESTINATION_OTHER:
            await (person.say(destination_other) if destination_other
                   else person.press(t("Skip")))
        elif step == Step.DEPARTURE:
            await (person.say(departure) if departure else person.press(t("Not known yet")))
        elif step == Step.EVIDENCE:
            for file in files:
                await person.send(**file)
            await person.press(t("✅ Done"))
        elif step == Step.IDENTITY:
            await person.press(t("An officer may contact me") if contact
                               else t("Stay anonymous"))
        elif step in (Step.CONTACT_NAME, Step.CONTACT_PHONE):
            await person.say(contact[0] if step == Step.CONTACT_NAME else contact[1])
    raise AssertionError(f"the walk never reaches {to} with these answers")


class Counted:
    """The resident, counting what they do (``walk_form`` can walk it too)."""

    def __init__(self, person):
        self.person, self.actions = person, 0

    async def say(self, text):
        self.actions += 1
        return await self.person.say(text)

    async def press(self, label):
        self.actions += 1
        return await self.person.press(label)

    async def send(self, kind, **kwargs):
        self.actions += 1
        return await self.person.send(kind, **kwargs)

    @property
    def last(self):
        return self.person.last
