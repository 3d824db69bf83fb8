"""On WhatsApp as on Telegram: words a resident types while writing a new report, when an
officer has lately written to them about an earlier one, may be meant for that officer;
the bot asks, and keeps the words (encrypted) until the resident says."""
from __future__ import annotations

from bot.engine.form_types import Step
from models import Draft
from tests.helpers.form import walk_form
from tests.helpers.officers import all_rows, deliver, texts
from tests.helpers.whatsapp import STORY, claimed

WORDS = "Masih, dia datang lagi tadi malam ke rumah Pak RT."
FOR_OFFICER, FOR_FORM = "✉️ Untuk petugas", "📝 Untuk laporan baru"


async def _asked_mid_form(tipbot, resident):
    """Budi writes to the resident about their case; they begin a new report and type."""
    officer = await claimed(tipbot, resident)
    await officer.press("✉️ Kirim pesan ke pelapor")
    await officer.say("Apakah calo itu masih datang ke desa?")
    await deliver(tipbot)
    await resident.graph.settle()
    await walk_form(resident, to=Step.DESCRIPTION, command="lapor", story=STORY)
    await resident.say(WORDS)
    assert {FOR_OFFICER, FOR_FORM} <= set(resident.choices)
    [draft] = await all_rows(tipbot, Draft)
    assert draft.pending_enc and "Pak RT" not in draft.pending_enc and draft.step == "description"
    return officer


async def test_words_typed_mid_form_reach_the_officer_when_the_resident_says_so(
        tipbot, graph, resident):
    officer = await _asked_mid_form(tipbot, resident)
    await resident.press(FOR_OFFICER)
    await deliver(tipbot)
    assert any(WORDS in text for text in texts(officer))
    [draft] = await all_rows(tipbot, Draft)
    assert draft.pending_enc is None and "description" not in draft.answers
    assert "Ceritakan" in " ".join(resident.texts[-3:])          # the story asked again
    await resident.press(FOR_OFFICER)                             # a stale press: nothing more
    await deliver(tipbot)
    assert sum(WORDS in text for text in texts(officer)) == 1


async def test_words_typed_mid_form_answer_the_form_when_the_resident_says_so(
        tipbot, graph, resident):
    officer = await _asked_mid_form(tipbot, resident)
    before = len(texts(officer))
    await resident.press(FOR_FORM)
    await deliver(tipbot)
    [draft] = await all_rows(tipbot, Draft)
    assert draft.pending_enc is None and draft.answers["description"] == WORDS
    assert not any(WORDS in text for text in texts(officer)[before:])
