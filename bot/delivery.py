"""Sends the outbox: the only place where queued rows meet the Bot API.

The rows due are locked in one conditional UPDATE (one winner across processes) and sent
concurrently, one lane per chat: a chat's rows go in order (alerts, messages of their own,
side by side), each marked sent in its own commit right after its call succeeds, so a
restart never sends it again; fifty residents' receipts no longer queue behind each other
and behind the officers' cards. No transaction is open while a call waits for its turn in
the rate limiter or for Telegram.
Failures: 429 reschedules the row after retry_after (never sleeping while holding the
row's lease, which another worker would take over); 5xx and network errors back off
exponentially; 403 (the bot was blocked) is recorded, and an unclaimed case's alert goes
to someone else; a group upgraded to a supergroup is followed; anything else is retried
and, after outbox.MAX_ATTEMPTS, dead-lettered.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections import deque
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, select, update
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ContextTypes
from telegram.warnings import PTBDeprecationWarning

from bot import notify
from bot.context import Services
from bot.storage.db import checkpoint
from bot.channels.telegram.ratelimit import ALERT, OUTBOX
from bot.channels.telegram.relay_media import send_media
from bot.services import chat_moves, duty, outbox, reminders, retention, updates_seen
from bot.services.residents import reporter_chat_id
from models import Officer, Outbox, RelayMessage, Report, Reporter

log = logging.getLogger(__name__)
BATCH = 50
# Residents' and groups' chats served at once (officers' lanes do not count): each lane
# holds a database connection while it sends, and the handlers need the pool too. The
# rate limiter, not this, keeps Telegram's limits.
LANES = 8
# Officers' alerts go first in the rate limiter; the rest of what the outbox sends
# (receipts, relays, notices, card edits) next; the form's prompts, sent directly by
# handlers, last. The limiter still keeps the total under Telegram's 30 a second.
ALERTS = frozenset({notify.CARD, notify.REMIND})
# A lane that has held its claimed rows this long (a group's 20-a-minute limit) gives the
# rest back before the lease runs out, so no other worker can take and send them too.
GIVE_BACK_AFTER = outbox.LOCK_FOR.total_seconds() / 2
# Rows of one chat made ready (checked and rendered) while earlier ones are sent; and how
# many alerts to one chat may be on their way at once (each is a message of its own).
AHEAD = 6


def relay_chat_key(services: Services, chat_id: int | str) -> str:
    """How a chat is named in RelayMessage: a keyed hash, never the chat id itself."""
    return services.vault.lookup_hash("relay", chat_id)


class Deliverer:
    """One delivery pump per process: it claims what is due and hands each chat's rows to
    that chat's lane; lanes run side by side (at most LANES at once), and a kick while
    they run claims the new rows at once instead of waiting for the slowest chat."""

    def __init__(self, services: Services):
        self.services = services
        self._lanes: dict[tuple, _Lane] = {}
        self._running: set[asyncio.Task] = set()
        self._gate = asyncio.Semaphore(LANES)
        self._kicked = asyncio.Event()
        self._pump: asyncio.Task | None = None
        self._claims = 0
        # Rows of each claim not yet handled, and who waits for a claim to be done.
        self._open: dict[int, int] = {}
        self._done: dict[int, asyncio.Event] = {}
        # A chat whose row must wait: rows of it from a claim that began before that
        # row was rescheduled are given back, not sent ahead of it.
        self._held: dict[tuple, int] = {}
        self._handled = 0

    @property
    def busy(self) -> bool:
        """A pump is claiming or sending (tests wait for it to settle)."""
        return self._pump is not None and not self._pump.done()

    async def run(self, bot: Bot, *, wait: bool = False) -> int:
        """Send what is due now: returns once the rows due at the call are handled (not
        when the pump is idle: under steady traffic it may never be). ``wait``: until
        nothing at all is due (tests, shutdown); then returns the rows handled."""
        self._kicked.set()
        # The next claim to start is the first one that sees what the caller committed.
        done = self._done.setdefault(self._claims + 1, asyncio.Event())
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._pump_until_idle(bot))
            self._pump.add_done_callback(self._pump_done)
        if wait:
            return await asyncio.shield(self._pump)
        await done.wait()
        return 0

    async def _pump_until_idle(self, bot: Bot) -> int:
        self._handled = 0
        while True:
            self._kicked.clear()
            if await self._claim(bot):
                continue
            if not self._running and not self._kicked.is_set():
                return self._handled
            await self._kicked.wait()        # a kick, or a lane done (it may have queued more)

    async def _claim(self, bot: Bot) -> int:
        self._claims += 1
        claim_no, now = self._claims, self.services.clock()
        self._open[claim_no] = 0
        try:
            async with self.services.sessions() as session:
                rows = await outbox.claim_due(session, now=now, limit=BATCH)
        except BaseException:
            self._row_done(claim_no, count=0)
            raise
        claimed_at, given_back = time.monotonic(), []
        for row in rows:
            key = _chat_key(row)
            if key in self._held:
                if self._held[key] >= claim_no:
                    given_back.append(row.id)
                    continue
                del self._held[key]
            lane = self._lanes.get(key)
            if lane is None:
                lane = self._lanes[key] = _Lane()
                task = asyncio.create_task(self._lane(bot, key, lane))
                self._running.add(task)
                task.add_done_callback(self._lane_done)
            lane.append(_Entry(row, now, claimed_at, claim_no))
            lane.arrived.set()
            self._open[claim_no] += 1
        self._row_done(claim_no, count=0)
        if given_back:
            async with self.services.sessions() as session:
                await outbox.release(session, ids=given_back)
                await session.commit()
        return len(rows)

    def _row_done(self, claim_no: int, count: int = 1) -> None:
        self._open[claim_no] -= count
        if self._open[claim_no] <= 0:
            del self._open[claim_no]
            event = self._done.pop(claim_no, None)
            if event is not None:
                event.set()

    def _pump_done(self, task: asyncio.Task) -> None:
        """Nobody waits for a claim a stopped pump will never make (the database was down:
        the next kick or sweep starts a new pump)."""
        for event in self._done.values():
            event.set()
        self._done.clear()
        if not task.cancelled() and task.exception() is not None:
            log.warning("outbox delivery stopped (%s); the sweep will retry",
                        type(task.exception()).__name__)

    def _lane_done(self, task: asyncio.Task) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox lane failed: %s", type(task.exception()).__name__)
        self._kicked.set()

    async def _lane(self, bot: Bot, key: tuple, lane: _Lane) -> None:
        """One chat's rows in order; after one that must wait, the rest are given back.

        The next AHEAD rows are made ready (checked and rendered, each in a short
        transaction of its own) while earlier ones are sent, and a sent row is recorded
        while the next ones go. A row in order (details in parts, a relayed conversation)
        is sent only after every row before it; alerts stand alone and go AHEAD at a time:
        fifty new-case cards to one admin no longer wait for each other's round trips.
        Rows claimed while the lane's last calls are under way join them (before, they
        waited for those calls, were given back and claimed again)."""
        waiting: list[_Entry] = []
        ready: deque[tuple[_Entry, asyncio.Task]] = deque()
        sending: set[asyncio.Task] = set()      # calls under way (their recording apart)
        recording: set[asyncio.Task] = set()
        hold: list[bool] = []                   # a row had to wait: start nothing more

        async def deliver(entry: _Entry, preparing: asyncio.Task) -> None:
            recorded = None
            try:
                outcome = await preparing
                if isinstance(outcome, _Ready):
                    outcome = await self._send(bot, entry, outcome)
                if isinstance(outcome, asyncio.Task):
                    recorded = outcome
                    recording.add(recorded)
                    recorded.add_done_callback(recording.discard)
                    recorded.add_done_callback(
                        lambda _task: self._row_done(entry.claim_no))
                elif outcome is False:
                    hold.append(True)
                    self._held[key] = self._claims
            finally:
                if recorded is None:
                    self._row_done(entry.claim_no)

        # Officers' chats are few (one lane each) and carry the alerts: they never wait
        # for a turn behind residents' receipts; the gate bounds the residents' lanes.
        gate = self._gate if key[0] is None else contextlib.nullcontext()
        try:
            async with gate:
                while (lane or ready or sending) and not hold:
                    while lane and len(ready) < AHEAD:
                        entry = lane.popleft()
                        ready.append((entry, asyncio.create_task(self._prepare(bot, entry))))
                    if not ready:
                        # Calls under way, nothing else yet: until one is done, or a claim
                        # brings this chat more rows.
                        lane.arrived.clear()
                        arrived = asyncio.ensure_future(lane.arrived.wait())
                        try:
                            await asyncio.wait({*sending, arrived},
                                               return_when=asyncio.FIRST_COMPLETED)
                        finally:
                            arrived.cancel()
                        continue
                    entry, preparing = ready[0]
                    alone = entry.row.purpose in ALERTS and entry.row.edit_message_id is None
                    while sending and (not alone or len(sending) >= AHEAD):
                        await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                    if hold or time.monotonic() - entry.claimed_at > GIVE_BACK_AFTER:
                        break
                    ready.popleft()
                    self._handled += 1
                    task = asyncio.create_task(deliver(entry, preparing))
                    sending.add(task)
                    task.add_done_callback(sending.discard)
                if sending:
                    await asyncio.wait(sending)
        finally:
            # No await between the last look at the lane and its removal: a claim adds to
            # a lane only while it is listed.
            waiting += lane
            lane.clear()
            del self._lanes[key]
            try:
                if sending:          # cancelled: let the calls under way settle
                    await asyncio.gather(*sending, return_exceptions=True)
                # Rows made ready but not sent go back; one settled meanwhile (cancelled,
                # say) is done with, and release() leaves it alone.
                for entry, preparing in ready:
                    with contextlib.suppress(Exception):
                        await preparing
                    waiting.append(entry)
                # A lane is done when what it sent is recorded (run() callers, shutdown).
                if recording:
                    await asyncio.gather(*recording, return_exceptions=True)
                if waiting:
                    async with self.services.sessions() as session:
                        await outbox.release(session, ids=[entry.row.id for entry in waiting])
                        await session.commit()
            finally:
                for entry in waiting:
                    self._row_done(entry.claim_no)

    async def _prepare(self, bot: Bot, entry: _Entry) -> _Ready | bool:
        """A row made ready to send (_Ready), or settled without a send: True (done with),
        False (it must wait: the chat's later rows wait too)."""
        row = entry.row
        try:
            async with self.services.sessions() as session:
                session.add(row)
                return await _prepare_one(bot, self.services, session, row, entry.now)
        except Exception as exc:  # noqa: BLE001  (no handler knows it: retry, then give up)
            await _unknown_failure(self.services, row.id, exc, entry.now)
            return False

    async def _send(self, bot: Bot, entry: _Entry, ready: _Ready) -> asyncio.Task | bool:
        """The call itself; a sent row is recorded by the task returned (deliver once: it
        commits the row as sent), a refused one here (True, or False: it must wait)."""
        row, now = entry.row, entry.now
        try:
            message_id = await _call(bot, self.services, row, ready)
        except _Refused as refused:
            try:
                async with self.services.sessions() as session:
                    session.add(row)
                    return await _refused(self.services, session, row, now, ready, refused.error)
            except Exception as exc:  # noqa: BLE001
                await _unknown_failure(self.services, row.id, exc, now)
                return False
        except Exception as exc:  # noqa: BLE001  (no handler knows it: retry, then give up)
            await _unknown_failure(self.services, row.id, exc, now)
            return False
        return asyncio.create_task(self._record(row, now, ready, message_id))

    async def _record(self, row: Outbox, now: datetime, ready: _Ready, message_id: int) -> None:
        try:
            async with self.services.sessions() as session:
                session.add(row)
                await _record_sent(self.services, session, row, now, ready, message_id)
        except Exception as exc:  # noqa: BLE001  (sent, but not recorded: see below)
            # The lease runs out and the row is sent again: once too often is better than
            # never, and the chat's later rows have gone already.
            log.error("outbox %s: sent but not recorded (%s)", row.id, type(exc).__name__)


class _Lane(deque):
    """One chat's claimed rows, not yet made ready; ``arrived`` is set when a claim adds."""

    def __init__(self):
        super().__init__()
        self.arrived = asyncio.Event()


class _Entry(NamedTuple):
    row: Outbox
    now: datetime       # the claim's time: the row's lease runs from it
    claimed_at: float   # monotonic, for GIVE_BACK_AFTER
    claim_no: int


def _chat_key(row: Outbox) -> tuple:
    return row.officer_id, row.reporter_id, row.chat_id


async def deliver_due(bot: Bot, services: Services) -> int:
    """Send what is due now, as a delivery process of its own; returns rows handled."""
    return await Deliverer(services).run(bot, wait=True)


class _Ready(NamedTuple):
    """A row ready to go: to whom, and the words and buttons as rendered now."""
    chat_id: int | str
    text: str
    markup: dict | None
    rendered_from: tuple | None      # a card's: see notify.card_state
    unblock: bool = False            # to an officer recorded as having blocked the bot
    channel: str = "telegram"        # the reporter's channel ("whatsapp": its adapter sends)


class _Refused(Exception):
    def __init__(self, error: Exception):
        super().__init__(type(error).__name__)
        self.error = error


async def _prepare_one(bot: Bot, services: Services, session, row: Outbox,
                       now: datetime) -> _Ready | bool:
    """Check and render one claimed row; settle one there is nothing to send for (True).
    Ends its transaction either way: none is held across the network call."""
    # The recipient and the case, read once in one query and held here: the session keeps
    # an object only while something refers to it, and without these the checks and the
    # render below read the officer (three times), the reporter (twice) and the case
    # (twice) again, a round trip each.
    officer, reporter, report = await _read_for(session, row)
    if not await _still_wanted(session, row, now):
        outbox.finish(row, outbox.CANCELLED, now=now)
        await session.commit()
        return True
    chat_id = await _chat_of(services, session, row)
    if chat_id is None:
        outbox.finish(row, outbox.FAILED, now=now, error="no recipient")
        await session.commit()
        return True
    content = await notify.content_of(session, services, row)
    if content is None:
        outbox.finish(row, outbox.CANCELLED, now=now)
        await session.commit()
        return True
    text, markup_data = content
    # What a card was rendered from, to tell after the send whether it went stale meanwhile.
    ready = _Ready(chat_id, text, markup_data, await notify.card_state(session, row),
                   unblock=officer is not None and officer.blocked,
                   channel=reporter.channel if reporter is not None else "telegram")
    del reporter, report        # held for the reads above
    await session.commit()
    return ready


async def _call(bot: Bot, services: Services, row: Outbox, ready: _Ready) -> int:
    """Send or edit; the message id. A refusal Telegram gives is raised as _Refused."""
    text, chat_id = ready.text, ready.chat_id
    if ready.channel == "whatsapp":
        return await _call_whatsapp(services, row, ready)
    markup = InlineKeyboardMarkup.de_json(ready.markup, bot) if ready.markup else None
    try:
        if row.edit_message_id is not None:
            result = await bot.edit_message_text(
                text, chat_id=chat_id, message_id=row.edit_message_id,
                parse_mode=ParseMode.HTML, reply_markup=markup, **_limits(bot, row))
            return row.edit_message_id if result is True else result.message_id
        message = await _send_new(bot, services, chat_id, row, text, markup)
        return message.message_id
    except (RetryAfter, Forbidden, ChatMigrated, BadRequest, NetworkError) as exc:
        raise _Refused(exc) from exc


async def _call_whatsapp(services: Services, row: Outbox, ready: _Ready) -> int:
    """A WhatsApp resident's row, through that channel's adapter (the wamid is kept there:
    the outbox's message id stays 0)."""
    from bot.channels.whatsapp.channel import Refused, Transient, WindowClosed
    if services.whatsapp is None:
        raise _Refused(Transient("whatsapp is not configured"))
    if notify.media_of(services, row) is not None:
        # An officer's file or pin: not relayed to WhatsApp yet; the officer's words are.
        raise _Refused(Refused("media to whatsapp"))
    try:
        await services.whatsapp.deliver_row(row, ready.text, ready.markup)
    except (WindowClosed, Transient, Refused) as exc:
        raise _Refused(exc) from exc
    return 0


def _refused_whatsapp(session, row: Outbox, now: datetime, error: Exception) -> bool | None:
    """The WhatsApp adapter's refusals; None for anything else."""
    from bot.channels.whatsapp import window
    from bot.channels.whatsapp.channel import Refused, Transient, WindowClosed
    if isinstance(error, WindowClosed):
        window.hold(row, now=now)            # not an attempt: it waits for the reply
        return False
    if isinstance(error, Transient):
        outbox.retry_later(row, now=now, after=error.after, error=str(error))
        return False
    if isinstance(error, Refused):
        outbox.finish(row, outbox.FAILED, now=now, error=str(error))
        return True
    return None


async def _refused(services: Services, session, row: Outbox, now: datetime, ready: _Ready,
                   error: Exception) -> bool:
    """What Telegram refused: False when the row has to be retried later."""
    answer = _refused_whatsapp(session, row, now, error)
    if answer is not None:
        if answer:
            await notify.after_failed(session, row, now=now)
        await session.commit()
        log.info("outbox %s: whatsapp %s", row.id, type(error).__name__)
        return answer
    if isinstance(error, RetryAfter):
        with warnings.catch_warnings():   # int today, timedelta in PTB 23: both handled
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = error.retry_after
        wait = wait if isinstance(wait, timedelta) else timedelta(seconds=float(wait))
        outbox.retry_later(row, now=now, after=wait, error="429 retry after")
        await session.commit()
        log.info("outbox %s: flood limit, retrying in %s", row.id, wait)
        return False
    if isinstance(error, Forbidden):
        await _blocked(services, session, row, now)
        return True
    if isinstance(error, ChatMigrated):
        await chat_moves.record_move(session, old_chat_id=int(ready.chat_id),
                                     new_chat_id=error.new_chat_id, now=now)
        row.chat_id = error.new_chat_id
        outbox.retry_later(row, now=now, after=timedelta(0), error="chat migrated")
        await session.commit()
        log.warning("outbox %s: the group became a supergroup; update TASKFORCE_CHAT_ID", row.id)
        return True
    if isinstance(error, BadRequest):
        if "not modified" in str(error).lower():
            outbox.finish(row, outbox.SENT, now=now, message_id=row.edit_message_id)
        else:
            outbox.finish(row, outbox.FAILED, now=now, error="bad request")
            await notify.after_failed(session, row, now=now)
            log.warning("outbox %s (%s) refused by Telegram", row.id, row.purpose)
        await session.commit()
        return True
    # NetworkError, which includes 5xx and TimedOut
    outbox.retry_later(row, now=now, after=None, error=type(error).__name__)
    await session.commit()
    log.info("outbox %s: %s, will retry", row.id, type(error).__name__)
    return False


async def _record_sent(services: Services, session, row: Outbox, now: datetime,
                       ready: _Ready, message_id: int) -> None:
    outbox.finish(row, outbox.SENT, now=now, message_id=message_id)
    await notify.after_delivered(session, row)
    await _after_sent(services, session, row, ready.chat_id, message_id, now,
                      (ready.text, ready.markup), ready.rendered_from, unblock=ready.unblock)
    await session.commit()


async def _send_new(bot: Bot, services: Services, chat_id, row: Outbox, text: str, markup):
    """A new message: text, or the file or location an officer sends a reporter."""
    media = notify.media_of(services, row)
    if media is not None:
        return await send_media(bot, chat_id, media, **_limits(bot, row))
    return await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                  reply_markup=markup, **_limits(bot, row))


def _read_query(recipient, with_case: bool):
    query = select(recipient).where(recipient.id == bindparam("recipient"))
    if with_case:
        query = (select(recipient, Report).select_from(recipient)
                 .outerjoin(Report, Report.id == bindparam("case"))
                 .where(recipient.id == bindparam("recipient")))
    return query


# Built once (asked for every row sent): the recipient, with the case when it is read.
_READS = {(recipient, with_case): _read_query(recipient, with_case)
          for recipient in (Officer, Reporter) for with_case in (False, True)}


async def _read_for(session, row: Outbox) -> tuple[Officer | None, Reporter | None, Report | None]:
    """The officer or reporter a row goes to, and its case when its words or checks read
    it (rendered when sent, a reminder): one query. Whatever it did not find is read
    again where it is needed (as before: a row to nobody, a case gone)."""
    case_id = row.report_id if row.report_id is not None and (
        row.purpose in outbox.RENDERED_AT_SEND or notify.reminder_kind(row)) else None
    recipient = Officer if row.officer_id is not None else (
        Reporter if row.reporter_id is not None else None)
    if recipient is None:
        return None, None, (await session.get(Report, case_id) if case_id is not None else None)
    params = {"recipient": row.officer_id if recipient is Officer else row.reporter_id}
    if case_id is not None:
        params["case"] = case_id
    found = (await session.exec(_READS[recipient, case_id is not None], params=params)).first()
    person = found[0] if found is not None else None
    report = found[1] if found is not None and case_id is not None else None
    return ((person, None, report) if recipient is Officer else (None, person, report))


async def _still_wanted(session, row: Outbox, now: datetime) -> bool:
    """In a session of its own: what it reads is as the database has it now."""
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        if officer is None or not officer.active:
            return False          # they left: nothing more about any case reaches them
    kind = notify.reminder_kind(row)
    if kind is None:
        return True
    report = await session.get(Report, row.report_id)
    if not reminders.still_due(kind, report, row.created_at):
        return False
    if kind in reminders.REMINDER_KINDS:
        return await duty.is_on_duty(session, officer_id=row.officer_id, now=now)
    return True


async def _chat_of(services: Services, session, row: Outbox) -> int | str | None:
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        return officer.telegram_user_id if officer else None
    if row.reporter_id is not None:
        reporter = await session.get(Reporter, row.reporter_id)
        if reporter is None:
            return None
        if reporter.channel != "telegram":
            return reporter.id        # the channel's adapter reads the address itself
        return int(reporter_chat_id(services.vault, reporter))
    return await chat_moves.current_chat(session, row.chat_id)


def _limits(bot: Bot, row: Outbox) -> dict:
    """Alerts first, then the rest of the outbox, ahead of prompts; and no retry inside
    the call: a 429 reschedules the row instead."""
    if getattr(bot, "rate_limiter", None) is None:
        return {}
    priority = ALERT if row.purpose in ALERTS else OUTBOX
    return {"rate_limit_args": {"priority": priority, "retries": 0}}


async def _unknown_failure(services: Services, outbox_id: int, exc: Exception,
                           now: datetime) -> None:
    """Retry with back-off; after MAX_ATTEMPTS the row is dead (see tipbot_outbox_dead)."""
    async with services.sessions() as session:
        row = await session.get(Outbox, outbox_id, populate_existing=True)
        if row is None or row.status != outbox.PENDING:
            return
        error = f"unexpected {type(exc).__name__}"
        if row.attempts + 1 >= outbox.MAX_ATTEMPTS:
            outbox.finish(row, outbox.DEAD, now=now, error=error)
            await notify.after_failed(session, row, now=now)
            log.error("outbox %s (%s): %s, dead-lettered after %s attempts", row.id, row.purpose,
                      type(exc).__name__, row.attempts)
        else:
            outbox.retry_later(row, now=now, after=None, error=error)
            log.warning("outbox %s (%s): %s, will retry", row.id, row.purpose, type(exc).__name__)
        await session.commit()


async def _after_sent(services: Services, session, row: Outbox, chat_id, message_id: int,
                      now: datetime, shown: tuple[str, dict | None],
                      rendered_from: tuple | None = None, unblock: bool = False) -> None:
    """Remember what shows a case (cards, details, reminders), with the words it was sent
    with, and relayed messages; a card that went stale while queued is edited. An officer
    recorded as having blocked the bot (``unblock``, as read when the row was made ready)
    has them no longer."""
    if row.purpose in notify.VIEW_KINDS and row.report_id is not None:
        await notify.remember_view(session, services, row, chat_id=int(chat_id),
                                   message_id=message_id, now=now, shown=shown,
                                   rendered_from=rendered_from)
    elif row.purpose in (notify.RELAY_OUT, notify.RELAY_FILE, notify.RELAY_IN):
        side = "officer" if row.purpose == notify.RELAY_IN else "reporter"
        session.add(RelayMessage(report_id=row.report_id, side=side,
                                 chat_key=relay_chat_key(services, chat_id),
                                 message_id=message_id, created_at=now))
    if unblock and row.officer_id is not None:
        await session.exec(update(Officer).where(Officer.id == row.officer_id)
                           .values(blocked=False))


async def _blocked(services: Services, session, row: Outbox, now: datetime) -> None:
    outbox.finish(row, outbox.BLOCKED, now=now, error="forbidden")
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        officer.blocked = True
        await session.flush()
        if row.purpose == notify.CARD and row.report_id is not None:
            await notify.reroute_after_block(session, services, row.report_id, now=now)
    elif row.reporter_id is not None:
        reporter = await session.get(Reporter, row.reporter_id)
        reporter.blocked = True
        await notify.after_delivered(session, row)   # never deliverable: erase the code
    await session.commit()
    log.info("outbox %s: recipient blocked the bot", row.id)


async def delivery_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: send whatever is due."""
    await context.bot_data.deliverer.run(context.bot)


async def sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: queue due reminders and escalations, then send."""
    services = context.bot_data.services
    now = services.clock()
    async with services.sessions() as session:
        await notify.run_sweep(session, services, now=now)
        await updates_seen.prune(session, now=now)
        await session.commit()
    await daily_purge(services, now=now)
    context.bot_data.status.swept()
    await context.bot_data.deliverer.run(context.bot)


async def daily_purge(services: Services, *, now: datetime) -> dict[str, int] | None:
    """Once a day, in one process only (the database elects it): the retention purge,
    then a WAL checkpoint so the deleted bytes leave the SQLite file."""
    async with services.sessions() as session:
        if not await retention.claim_daily_purge(session, now=now):
            await session.rollback()
            return None
        counts = await retention.purge(session, settings=services.settings,
                                       store=services.evidence, now=now)
        await session.commit()
        await checkpoint(session.bind)
    log.info("daily purge done: %s", counts)
    return counts


async def deliver_now(context) -> None:
    """Send what this update queued (a receipt) before the update is done. Never fails the
    update: the rows are committed, and whatever cannot go now goes with the next sweep."""
    try:
        await context.bot_data.deliverer.run(context.bot)
    except Exception as exc:  # noqa: BLE001  (already stored; the sweep retries)
        log.warning("immediate delivery failed (%s); the sweep will retry", type(exc).__name__)


def kick(context) -> None:
    """Deliver right after a handler committed, without waiting for the next sweep."""
    if context.job_queue is not None:
        context.job_queue.run_once(delivery_job, 0)
