"""One message per answer for residents: button answers edit the prompt in place, typed
answers get one new prompt, typed ya/tidak/lewati work, and the step counter is true."""
from __future__ import annotations

from sqlmodel import select

from models import Report
from tests.helpers.form import STORY, Counted
from tests.helpers.officers import deliver

# Every Bot API method that puts something in (or changes) a chat.
CHAT_METHODS = ("sendMessage", "editMessageText", "editMessageReplyMarkup",
                "editMessageCaption", "sendPhoto", "sendDocument", "deleteMessage")


def chat_calls(emu, chat_id) -> int:
    return sum(1 for method in CHAT_METHODS for params in emu.calls(method)
               if str(params.get("chat_id")) == str(chat_id))


async def test_a_whole_report_costs_about_one_chat_call_per_action(tipbot, resident, emu):
    siti = Counted(resident)
    await siti.say("/lapor")
    await siti.press("Perekrut tanpa izin (calo)")
    urgency = await siti.say("tidak")                            # typed, not pressed
    assert "Di mana kejadiannya" in urgency.text
    await siti.press("Bandar Lampung")
    await siti.say("lewati")                                     # typed skip of the pin
    await siti.say(STORY)
    await siti.press("➕ Tambah rincian")
    name = await siti.say("Pak Joko")
    assert "Rincian: langkah 2 dari 10" in name.text            # the phone: detail 2
    await siti.say("0812-3456-7890")
    await siti.press("Lewati")
    await siti.say("tidak ada")                                  # social media
    await siti.press("3")
    await siti.press("Malaysia")
    await siti.say("15-01-2027")
    await siti.send("photo", data=b"\xff\xd8photo")
    await siti.press("✅ Selesai")
    await siti.press("Tetap anonim")
    await siti.press("📨 Kirim laporan")
    await deliver(tipbot)
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
    assert report.case_number in resident.last.text
    calls = chat_calls(emu, resident.chat_id)
    assert calls <= 1.1 * siti.actions, (calls, siti.actions)
    # No keyboard-stripping edits, but for the sent summary's (it must not be pressed again).
    stripped = emu.calls("editMessageReplyMarkup")
    assert len(stripped) == 1 and "reply_markup" not in stripped[0]
    assert emu.violations == []


async def test_typed_words_commands_and_help_mid_form(tipbot, resident, emu):
    await resident.say("/lapor")
    first = await resident.say("/foo")                           # unknown command
    assert "Apa yang ingin Anda laporkan" in first.text
    await resident.press("Perekrut tanpa izin (calo)")
    region = await resident.say("ya")
    # The emergency numbers in a message of their own, then the next question.
    assert "segera hubungi" in resident.messages[-2].text
    assert "Di mana kejadiannya" in region.text and "segera hubungi" not in region.text
    assert "Langkah 3 dari 6" in region.text
    help_text = await resident.say("/help")
    assert "Cara menggunakan layanan ini" in help_text.text and "lewati" in help_text.text
    assert emu.violations == []


async def test_a_double_tap_edits_nothing_twice(tipbot, resident, emu):
    await resident.say("/lapor")
    prompt = resident.last
    emu.press(resident.user, prompt, "Perekrut tanpa izin (calo)")
    emu.press(resident.user, prompt, "Perekrut tanpa izin (calo)")
    await emu.settle()
    assert not any("not modified" in error for error in emu.errors)
    assert "Apakah ada orang yang sedang dalam bahaya" in resident.last.text
    assert len(emu.calls("editMessageText")) == 1
    assert emu.violations == []
