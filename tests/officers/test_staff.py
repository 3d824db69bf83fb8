"""Admins list and deactivate officers in the chat (/petugas), with a confirm step."""
from __future__ import annotations

from bot.channels.telegram.menus import RESIDENT_COMMANDS
from models import AuditLog, Officer, Report
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, deliver, file_report, make_officer, reload, texts

DEACTIVATE_BUDI = "🚫 Nonaktifkan Budi"


def _chat_commands(emu, chat_id: int) -> list[list[str]]:
    return [[c["command"] for c in request.params["commands"]] for request in emu.requests
            if request.method == "setMyCommands"
            and (request.params.get("scope") or {}).get("chat_id") == chat_id]


async def test_admin_deactivates_an_officer_in_the_chat_after_confirming(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    budi = await make_officer(tipbot, "Budi")
    report = await file_report(tipbot, Person(emu, first_name="Siti", started=True))
    await budi.press("🙋 Ambil kasus")
    await deliver(tipbot)
    citra = await make_officer(tipbot, "Citra")

    listing = await admin.say("/petugas")
    assert "Budi · petugas · aktif, sedang piket" in listing.text
    assert "Ani · admin · aktif" in listing.text
    labels = [label for label, _ in listing.buttons]
    assert DEACTIVATE_BUDI in labels and "🚫 Nonaktifkan Ani" not in labels
    refused = await budi.say("/petugas")
    assert "Budi · petugas" not in refused.text and not refused.buttons

    confirm = await admin.press(DEACTIVATE_BUDI, listing)
    assert "Nonaktifkan Budi?" in confirm.text and "1 kasusnya" in confirm.text
    kept = await admin.press("✖️ Batal", confirm)
    assert "Budi tetap aktif." in kept.text
    assert (await reload(tipbot, Officer, budi.officer_id)).active

    confirm = await admin.press(DEACTIVATE_BUDI, listing)
    await admin.press("✅ Ya, nonaktifkan", confirm)
    await deliver(tipbot)
    assert "Budi sudah dinonaktifkan; 1 kasus kembali ke antrean." in texts(admin)
    assert not (await reload(tipbot, Officer, budi.officer_id)).active
    assert (await reload(tipbot, Report, report.id)).assignee_id is None
    audit = [a for a in await all_rows(tipbot, AuditLog) if a.action == "officer_deactivate"]
    assert [(a.officer_id, a.detail["officer_id"]) for a in audit] == [
        (admin.officer_id, budi.officer_id)]
    assert any(a.action == "officer_list" for a in await all_rows(tipbot, AuditLog))
    # Budi's own chat shows the residents' commands again, in both languages.
    resident = [name for name, _ in RESIDENT_COMMANDS]
    assert _chat_commands(emu, budi.chat_id)[-2:] == [resident, resident]
    # The released case went to Citra; Budi gets no more cards.
    assert any(report.case_number in t and "Laporan baru" in t for t in texts(citra))
    seen = len(budi.messages)
    await file_report(tipbot, Person(emu, first_name="Rina", started=True))
    assert len(budi.messages) == seen
    # The old confirm button does nothing twice.
    emu.press(admin.user, confirm, "✅ Ya, nonaktifkan")
    await deliver(tipbot)
    assert len([a for a in await all_rows(tipbot, AuditLog)
                if a.action == "officer_deactivate"]) == 1
    assert emu.violations == []
