"""The delivery core: rows are intents (no channel's markup or words kept), and each row
goes through the adapter of its channel, whose refusals the core handles the same way for
every channel."""
from __future__ import annotations

import json
from datetime import timedelta

from bot.services import delivery, outbox
from bot.services.delivery import Rendered
from models import Outbox
from tests.helpers.officers import FAST, all_rows, claimed_case, deliver, make_officer, sweep


class FakeChannel:
    """A second channel, as a WhatsApp adapter would plug in: records what it was asked."""

    def __init__(self, refusals=()):
        self.sent: list[tuple[int, str, object]] = []
        self.refusals = list(refusals)

    async def address(self, session, row: Outbox):
        return f"+62-{row.reporter_id or row.officer_id}"

    async def render(self, session, row: Outbox):
        return Rendered(f"{row.purpose}:{(row.params or {}).get('info')}")

    async def send(self, row: Outbox, address, rendered: Rendered, *, alert: bool) -> int:
        if self.refusals:
            raise self.refusals.pop(0)
        self.sent.append((row.id, address, rendered.message))
        return 1000 + len(self.sent)


async def _queue(tipbot, officer_id: int, channel: str) -> None:
    async with tipbot.session() as session:
        await outbox.enqueue(session, purpose=outbox.INFO, now=tipbot.clock(), channel=channel,
                             officer_id=officer_id, params={"info": "test"})
        await session.commit()


async def test_a_row_goes_through_the_adapter_of_its_channel(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    fake = FakeChannel()
    tipbot.app.bot_data.deliverer.channels["fake"] = fake
    before = len(officer.messages)
    await _queue(tipbot, officer.officer_id, "fake")
    await deliver(tipbot)
    [row] = [r for r in await all_rows(tipbot, Outbox) if r.purpose == outbox.INFO]
    assert fake.sent == [(row.id, f"+62-{officer.officer_id}", "info:test")]
    assert row.status == outbox.SENT and row.sent_message_id == 1001
    assert len(officer.messages) == before          # nothing of it went through Telegram


async def test_a_channel_refusal_is_handled_by_the_core(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    fake = FakeChannel([delivery.FloodLimit(timedelta(seconds=7)), delivery.Unavailable("503")])
    tipbot.app.bot_data.deliverer.channels["fake"] = fake
    await _queue(tipbot, officer.officer_id, "fake")
    await deliver(tipbot)
    [row] = [r for r in await all_rows(tipbot, Outbox) if r.purpose == outbox.INFO]
    assert row.status == outbox.PENDING and row.last_error == "429 retry after"
    assert (row.next_attempt_at - tipbot.clock()).total_seconds() == 7
    tipbot.clock.advance(seconds=7)
    await deliver(tipbot)
    [row] = [r for r in await all_rows(tipbot, Outbox) if r.purpose == outbox.INFO]
    assert row.status == outbox.PENDING and fake.sent == []
    tipbot.clock.advance(seconds=60)
    await deliver(tipbot)
    assert len(fake.sent) == 1


async def test_a_row_of_a_channel_without_an_adapter_is_given_up_not_sent_elsewhere(tipbot, emu):
    officer = await make_officer(tipbot, "Budi")
    before = len(officer.messages)
    await _queue(tipbot, officer.officer_id, "nowhere")
    for _ in range(outbox.MAX_ATTEMPTS):
        await deliver(tipbot)
        tipbot.clock.advance(hours=2)
    [row] = [r for r in await all_rows(tipbot, Outbox) if r.purpose == outbox.INFO]
    assert row.status == outbox.DEAD and len(officer.messages) == before


async def test_no_row_keeps_a_channels_markup_or_rendered_words(tipbot, emu):
    officer, siti, report = await claimed_case(tipbot, emu)
    await siti.say("Rumahnya di Jalan Kenanga, dekat pasar.")
    await deliver(tipbot)
    await officer.press("↩️ Balas", officer.message_with_button("↩️ Balas"))
    await officer.say("Terima kasih, kami cek.")
    await deliver(tipbot)
    tipbot.clock.advance(seconds=FAST["stale_case_after"].total_seconds() + 1)
    assert await sweep(tipbot) == 1
    rows = await all_rows(tipbot, Outbox)
    purposes = {r.purpose for r in rows}
    assert {outbox.CARD, outbox.CARD_EDIT, outbox.DETAILS, outbox.NOTICE, outbox.RECEIPT,
            outbox.RELAY_IN, outbox.RELAY_OUT, outbox.REMIND} <= purposes
    for row in rows:
        kept = json.dumps(row.params or {}, ensure_ascii=False)
        assert "inline_keyboard" not in kept and "callback_data" not in kept
        assert "<b>" not in kept and "<code>" not in kept and report.case_number not in kept
        assert "Kenanga" not in kept and "kami cek" not in kept
        assert row.channel == "telegram"
    assert any(m.text and "Kenanga" in m.text for m in officer.messages)
    assert any(m.text and "kami cek" in m.text for m in siti.messages)
