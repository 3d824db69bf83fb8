"""Retention: `tipbot purge` (dry run and real, audited with counts) and the daily sweep."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from bot.channels.telegram.jobs import daily_purge
from models import (
    AuditLog, Draft, Evidence, EvidenceFile, Outbox, RelayMessage, Report, ReportContact,
    Reporter,
)
from tests.helpers.form import walk_form
from tests.helpers.harness import Person
from tests.helpers.officers import all_rows, claim, deliver, make_officer
from tests.helpers.privacy import (
    CONTACT_NAME, CONTACT_PHONE_TYPED, database_env, file_contactable_report, found_at_rest,
    run_cli, small_jpeg
)

# The harness clock stands on 28 Nov 2026 02:00 UTC; the command line reads the real clock,
# which is later: with these periods everything the bot wrote is past its keeping time.
SHORT = dict(OUTBOX_KEEP="1h", DRAFT_EXPIRE_AFTER="1h", RETENTION_AFTER_CLOSE="1h")


async def closed_case_with_everything(tipbot, emu, officer):
    """A contactable report with a photo, claimed, messages both ways, then resolved."""
    reporter = Person(emu, first_name="Lastri")
    await file_contactable_report(reporter, photo=small_jpeg())
    await claim(tipbot, officer)
    await officer.press("✉️ Kirim pesan ke pelapor")
    await officer.say("Apakah calo itu masih di desa?")
    await deliver(tipbot)
    await reporter.say("Masih, dia tinggal di rumah kepala dusun.")
    await deliver(tipbot)
    details = officer.message_with_button("✅ Selesai ditangani")
    await officer.press("✅ Selesai ditangani", details)
    await officer.say("Calo sudah diamankan polisi.")
    await deliver(tipbot)
    return reporter


async def abandoned_draft_with_contact(person):
    await walk_form(person, story="Ada penampungan calon pekerja di rumah kosong dekat pasar.",
                    files=({"kind": "photo", "data": small_jpeg()},),
                    contact=("Rina Marlina", CONTACT_PHONE_TYPED))


async def test_purge_dry_run_counts_then_the_real_purge_deletes_and_is_audited(
        tipbot, emu, data_dir, database_url, monkeypatch):
    officer = await make_officer(tipbot, "Budi")
    await closed_case_with_everything(tipbot, emu, officer)
    drafter = Person(emu, first_name="Rina")
    await abandoned_draft_with_contact(drafter)
    await Person(emu, first_name="Joko").say("/start")      # never reports
    # A stored file no evidence row names (a replaced description), two hours old.
    async with tipbot.session() as session:
        session.add(EvidenceFile(path="ab/orphan.enc", data=b"sealed",
                                 created_at=datetime.now(timezone.utc) - timedelta(hours=2)))
        await session.commit()
    assert len(await all_rows(tipbot, EvidenceFile)) == 3
    env = {**database_env(database_url, data_dir), **SHORT}

    code, out, _ = await run_cli(monkeypatch, ["purge", "--dry-run", "--json"], **env)
    assert code == 0
    counted = json.loads(out)
    assert counted == {"dry_run": True, "outbox_rows": counted["outbox_rows"], "drafts": 1,
                       "draft_files": 1, "closed_cases": 1, "contacts": 1,
                       "relay_messages": 2, "evidence_files": 1, "residents": 1,
                       "chat_references": 1, "orphan_files": 1}
    assert counted["outbox_rows"] > 5
    assert len(await all_rows(tipbot, Draft)) == 1
    assert len(await all_rows(tipbot, EvidenceFile)) == 3
    assert await all_rows(tipbot, AuditLog) == [] or all(
        a.action != "purge" for a in await all_rows(tipbot, AuditLog))

    code, out, _ = await run_cli(monkeypatch, ["purge", "--json"], **env)
    done = json.loads(out)
    assert code == 0 and {**done, "dry_run": True} == counted
    [audit] = [a for a in await all_rows(tipbot, AuditLog) if a.action == "purge"]
    assert audit.detail == {k: v for k, v in done.items() if k != "dry_run"}
    assert "Lastri" not in json.dumps(audit.detail)

    [report] = await all_rows(tipbot, Report)
    assert report.reporter_id is None and report.purged_at is not None
    assert report.category == "calo" and report.status == "resolved"   # the facts stay
    for model in (ReportContact, RelayMessage, Evidence, EvidenceFile, Draft):
        assert await all_rows(tipbot, model) == []
    assert [r for r in await all_rows(tipbot, Outbox) if r.status != "pending"] == []
    # The closed case's reporter and the one who never reported are gone; the drafter
    # stays, to be told.
    reporters = await all_rows(tipbot, Reporter)
    assert [r.notice for r in reporters] == ["draft_expired"]
    assert found_at_rest(data_dir, database_url,
                         [CONTACT_NAME.encode(), b"Rina Marlina", b"81122334455"]) == []
    if database_url.startswith("sqlite"):
        wal = data_dir / "tipbot.sqlite3-wal"       # checkpointed and truncated
        assert not wal.exists() or wal.stat().st_size == 0

    # The drafter comes back and is told, once.
    await drafter.say("/start")
    await drafter.say("/start")
    assert sum("sudah kami hapus" in (m.text or "") for m in drafter.messages) == 1
    assert emu.violations == []


async def test_the_daily_purge_runs_once_a_day_across_processes(tipbot, emu):
    services = tipbot.services
    now = tipbot.clock()
    first = await daily_purge(services, now=now)
    assert first is not None
    assert await daily_purge(services, now=now) is None          # a second process, same day
    tipbot.clock.advance(hours=25)
    assert await daily_purge(services, now=tipbot.clock()) is not None
    audits = [a for a in await all_rows(tipbot, AuditLog) if a.action == "purge"]
    assert len(audits) == 2
    assert emu.violations == []
