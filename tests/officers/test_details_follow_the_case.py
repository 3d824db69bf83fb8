"""A case's details that run to several messages follow the case in every part, and
details that showed a contactable reporter's name and number keep them when edited
(and only then, and only for the officer handling the case)."""
from __future__ import annotations

from tests.helpers.officers import (
    all_rows, claimed_case, deliver, file_report, forged_press, make_officer, reload,
    send_and_claim
)

import json

from bot.web.emulator.server import _Failure
from models import CaseCard, Outbox, Report
from tests.helpers.form import ALL_DETAILS, SITI, walk_form
from tests.helpers.harness import Person

CLAIM, DETAILS = "🙋 Ambil kasus", "📄 Rincian"
# A story near the form's longest (3,000 letters): the details fill most of one message.
STORY = ("Calo datang ke desa kami dan menjanjikan pekerjaan di pabrik Malaysia dengan gaji "
         "besar, tetapi meminta uang pendaftaran dan menahan paspor para calon pekerja. ") * 19
REASON = ("Petugas sudah menghubungi keluarga korban dan kepala desa; " * 16).strip()


def shown(person, message_id: int):
    return next(m for m in person.messages if m.message_id == message_id)


async def claimed_long_case(tipbot, emu):
    """Budi has claimed Siti's report, whose story nearly fills one message by itself."""
    return await claimed_case(tipbot, emu, description=STORY[:2990])


async def test_every_part_of_long_details_follows_the_case(tipbot, emu):
    budi, reporter, report = await claimed_long_case(tipbot, emu)
    first = [m for m in budi.messages if STORY[:60] in (m.text or "") and "Status:" in m.text]
    assert len(first) == 1 and "0 bukti" in first[0].text     # one message to begin with

    # A long reason no longer fits: the details go out again in two parts, below, and the
    # message that held them says where they went (a message cannot be put in between).
    await budi.press("🔍 Sedang diselidiki", budi.message_with_button("🔍 Sedang diselidiki"))
    await budi.say(REASON)
    await deliver(tipbot)
    assert "Rincian ini sudah tidak berlaku" in first[0].text and not first[0].buttons
    views = [c for c in await all_rows(tipbot, CaseCard) if c.kind == "details"]
    assert sorted(c.part for c in views) == [0, 1] and len({c.view_key for c in views}) == 1
    head, tail = (shown(budi, c.message_id) for c in sorted(views, key=lambda c: c.part))
    assert STORY[:60] in head.text and "0 bukti" in head.text and not head.buttons
    assert REASON[:40] in tail.text and "⋯ Lainnya" in [b for b, _ in tail.buttons]

    # The reporter sends a photo: the count in the first part changes, and only the
    # second part gets the evidence button; each part is edited, neither is sent again.
    head_edits, tail_edits = len(head.edits), len(tail.edits)
    await reporter.send("photo", data=b"\xff\xd8later-photo")
    await deliver(tipbot)
    assert "1 bukti" in head.text and "0 bukti" not in head.text
    assert len(head.edits) == head_edits + 1
    assert "📎 Bukti" in [b for b, _ in tail.buttons] and len(tail.edits) == tail_edits + 1

    # One tap without a reason: it fits in one message again; the two shown keep their
    # places, the status alone in the last one, above the buttons.
    await budi.press("✅ Selesai ditangani", tail)
    await deliver(tipbot)
    assert STORY[:60] in head.text and "1 bukti" in head.text and "Status:" not in head.text
    assert tail.text.startswith("Status: Selesai ditangani") and REASON[:40] not in tail.text
    await budi.press("⏭️ Tanpa alasan", tail)
    await deliver(tipbot)
    assert "🔓 Buka kembali" in [b for b, _ in tail.buttons]
    assert len([c for c in await all_rows(tipbot, CaseCard) if c.kind == "details"]) == 2
    # No edit that changes nothing was ever sent.
    assert emu.violations == [] and emu.errors == []


async def test_details_asked_for_are_remembered_in_every_part(tipbot, emu):
    budi, reporter, report = await claimed_long_case(tipbot, emu)
    await budi.press("🔍 Sedang diselidiki", budi.message_with_button("🔍 Sedang diselidiki"))
    await budi.say(REASON)
    await deliver(tipbot)
    before = len(budi.messages)
    await budi.press(DETAILS, budi.message_with_button(DETAILS))    # on the card
    head, tail = budi.messages[before:]
    assert STORY[:60] in head.text and REASON[:40] in tail.text

    await budi.press("✔️ Sudah diverifikasi", tail)
    await deliver(tipbot)
    # The reason went with the status: the last part is edited, the first one, unchanged,
    # is left alone.
    assert "Status: Sudah diverifikasi" in tail.text and REASON[:40] not in tail.text
    assert tail.edits and not head.edits and STORY[:60] in head.text
    stored = await reload(tipbot, Report, report.id)
    assert stored.status == "verified"
    assert emu.violations == [] and emu.errors == []


NAME, PHONE = "Siti", "+6281122334455"


async def test_an_edit_keeps_the_contact_exactly_when_the_details_showed_it(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    gita = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    reporter = Person(emu, first_name="Siti Aminah")
    await walk_form(reporter, **ALL_DETAILS, contact=SITI)
    await send_and_claim(tipbot, reporter, budi)
    # The details sent on the claim leave the contact to a message of its own.
    queued = next(m for m in budi.messages if (m.text or "").startswith("Kasus ") and m.buttons)
    assert PHONE not in queued.text
    asked = await budi.press(DETAILS, budi.message_with_button(DETAILS))
    assert "Pelapor bersedia dihubungi" in asked.text and PHONE in asked.text

    await budi.press("✔️ Sudah diverifikasi", asked)
    await deliver(tipbot)
    assert "Status: Sudah diverifikasi" in asked.text and asked.edits
    assert NAME in asked.text and PHONE in asked.text            # kept on the edit
    assert PHONE not in queued.text and "Sudah diverifikasi" in queued.text
    report = (await all_rows(tipbot, Report))[0]
    await gita.say("/antrian")
    await forged_press(emu, gita, f"c:view:{report.card_token}")
    boss_view = gita.last
    assert PHONE not in boss_view.text

    # Nothing kept without the key names the reporter: not the edits waiting in the
    # outbox, not what the messages are remembered by.
    for row in await all_rows(tipbot, Outbox):
        kept = json.dumps(row.params or {}, ensure_ascii=False)
        assert PHONE not in kept and "0811" not in kept and NAME not in kept
    assert any(c.shows_contact for c in await all_rows(tipbot, CaseCard))

    # Given to another officer: Budi's details stop showing the contact at the next edit,
    # and the supervisor's never show it.
    citra = await make_officer(tipbot, "Citra")
    await forged_press(emu, gita, f"c:rea:{report.card_token}")
    await gita.press("Citra")
    await deliver(tipbot)
    assert PHONE not in asked.text and "Diambil oleh Citra" in asked.text
    assert all(PHONE not in (m.text or "") for m in gita.messages)
    assert all(PHONE not in (m.text or "") for m in citra.messages
               if (m.text or "").startswith("Kasus "))
    assert emu.violations == [] and emu.errors == []


async def test_an_anonymous_reporter_never_appears_in_the_details(tipbot, emu):
    budi = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Wulan", last_name="Sari", username="wulan_sari")
    await walk_form(reporter, **ALL_DETAILS)
    await send_and_claim(tipbot, reporter, budi)
    asked = await budi.press(DETAILS, budi.message_with_button(DETAILS))
    await budi.press("✔️ Sudah diverifikasi", asked)
    await budi.press("⏭️ Tanpa alasan", asked)
    await deliver(tipbot)
    assert asked.edits and "Pelapor memilih anonim" in asked.text
    seen = " ".join((m.text or "") + (m.caption or "") for m in budi.messages)
    for who in ("Wulan", "Sari", "wulan_sari", str(reporter.chat_id)):
        assert who not in seen
    assert not any(c.shows_contact for c in await all_rows(tipbot, CaseCard))
    assert emu.violations == [] and emu.errors == []


async def test_details_queued_in_parts_are_remembered_whole_and_brought_up_to_date(
        tipbot, emu, monkeypatch):
    budi = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti", started=True)
    await file_report(tipbot, reporter, description=STORY[:2990])
    await budi.press(CLAIM)
    await deliver(tipbot)
    # The long reason sends the details again in two parts; Telegram's flood limit holds
    # the second back while the first is shown. Meanwhile the reporter sends a file, so
    # the count in the part already shown changes.
    original, flooded = emu._take_failure, []

    def flood_on_the_second_part(method, params=None):
        if method == "sendMessage" and not flooded \
                and str((params or {}).get("text", "")).startswith("Status:"):
            flooded.append(True)
            return _Failure(429, 60, 1, False, None, budi.chat_id)
        return original(method, params)

    monkeypatch.setattr(emu, "_take_failure", flood_on_the_second_part)
    await budi.press("🔍 Sedang diselidiki", budi.message_with_button("🔍 Sedang diselidiki"))
    await budi.say(REASON)
    await deliver(tipbot)
    assert flooded
    assert len([c for c in await all_rows(tipbot, CaseCard) if c.kind == "details"]) == 1
    await reporter.send("photo", data=b"\xff\xd8later-photo")
    await deliver(tipbot)
    tipbot.clock.advance(seconds=60)
    await deliver(tipbot)
    views = sorted((c for c in await all_rows(tipbot, CaseCard) if c.kind == "details"),
                   key=lambda c: c.part)
    assert [c.part for c in views] == [0, 1] and len({c.view_key for c in views}) == 1
    head, tail = (shown(budi, c.message_id) for c in views)
    assert "1 bukti" in head.text and REASON[:40] in tail.text and "📎 Bukti" in [
        b for b, _ in tail.buttons]
    # Once out of date (the first details), never again: nothing was sent a third time.
    assert sum("Rincian ini sudah tidak berlaku" in (m.text or "") for m in budi.messages) == 1

    await budi.press("✔️ Sudah diverifikasi", tail)
    await deliver(tipbot)
    assert "Status: Sudah diverifikasi" in tail.text and "1 bukti" in head.text
    assert emu.violations == [] and len(emu.errors) == 1 and "429" in emu.errors[0]
