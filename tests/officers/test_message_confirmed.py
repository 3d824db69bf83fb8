"""An officer's message to the reporter: the question that asked for it gives way to the
answer (its quick-reply buttons would only invite a second message), and the officer is
told in the chat once the message was delivered."""
from __future__ import annotations

from bot.engine.i18n import get_translator
from tests.helpers.officers import claimed_case, deliver

ASK = "✉️ Kirim pesan ke pelapor"
ON_ITS_WAY = get_translator("id")("Your message is on its way to the reporter of case {code}.")


async def test_the_prompt_for_a_message_gives_way_to_the_answer(tipbot, emu):
    budi, siti, report = await claimed_case(tipbot, emu)
    prompt = await budi.press(ASK)
    assert "Kirim pesan Anda untuk pelapor" in prompt.text and prompt.buttons
    count = len(budi.messages)
    await budi.say("Apakah Anda masih di Bandar Lampung?")
    # No new message: the prompt itself now says the message went, with no button left.
    [shown] = [m for m in budi.messages if m.message_id == prompt.message_id]
    assert shown.buttons == []
    assert f"kasus {report.case_number}" in shown.text and "teks, foto, dokumen" not in shown.text
    assert [m for m in budi.messages[count:] if m.from_bot] == []
    await deliver(tipbot)
    assert "Apakah Anda masih di Bandar Lampung?" in siti.last.text
    assert emu.violations == [] and emu.errors == []


async def test_a_prompt_that_cannot_be_edited_any_more_gets_a_new_message(tipbot, emu):
    budi, siti, report = await claimed_case(tipbot, emu)
    prompt = await budi.press(ASK)
    prompt.deleted = True                  # the officer deleted it in their app
    count = len(budi.messages)
    await budi.say("Mohon kirim foto dokumennya.")
    await deliver(tipbot)
    assert "Mohon kirim foto dokumennya." in siti.last.text
    told = [m.text for m in budi.messages[count:] if m.from_bot]
    assert any(f"pelapor kasus {report.case_number}" in text for text in told)


async def test_the_officer_is_told_once_the_message_was_delivered(tipbot, emu):
    budi, siti, report = await claimed_case(tipbot, emu)
    prompt = await budi.press(ASK)
    await budi.say("Kami akan datang besok pagi.")
    [shown] = [m for m in budi.messages if m.message_id == prompt.message_id]
    await deliver(tipbot)
    # First it said the message was on its way, then that it was delivered.
    assert [edit["text"] for edit in shown.edits][-1] == ON_ITS_WAY.format(
        code=report.case_number)
    assert "Kami akan datang besok pagi." in siti.last.text
    # The same message now says it was delivered: no new one.
    assert shown.text == f"✅ Pesan Anda sudah terkirim kepada pelapor kasus {report.case_number}."
    assert not any("sudah terkirim" in (m.text or "") for m in budi.messages
                   if m.message_id != prompt.message_id)
    assert emu.violations == [] and emu.errors == []


async def test_a_reply_without_the_button_is_confirmed_in_a_new_message(tipbot, emu):
    budi, siti, report = await claimed_case(tipbot, emu)
    await siti.say("Apakah petugas sudah membaca laporan saya?")
    await deliver(tipbot)
    incoming = budi.last
    emu.send_text(budi.user, "Sudah, kami sedang menanganinya.", reply_to=incoming)
    await emu.settle()
    await deliver(tipbot)
    assert "Sudah, kami sedang menanganinya." in siti.last.text
    texts = [m.text for m in budi.messages if m.from_bot]
    queued = ON_ITS_WAY.format(code=report.case_number)
    delivered = f"✅ Pesan Anda sudah terkirim kepada pelapor kasus {report.case_number}."
    assert queued in texts and texts[-1] == delivered
    assert texts.index(queued) < texts.index(delivered)


async def test_a_long_message_is_confirmed_once_after_its_last_part(tipbot, emu):
    budi, siti, report = await claimed_case(tipbot, emu)
    await budi.press(ASK)
    await budi.say("Mohon dibaca. " * 290)         # two parts, with the case's label
    await deliver(tipbot)
    parts = [m for m in siti.messages if "Mohon dibaca." in (m.text or "")]
    assert len(parts) >= 2
    told = [m for m in budi.messages if "sudah terkirim" in (m.text or "")]
    assert len(told) == 1

