"""Who sees what: the access rule, opaque card tokens, the audit trail, the group's
minimal notice and exports only in the requester's private chat."""
from __future__ import annotations

from tests.helpers.officers import (
    CLAIM, FAST, all_rows, claimed_case, deliver, file_report, forged_press, make_officer, reload,
    texts
)

import csv
import io
import os
import stat

import pytest

from bot.cli.main import main
from models import AuditLog, Report
from tests.helpers.harness import Person, start_bot, stop_bot


@pytest.fixture
async def group_bot(emu, engine, data_dir, key):
    """The bot with the task force's group configured, and that group."""
    group = emu.group("Satgas PMI")
    bot = await start_bot(emu, engine, data_dir, encryption_key=key, taskforce_chat_id=group.id,
                          **FAST)
    emu.attach(bot.app)
    yield bot, group
    await stop_bot(bot)


async def _audits(tipbot, action):
    return [a for a in await all_rows(tipbot, AuditLog) if a.action == action]


async def test_forged_and_unauthorised_views_are_refused_and_audited(tipbot, emu):
    budi = await make_officer(tipbot, "Budi", region="1871")
    dedi = await make_officer(tipbot, "Dedi", region="1801")       # another regency
    reporter = Person(emu, first_name="Siti", started=True)
    report = await file_report(tipbot, reporter, region="1871")
    card = budi.message_with_button(CLAIM)
    for _, data in card.buttons:                  # opaque tokens, never the sequential id
        assert len(data.encode()) <= 64 and data.split(":")[2] == report.card_token
        assert not data.endswith(f":{report.id}")

    # Counting ids gets nowhere.
    await dedi.say("/kasus")
    answer = await forged_press(emu, dedi, f"c:view:{report.id}")
    assert "Kasus ini sudah tidak ada" in answer["text"]
    # The real token, from a card he was never sent: refused, recorded.
    answer = await forged_press(emu, dedi, f"c:view:{report.card_token}")
    assert "tidak diteruskan kepada Anda" in answer["text"]
    answer = await forged_press(emu, dedi, f"c:claim:{report.card_token}")
    assert "tidak diteruskan kepada Anda" in answer["text"]
    assert (await reload(tipbot, Report, report.id)).assignee_id is None
    assert not any("Pak Joko" in t for t in texts(dedi))
    refused = await _audits(tipbot, "case_refused")
    assert [(a.officer_id, a.detail["verb"], a.detail["report_id"], a.detail["reason"])
            for a in refused] == [
        (dedi.officer_id, "view", None, "unknown"),
        (dedi.officer_id, "view", report.id, "no_access"),
        (dedi.officer_id, "claim", report.id, "no_access")]
    await dedi.say("/antrian")
    assert report.case_number not in dedi.last.text

    # The officer it was routed to sees it; every view and download is recorded.
    await budi.press("📄 Rincian", card)
    assert "Pak Joko" in budi.last.text
    await budi.press(CLAIM, card)
    await deliver(tipbot)
    views = await _audits(tipbot, "case_view")
    assert [(a.officer_id, a.detail["report_id"]) for a in views] == [(budi.officer_id, report.id)]
    # A supervisor sees every case, and that is recorded too.
    boss = await make_officer(tipbot, "Gita", role="supervisor", shift=False)
    await boss.say("/antrian")
    answer = await forged_press(emu, boss, f"c:view:{report.card_token}")
    assert "Pak Joko" in boss.last.text
    assert len(await _audits(tipbot, "case_view")) == 2
    await boss.say(f"/riwayat {report.case_number}")
    assert [a.detail["report_id"] for a in await _audits(tipbot, "case_history")] == [report.id]
    assert emu.violations == []


async def test_evidence_download_is_audited(tipbot, emu):
    budi, reporter, report = await claimed_case(tipbot, emu)
    emu.send_photo(reporter.user)
    await deliver(tipbot)
    await budi.press("📎 Bukti")
    await deliver(tipbot)
    assert budi.last.kind == "photo"
    downloads = await _audits(tipbot, "evidence_download")
    assert [(a.officer_id, a.detail) for a in downloads] == [
        (budi.officer_id, {"report_id": report.id, "files": 1})]
    assert emu.violations == []


async def test_the_group_sees_a_minimal_notice_and_no_content(emu, group_bot):
    bot, group = group_bot
    budi = await make_officer(bot, "Budi")
    reporter = Person(emu, first_name="Siti", started=True)
    report = await file_report(bot, reporter, urgent=True,
                               description="Anak saya ditahan di penampungan di Way Halim.")
    await budi.press(CLAIM)
    await deliver(bot)
    await budi.press("✅ Selesai ditangani", budi.message_with_button("✅ Selesai ditangani"))
    await budi.say("Korban sudah dipulangkan ke keluarga.")
    await deliver(bot)

    notices = emu.sent(group.id)
    assert len(notices) == 1 and notices[0].buttons == []
    versions = [notices[0].text] + [edit.get("text") or "" for edit in notices[0].edits]
    assert len(versions) >= 2                       # edited as the status moved on
    for shown in versions:
        assert report.case_number in shown and "Kota Bandar Lampung" in shown
        assert "Perekrut tanpa izin" in shown and shown.startswith("🚨")
        for secret in ("penampungan", "Way Halim", "Joko", "Maju Jaya", "6281234567890",
                       "Budi", "dipulangkan", "Siti"):
            assert secret not in shown, (secret, shown)
    assert "Selesai" in notices[0].text
    assert emu.violations == []


async def test_exports_only_in_private_and_contacts_need_a_confirmation(emu, group_bot):
    bot, group = group_bot
    ani = await make_officer(bot, "Ani", role="admin", shift=False)
    hadi = await make_officer(bot, "Hadi", role="admin", shift=False)
    await file_report(bot, Person(emu, first_name="Siti", started=True))
    offer = await ani.say("/ekspor")
    token = offer.buttons[0][1].split(":")[2]
    # A press in the group (a forged button on the group's notice): a pointer, no file.
    answer = await forged_press(emu, ani, f"a:export:{token}:csv", chat=group)
    assert "obrolan pribadi" in answer["text"]
    answer = await forged_press(emu, ani, f"a:xc:{token}:csv", chat=group)
    assert "obrolan pribadi" in answer["text"]
    assert all(m.kind != "document" for m in emu.sent(group.id) + ani.messages)
    assert await _audits(bot, "export") == []

    plain = await ani.press("CSV", offer)
    header = next(csv.reader(io.StringIO(plain.file.decode("utf-8-sig")), delimiter=";"))
    assert not any("pelapor" in column.lower() for column in header)
    ask = await ani.press("CSV + data kontak", offer)
    assert ask.kind == "text" and "Admin lain akan diberi tahu" in ask.text
    document = await ani.press("Ya, ekspor dengan data kontak", ask)
    await deliver(bot)
    header = next(csv.reader(io.StringIO(document.file.decode("utf-8-sig")), delimiter=";"))
    assert "Nama pelapor" in header
    assert any("Ani mengekspor 1 kasus beserta data kontak pelapor" in t for t in texts(hadi))
    assert not any("Ani mengekspor" in t for t in texts(ani))
    assert [a.detail["with_contacts"] for a in await _audits(bot, "export")] == [False, True]
    # A supervisor cannot reach the contacts even by forging the confirmation.
    sari = await make_officer(bot, "Sari", role="supervisor", shift=False)
    await sari.say("/ekspor")
    answer = await forged_press(emu, sari, f"a:xc:{token}:csv")
    assert "Hanya admin" in sari.last.text
    assert len(await _audits(bot, "export")) == 2
    assert emu.violations == []


def test_cli_export_files_are_owner_only(database_url, tmp_path, monkeypatch, capsys):
    import asyncio

    from tests.helpers.database import wiped

    asyncio.run(wiped(database_url))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    loose = tmp_path / "old.csv"
    loose.write_text("old")
    os.chmod(loose, 0o644)
    for fmt, out in (("csv", loose), ("xlsx", tmp_path / "cases.xlsx")):
        assert main(["export", "--format", fmt, "--out", str(out), "--with-contacts"]) == 0
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600, fmt
    assert "case(s) written" in capsys.readouterr().out


async def test_a_command_in_the_task_force_group_points_to_the_private_chat(emu, group_bot):
    bot, group = group_bot
    ani = await make_officer(bot, "Ani", role="admin", shift=False)
    await file_report(bot, Person(emu, first_name="Siti", started=True))
    before, private_before = len(emu.sent(group.id)), len(ani.messages)
    for command in ("/statistik", "/kasus@lampung_tip_bot"):
        emu.send_text(ani.user, command, chat=group)
        await emu.settle()
    pointers = emu.sent(group.id)[before:]
    assert len(pointers) == 2
    for pointer in pointers:
        assert "hanya dijawab di obrolan pribadi" in pointer.text
        assert pointer.buttons[0][0] == "Buka obrolan pribadi"
        assert "LPG-" not in pointer.text
    assert len(ani.messages) == private_before      # answered only by the pointer
    assert emu.violations == []
