"""An officer's half-finished input survives a restart of the bot."""
from __future__ import annotations

from models import CaseEvent
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import FAST, all_rows, deliver, file_report, make_officer


async def test_a_note_typed_after_a_restart_is_saved(emu, engine, data_dir, key):
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, **FAST)
    emu.attach(bot.app)
    officer = await make_officer(bot, "Budi")
    await file_report(bot, Person(emu, first_name="Siti", started=True))
    await officer.press("🙋 Ambil kasus")
    await deliver(bot)
    await officer.press("📝 Catatan", officer.message_with_button("📝 Catatan"))
    clock = bot.clock
    await stop_bot(bot)

    again = await start_bot(emu, engine, data_dir, clock=clock, encryption_key=key, **FAST)
    emu.attach(again.app)
    try:
        saved = await officer.say("Pelapor sudah dihubungi lewat bot.")
        assert "Catatan untuk kasus" in saved.text
        notes = [e for e in await all_rows(again, CaseEvent) if e.kind == "note"]
        assert [n.detail["text"] for n in notes] == ["Pelapor sudah dihubungi lewat bot."]
        # The pending input is spent: the next text is not another note.
        await officer.say("halo")
        assert len([e for e in await all_rows(again, CaseEvent) if e.kind == "note"]) == 1
        assert emu.violations == []
    finally:
        await stop_bot(again)
