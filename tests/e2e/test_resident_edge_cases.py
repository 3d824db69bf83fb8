"""Bad input gets a clear answer and loses nothing."""
from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.engine.form_types import Step
from models import Draft, Report
from tests.helpers.form import ALL_DETAILS, STORY, walk_form
from tests.helpers.harness import Person, start_bot, stop_bot


async def test_an_answer_can_be_changed_from_the_summary(tipbot, resident):
    await walk_form(resident, **ALL_DETAILS)
    await resident.press("Ubah pihak terlapor")
    await resident.say("Bu Rina <b>Calo</b> & Co")
    await resident.press("Lewati")
    await resident.press("Lewati")
    summary = await resident.press("Lewati")
    assert "Mohon periksa kembali" in summary.text
    assert "Bu Rina <b>Calo</b> & Co" in summary.text   # shown literally, not as markup
    await resident.press("📨 Kirim laporan")
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
    assert report.suspect_name == "Bu Rina <b>Calo</b> & Co"
    assert report.suspect_phone is None


async def test_cancel_deletes_the_draft(tipbot, resident):
    await resident.say("/lapor")
    await resident.press("Lainnya")
    reply = await resident.say("/batal")
    assert "dibatalkan" in reply.text
    async with tipbot.session() as session:
        assert (await session.exec(select(Draft))).first() is None
    assert "Tidak ada laporan" in (await resident.say("/batal")).text


async def test_cancel_button_on_summary_asks_first(tipbot, resident):
    await walk_form(resident, **ALL_DETAILS)
    confirm = await resident.press("✖️ Batalkan laporan")
    assert "Batalkan laporan ini?" in confirm.text
    back = await resident.press("Tidak, lanjutkan")
    assert "Mohon periksa kembali" in back.text
    await resident.press("✖️ Batalkan laporan")
    await resident.press("Ya, batalkan")
    async with tipbot.session() as session:
        assert (await session.exec(select(Draft))).first() is None


async def test_restart_mid_form_continues_at_the_same_step(emu, engine, data_dir):
    bot = await start_bot(emu, engine, data_dir)
    person = Person(emu, first_name="Rina")
    await person.say("/lapor")
    await person.press("Tawaran kerja palsu ke luar negeri")
    await person.press("Tidak")
    await person.press("Metro")
    await stop_bot(bot)

    bot = await start_bot(emu, engine, data_dir, encryption_key=bot.settings.encryption_key)
    try:
        resumed = await person.say("/lapor")
        assert "belum selesai" in resumed.text
        prompt = await person.press("Lanjutkan")
        assert "lokasi kejadian" in prompt.text
        await person.press("Lewati")
        await person.say(STORY)
        after = await person.press("➕ Tambah rincian")
        assert "nama" in after.text.lower()
        async with bot.session() as session:
            draft = (await session.exec(select(Draft))).one()
        assert draft.answers["region"] == "1872" and draft.answers["category"] == "fake_job"
        assert draft.answers["description"] == STORY
    finally:
        await stop_bot(bot)
    assert emu.violations == []


async def test_wrong_kinds_of_input_are_explained_and_the_step_asked_again(tipbot, resident):
    await resident.say("/lapor")
    before = len(resident.messages)
    await resident.say("calo")
    texts = resident.texts_since(before)
    assert any("pilih salah satu tombol" in t for t in texts)
    assert "Apa yang ingin Anda laporkan?" in resident.last.text

    await resident.send("sticker")
    assert "Apa yang ingin Anda laporkan?" in resident.last.text

    await resident.press("Lainnya")
    await resident.press("Tidak")
    await resident.press("Pesawaran")
    await resident.press("Lewati")
    before = len(resident.messages)
    await resident.say("pendek")
    assert any("terlalu singkat" in t for t in resident.texts_since(before))
    before = len(resident.messages)
    await resident.say("x" * 3001)
    assert any("terlalu panjang" in t for t in resident.texts_since(before))
    story = "<script>alert(1)</script> & <b>tebal</b> 🙏 مرحبا بالعالم — kejadian di desa"
    await resident.say(story)
    await resident.press("➕ Tambah rincian")
    await resident.say("Pak Joko")
    before = len(resident.messages)
    await resident.say("12345")
    assert any("tampaknya keliru" in t for t in resident.texts_since(before))
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
    assert draft.answers["description"] == story
    assert draft.step == "suspect_phone"


async def test_buttons_from_old_messages_do_nothing_harmful(tipbot, resident):
    await resident.say("/lapor")
    first_prompt = resident.last
    await resident.press("Lainnya")
    # The category prompt became the urgency prompt (edited in place); pressing a button
    # of an older prompt (a stale urgency prompt from a cancelled draft) is refused.
    urgency_prompt = resident.last
    await resident.say("/batal")
    await resident.say("/lapor")
    resident.emu.press(resident.user, urgency_prompt, "Tidak")
    await resident.emu.settle()
    assert "Apa yang ingin Anda laporkan?" in resident.last.text
    assert urgency_prompt.message_id == first_prompt.message_id
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
    assert draft.step == "category" and "urgent" not in draft.answers


async def test_edited_messages_are_not_applied(tipbot, resident):
    await walk_form(resident, to=Step.SEND_OR_ADD, category="Lainnya", region="Metro")
    user_message_id = resident.emu.last_user_message_id(resident.chat_id)
    resident.emu.edit_text(resident.user, user_message_id, "Cerita yang diubah sama sekali berbeda")
    await resident.emu.settle()
    assert "diedit" in resident.last.text
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
    assert draft.answers["description"] == STORY


async def test_group_messages_point_to_the_private_chat(tipbot, emu, resident):
    group = emu.group(title="Warga Desa Sukamaju")
    emu.send_text(resident.user, "/lapor", chat=group)
    await emu.settle()
    reply = emu.last(group["id"] if isinstance(group, dict) else group.id)
    assert "obrolan pribadi" in reply.text
    assert any("t.me/lampung_tip_bot" in str(b) for b in reply.reply_markup["inline_keyboard"][0])
    async with tipbot.session() as session:
        assert (await session.exec(select(Draft))).first() is None


async def test_a_flood_is_throttled_not_crashed(emu, engine, data_dir):
    bot = await start_bot(emu, engine, data_dir, flood_max_updates=5, flood_window="1s")
    try:
        resident = Person(emu, first_name="Banjir")
        for index in range(40):
            emu.send_text(resident.user, f"pesan {index}")
        await emu.settle(timeout=20)
        texts = [m.text for m in resident.messages]
        assert sum("terlalu cepat" in t for t in texts) == 1
        assert len(texts) == 6          # five answered, one warning, the rest dropped
        await asyncio.sleep(1.1)        # the window passes: the person is heard again
        assert "Satgas" in (await resident.say("/start")).text
    finally:
        await stop_bot(bot)
    assert emu.violations == []


async def test_language_switch_to_english_and_back(tipbot, resident):
    await resident.say("/bahasa")
    changed = await resident.press("English")
    assert "Language changed to English" in changed.text
    prompt = await resident.say("/lapor")
    assert "What would you like to report?" in prompt.text
    destination_step = await resident.press("Something else")
    assert "danger" in destination_step.text
    await resident.say("/bahasa")
    back = await resident.press("Bahasa Indonesia")
    assert "Bahasa Indonesia" in back.text


async def test_english_country_names_come_from_babel(tipbot, resident):
    await resident.say("/bahasa")
    await resident.press("English")
    await walk_form(resident, to=Step.VICTIMS, lang="en", category="Something else",
                    region="Metro")
    prompt = await resident.press("2")
    labels = [text for text, _ in prompt.buttons]
    assert "South Korea" in labels and "United Arab Emirates" in labels
