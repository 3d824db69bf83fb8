"""The officer's card shows what the register says about the company a report names."""
from __future__ import annotations

import pytest

from bot.prevention.register import import_register
from tests.helpers.harness import Person, running_bot
from tests.helpers.officers import FAST, file_report, make_officer
from tests.helpers.register import register_csv


@pytest.fixture
async def tipbot(emu, engine, data_dir, key):
    """The bot with no register loaded (a test loads it where it needs it)."""
    async with running_bot(emu, engine, data_dir, encryption_key=key, **FAST) as running:
        yield running


@pytest.mark.parametrize("company,line", [
    ("PT Maju Jaya Sentosa", "Daftar P3MI: berizin (aktif) (data per 1 Nov 2026)"),
    ("Sinar Harapan Bangsa", "Daftar P3MI: izin dihentikan sementara"),
    ("PT Karya Bakti Mandiri", "Daftar P3MI: izin dicabut"),
    ("PT Maju Jaya", "Daftar P3MI: tidak ada dalam daftar (data per 1 Nov 2026)"),
    ("PT Cahaya Timar Abadi", "tidak ada dalam daftar; mirip: PT Cahaya Timur Abadi, "
                              "PT Cahaya Timor Abadi"),
])
async def test_card_shows_the_register_verdict(tipbot, emu, company, line):
    async with tipbot.session() as session:
        await import_register(session, text=register_csv(), now=tipbot.clock())
        await session.commit()
    officer = await make_officer(tipbot, "Budi")
    reporter = Person(emu, first_name="Siti", started=True)
    await file_report(tipbot, reporter, company=company)
    card = officer.message_with_button("🙋 Ambil kasus")
    assert line in card.text
    # The reporter is told nothing of it.
    assert all("Daftar P3MI" not in (m.text or "") for m in reporter.messages)


@pytest.mark.parametrize("company,loaded", [(None, True), ("PT Maju Jaya", False)])
async def test_no_register_line_without_a_company_or_a_register(tipbot, emu, company,
                                                                 loaded):
    if loaded:
        async with tipbot.session() as session:
            await import_register(session, text=register_csv(), now=tipbot.clock())
            await session.commit()
    officer = await make_officer(tipbot, "Budi")
    await file_report(tipbot, Person(emu, first_name="Siti", started=True), company=company)
    assert "Daftar P3MI" not in officer.message_with_button("🙋 Ambil kasus").text
