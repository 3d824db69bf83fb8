"""The engine finishes its own work: a report that comes through another channel (here
an SMS-like one driving bot.services.form_flow directly, no Telegram handler, no hook)
is stored, linked to related cases, routed to the officers on duty and counted, in the
same transaction, on SQLite and PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

from cryptography.fernet import Fernet
from sqlalchemy import event
from sqlmodel import select

from bot.engine.domain import EventKind, Role
from bot.engine.form import Limits, Pick, Typed
from bot.engine.regions import load_regions
from bot.services import outbox
from bot.services.drafts import start_draft
from bot.services.duty import toggle_checkin
from bot.services.form_flow import answer_form
from bot.services.officers import add_officer
from bot.services.residents import identify_reporter
from bot.services.routing import RoutingRules
from bot.storage.crypto import Vault
from bot.storage.evidence import EvidenceStore
from models import CaseEvent, Outbox, ReportLink

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)       # 10:00 WIB
GROUP = -1001234567890
RULES = RoutingRules(alerts_per_minute=30, page_interval=timedelta(hours=1),
                     taskforce_chat_id=GROUP)
LIMITS = Limits(regions=load_regions(), today=date(2026, 11, 28))
STORY = "Ada calo di desa kami yang menjanjikan kerja di Malaysia tanpa biaya."


class Counted:
    """The process's counters, as the service's metrics would count."""

    def __init__(self) -> None:
        self.reports = 0

    def report_submitted(self, channel: str = "telegram") -> None:
        self.reports += 1


async def sms_report(session, vault, store, counts, *, sender: str, suspect_phone: str,
                     urgent: bool = False, sending: list[str] | None = None):
    """A whole report the way a text-only channel sends it: typed words, picks, send
    (``sending``: the statements sending it ran, collected)."""
    reporter = await identify_reporter(session, vault=vault, channel="sms", user_id=sender,
                                       chat_id=sender, now=NOW)
    draft = await start_draft(session, reporter_id=reporter.id, now=NOW)
    answers = [Pick("calo"), Typed("ya" if urgent else "tidak"), Typed("metro"),
               Typed("lewati"), Typed(STORY), Typed("tambah"), Typed("Pak Joko"),
               Typed(suspect_phone),
               Typed("lewati"), Typed("lewati"), Typed("3"), Typed("lewati"), Typed("lewati"),
               Typed("selesai"), Pick("anonymous"), Pick("send")]
    for answer in answers:
        collect = sending is not None and answer == Pick("send")
        if collect:
            event.listen(session.bind.sync_engine, "before_cursor_execute", sending.append_)
        try:
            result = await answer_form(session, draft=draft, reporter=reporter, answer=answer,
                                       limits=LIMITS, store=store, vault=vault, download=None,
                                       now=NOW, rules=RULES, counts=counts)
            if collect:
                await session.commit()
        finally:
            if collect:
                event.remove(session.bind.sync_engine, "before_cursor_execute", sending.append_)
        assert result.problem is None, (result.state.step, answer)
    await session.commit()
    assert result.receipt is not None
    return result.receipt.report


async def cards_of(session, report_id: int) -> list[Outbox]:
    return list((await session.exec(select(Outbox).where(
        Outbox.report_id == report_id, Outbox.purpose == outbox.CARD)
        .order_by(Outbox.id))).all())


async def events_of(session, report_id: int) -> list[CaseEvent]:
    return list((await session.exec(select(CaseEvent).where(
        CaseEvent.report_id == report_id).order_by(CaseEvent.id))).all())


async def test_a_report_from_another_channel_is_routed_linked_and_counted_by_the_engine(
        session, tmp_path):
    vault = Vault(Fernet.generate_key())
    store = EvidenceStore(vault)
    counts = Counted()
    andi = await add_officer(session, telegram_user_id=111, name="Andi", now=NOW)
    budi = await add_officer(session, telegram_user_id=222, name="Budi", now=NOW)
    sari = await add_officer(session, telegram_user_id=333, name="Sari", role=Role.SUPERVISOR,
                             now=NOW)
    for officer in (andi, budi):
        await toggle_checkin(session, officer_id=officer.id, now=NOW)
    await session.commit()

    first = await sms_report(session, vault, store, counts, sender="+6281200000001",
                             suspect_phone="0812-3456-7890")
    cards = await cards_of(session, first.id)
    # One card for the least-loaded officer on duty, one minimal notice for the group;
    # queued as intents: the officer's channel renders the words when it sends them.
    assert [(c.officer_id, c.chat_id) for c in cards] == [(andi.id, None), (None, GROUP)]
    assert all(c.params is None and c.secret_enc is None and c.channel == "telegram"
               for c in cards)
    receipt = (await session.exec(select(Outbox).where(
        Outbox.report_id == first.id, Outbox.purpose == outbox.RECEIPT))).one()
    assert receipt.reporter_id == first.reporter_id and receipt.channel == "sms"
    events = await events_of(session, first.id)
    assert [e.kind for e in events] == [EventKind.CREATED, EventKind.ALERTED]
    assert events[1].detail == {"officers": [andi.id], "group": True, "paged": False,
                                "collapsed": False}

    # The same number again: linked to the first case, and routed to the next officer.
    second = await sms_report(session, vault, store, counts, sender="+6281200000002",
                              suspect_phone="+62 812 3456 7890")
    assert [c.officer_id for c in await cards_of(session, second.id)] == [budi.id, None]
    links = (await session.exec(select(ReportLink).where(ReportLink.report_id == second.id))).all()
    assert [link.other_id for link in links] == [first.id]

    # Someone in danger: every officer on duty and the supervisor are paged.
    urgent = await sms_report(session, vault, store, counts, sender="+6281200000003",
                              suspect_phone="0813-1111-2222", urgent=True)
    paged = {c.officer_id for c in await cards_of(session, urgent.id)}
    assert paged == {andi.id, budi.id, sari.id, None}
    assert (await events_of(session, urgent.id))[1].detail["paged"] is True
    assert counts.reports == 3


class Statements(list):
    """The first word of each statement run (a before_cursor_execute listener)."""

    def append_(self, _connection, _cursor, statement, *_rest) -> None:
        self.append(statement.split(None, 1)[0].upper())


async def test_sending_a_report_reads_everything_before_it_writes(session, tmp_path):
    """On SQLite a writer holds the database's one write lock from its first write to its
    commit, and every other writer waits: sending a report reads all it needs (a free case
    number, the earlier cases it matches, who is on duty, the surge brake's count) before
    its first write, then writes the case, its receipt, links, cards and timeline."""
    vault = Vault(Fernet.generate_key())
    store = EvidenceStore(vault)
    andi = await add_officer(session, telegram_user_id=111, name="Andi", now=NOW)
    sari = await add_officer(session, telegram_user_id=333, name="Sari", role=Role.SUPERVISOR,
                             now=NOW)
    await toggle_checkin(session, officer_id=andi.id, now=NOW)
    await session.commit()
    first = await sms_report(session, vault, store, Counted(), sender="+6281200000001",
                             suspect_phone="0812-3456-7890")
    sending = Statements()
    second = await sms_report(session, vault, store, Counted(), sender="+6281200000002",
                              suspect_phone="0812-3456-7890", urgent=True, sending=sending)
    writes = [i for i, verb in enumerate(sending) if verb != "SELECT"]
    assert writes and "SELECT" not in sending[writes[0]:], sending
    assert {"INSERT", "UPDATE", "DELETE"} <= set(sending[writes[0]:])
    # What it read is what it wrote: linked to the first case, the whole duty paged.
    links = (await session.exec(select(ReportLink).where(ReportLink.report_id == second.id))).all()
    assert [link.other_id for link in links] == [first.id]
    assert {c.officer_id for c in await cards_of(session, second.id)} == {andi.id, sari.id, None}
    assert (await events_of(session, second.id))[1].detail["paged"] is True


def test_the_engines_submit_path_loads_no_telegram_module():
    """Stronger than the import rule (direct imports): nothing the form, submission and
    routing import, however indirectly, pulls in Telegram's library."""
    code = ("import sys, bot.services.form_flow, bot.services.reports, bot.services.routing; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'telegram'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
