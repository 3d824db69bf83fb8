"""The delivery core: claims the outbox rows that are due and sends each through its
channel's adapter. It knows no purpose and no channel: what a row says is rendered by
the adapter when it is sent, and what follows a delivery is bot/services/delivered.py.

The rows due are locked in one conditional UPDATE (one winner across processes) and sent
concurrently, one lane per chat: a chat's rows go in order (alerts, messages of their own,
side by side), each marked sent in its own commit right after its call succeeds, so a
restart never sends it again; fifty residents' receipts no longer queue behind each other
and behind the officers' cards. No transaction is open while a call waits for its turn in
the channel's rate limits or for the channel.

A channel plugs in with an adapter (the ``Channel`` protocol below), registered under the
name rows carry in ``outbox.channel`` (``Deliverer(services, {"telegram": ...})``):

- ``address(session, row)``: where the row goes on this channel (a chat id, a phone
  number), or None when its recipient is gone;
- ``render(session, row)``: the row's words and buttons as the channel shows them, read
  from the tables now (a ``Rendered``), or None when there is nothing left to say;
- ``send(row, address, rendered, alert=...)``: send (or edit, ``row.edit_message_id``)
  and return the message id; a refusal is raised as one of the ``Refused`` kinds below,
  anything else counts as an unknown failure. ``alert`` rows (officers' cards and
  reminders) go ahead of everything else in the channel's limits.

Refusals: ``FloodLimit`` reschedules the row after ``retry_after`` (never sleeping while
holding the row's lease, which another worker would take over); ``Unavailable`` (5xx,
network) backs off exponentially; ``Blocked`` is recorded, and an unclaimed case's card
goes to someone else; ``ChatMoved`` follows a group upgraded to a supergroup;
``NotModified`` counts as sent; ``Rejected`` fails the row; ``Deferred`` waits for what
the channel waits for (not an attempt). Anything else is retried and, after
outbox.MAX_ATTEMPTS, dead-lettered.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import bindparam, select

from bot.services.container import Services
from bot.services import chat_moves, delivered, outbox
from models import Officer, Outbox, Report, Reporter

log = logging.getLogger(__name__)
BATCH = 50
# Residents' and groups' chats served at once (officers' lanes do not count): each lane
# holds a database connection while it sends, and the handlers need the pool too. The
# rate limiter, not this, keeps Telegram's limits.
LANES = 8
# A lane that has held its claimed rows this long (a group's 20-a-minute limit) gives the
# rest back before the lease runs out, so no other worker can take and send them too.
GIVE_BACK_AFTER = outbox.LOCK_FOR.total_seconds() / 2
# Rows of one chat made ready (checked and rendered) while earlier ones are sent; and how
# many alerts to one chat may be on their way at once (each is a message of its own).
AHEAD = 6


class Rendered(NamedTuple):
    """What a channel will send for a row: its own message object (opaque here), and
    ``shown``, a digest of what the message shows (remembered for the messages that show
    a case, so an edit that would change nothing is never sent)."""

    message: Any
    shown: str | None = None


class Channel(Protocol):
    """A channel adapter: see the module's docstring."""

    async def address(self, session, row: Outbox) -> int | str | None: ...

    async def render(self, session, row: Outbox) -> Rendered | None: ...

    async def send(self, row: Outbox, address: int | str, rendered: Rendered, *,
                   alert: bool) -> int: ...


class Refused(Exception):
    """A channel refused a call (see the kinds below)."""


class FloodLimit(Refused):
    def __init__(self, retry_after: timedelta):
        super().__init__("flood limit")
        self.retry_after = retry_after


class Unavailable(Refused):
    """5xx, a timeout, the network: back off and try again."""


class Blocked(Refused):
    """The recipient blocked the bot."""


class ChatMoved(Refused):
    def __init__(self, new_chat_id: int):
        super().__init__("chat moved")
        self.new_chat_id = new_chat_id


class NotModified(Refused):
    """An edit that changes nothing: the message already shows it."""


class Rejected(Refused):
    """The channel refuses this message for good (a bad request)."""


class Deferred(Refused):
    """The channel cannot take the row now and knows when it may (WhatsApp's closed
    24-hour window: until the resident writes): it waits ``after`` at most, marked with
    ``note``, and it is not a failed attempt."""

    def __init__(self, after: timedelta, note: str):
        super().__init__(note)
        self.after, self.note = after, note


class Deliverer:
    """One delivery pump per process: it claims what is due and hands each chat's rows to
    that chat's lane; lanes run side by side (at most LANES at once), and a kick while
    they run claims the new rows at once instead of waiting for the slowest chat."""

    def __init__(self, services: Services, channels: Mapping[str, Channel]):
        self.services = services
        self.channels = channels
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
        # Called whenever nothing is due right now (bot/channels/telegram/alarm.py sets the wake-up
        # for the next row due, so none waits for the sweep).
        self.on_quiet: Callable[[], None] | None = None

    @property
    def busy(self) -> bool:
        """A pump is claiming or sending (tests wait for it to settle)."""
        return self._pump is not None and not self._pump.done()

    async def run(self, *, wait: bool = False) -> int:
        """Send what is due now: returns once the rows due at the call are handled (not
        when the pump is idle: under steady traffic it may never be). ``wait``: until
        nothing at all is due (tests, shutdown); then returns the rows handled."""
        self._kicked.set()
        # The next claim to start is the first one that sees what the caller committed.
        done = self._done.setdefault(self._claims + 1, asyncio.Event())
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._pump_until_idle())
            self._pump.add_done_callback(self._pump_done)
        if wait:
            return await asyncio.shield(self._pump)
        await done.wait()
        return 0

    async def _pump_until_idle(self) -> int:
        self._handled = 0
        while True:
            self._kicked.clear()
            if await self._claim():
                continue
            self._quiet()
            if not self._running and not self._kicked.is_set():
                return self._handled
            await self._kicked.wait()        # a kick, or a lane done (it may have queued more)

    async def _claim(self) -> int:
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
                task = asyncio.create_task(self._lane(key, lane))
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
            log.warning("outbox delivery stopped (%s); will retry",
                        type(task.exception()).__name__)
            self._quiet()

    def _quiet(self) -> None:
        if self.on_quiet is not None:
            self.on_quiet()

    def _lane_done(self, task: asyncio.Task) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox lane failed: %s", type(task.exception()).__name__)
        self._kicked.set()

    async def _lane(self, key: tuple, lane: _Lane) -> None:
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
                    outcome = await self._send(entry, outcome)
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
                        ready.append((entry, asyncio.create_task(self._prepare(entry))))
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
                    alone = outbox.is_alert(entry.row)
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

    async def _prepare(self, entry: _Entry) -> _Ready | bool:
        """A row made ready to send (_Ready), or settled without a send: True (done with),
        False (it must wait: the chat's later rows wait too)."""
        row = entry.row
        try:
            async with self.services.sessions() as session:
                session.add(row)
                return await _prepare_one(self._channel(row), self.services, session, row, entry.now)
        except Exception as exc:  # noqa: BLE001  (no handler knows it: retry, then give up)
            await _unknown_failure(self.services, row.id, exc, entry.now)
            return False

    async def _send(self, entry: _Entry, ready: _Ready) -> asyncio.Task | bool:
        """The call itself; a sent row is recorded by the task returned (deliver once: it
        commits the row as sent), a refused one here (True, or False: it must wait)."""
        row, now = entry.row, entry.now
        try:
            message_id = await self._channel(row).send(row, ready.address, ready.rendered,
                                                        alert=outbox.is_alert(row))
        except Refused as refused:
            try:
                async with self.services.sessions() as session:
                    session.add(row)
                    return await _refused(self.services, session, row, now, ready, refused)
            except Exception as exc:  # noqa: BLE001
                await _unknown_failure(self.services, row.id, exc, now)
                return False
        except Exception as exc:  # noqa: BLE001  (no handler knows it: retry, then give up)
            await _unknown_failure(self.services, row.id, exc, now)
            return False
        return asyncio.create_task(self._record(row, now, ready, message_id))

    def _channel(self, row: Outbox) -> Channel:
        channel = self.channels.get(row.channel)
        if channel is None:
            raise LookupError(f"no adapter for channel {row.channel!r}")
        return channel

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


async def deliver_due(services: Services, channels: Mapping[str, Channel]) -> int:
    """Send what is due now, as a delivery process of its own; returns rows handled."""
    return await Deliverer(services, channels).run(wait=True)


class _Ready(NamedTuple):
    """A row ready to go: to whom, and what the channel rendered for it now."""
    address: int | str
    rendered: Rendered
    rendered_from: tuple | None      # a card's: see delivered.card_state
    unblock: bool = False            # to an officer recorded as having blocked the bot


async def _prepare_one(channel: Channel, services: Services, session, row: Outbox,
                       now: datetime) -> _Ready | bool:
    """Check and render one claimed row; settle one there is nothing to send for (True).
    Ends its transaction either way: none is held across the network call."""
    # The recipient and the case, read once in one query and held here: the session keeps
    # an object only while something refers to it, and without these the checks and the
    # render below read the officer (three times), the reporter (twice) and the case
    # (twice) again, a round trip each.
    officer, reporter, report = await _read_for(session, row)
    if not await delivered.still_wanted(session, row, now):
        outbox.finish(row, outbox.CANCELLED, now=now)
        await session.commit()
        return True
    address = await channel.address(session, row)
    if address is None:
        outbox.finish(row, outbox.FAILED, now=now, error="no recipient")
        await session.commit()
        return True
    rendered = await channel.render(session, row)
    if rendered is None:
        outbox.finish(row, outbox.CANCELLED, now=now)
        await session.commit()
        return True
    # What a card was rendered from, to tell after the send whether it went stale meanwhile.
    ready = _Ready(address, rendered, await delivered.card_state(session, row),
                   unblock=officer is not None and officer.blocked)
    del reporter, report        # held for the reads above
    await session.commit()
    return ready


async def _refused(services: Services, session, row: Outbox, now: datetime, ready: _Ready,
                   refusal: Refused) -> bool:
    """What the channel refused: False when the row has to be retried later."""
    if isinstance(refusal, FloodLimit):
        outbox.flood_wait(row, now=now, after=refusal.retry_after)
        await session.commit()
        log.info("outbox %s: flood limit, retrying in %s", row.id, refusal.retry_after)
        return False
    if isinstance(refusal, Deferred):
        row.next_attempt_at, row.locked_until = now + refusal.after, None
        row.last_error = refusal.note[:300]
        await session.commit()
        log.info("outbox %s: deferred by its channel", row.id)
        return False
    if isinstance(refusal, Blocked):
        outbox.finish(row, outbox.BLOCKED, now=now, error="forbidden")
        await delivered.after_blocked(session, services, row, now=now)
        await session.commit()
        log.info("outbox %s: recipient blocked the bot", row.id)
        return True
    if isinstance(refusal, ChatMoved):
        await chat_moves.record_move(session, old_chat_id=int(ready.address),
                                     new_chat_id=refusal.new_chat_id, now=now)
        row.chat_id = refusal.new_chat_id
        outbox.retry_later(row, now=now, after=timedelta(0), error="chat migrated")
        await session.commit()
        log.warning("outbox %s: the group became a supergroup; update TASKFORCE_CHAT_ID", row.id)
        return True
    if isinstance(refusal, NotModified):
        outbox.finish(row, outbox.SENT, now=now, message_id=row.edit_message_id)
        await session.commit()
        return True
    if isinstance(refusal, Rejected):
        outbox.finish(row, outbox.FAILED, now=now, error="bad request")
        await delivered.after_failed(session, row, now=now)
        log.warning("outbox %s (%s) refused by the channel", row.id, row.purpose)
        await session.commit()
        return True
    # Unavailable: 5xx, timeouts, the network
    outbox.retry_later(row, now=now, after=None, error=str(refusal) or type(refusal).__name__)
    await session.commit()
    log.info("outbox %s: %s, will retry", row.id, str(refusal) or type(refusal).__name__)
    return False


async def _record_sent(services: Services, session, row: Outbox, now: datetime,
                       ready: _Ready, message_id: int) -> None:
    outbox.finish(row, outbox.SENT, now=now, message_id=message_id)
    await delivered.after_sent(session, services, row, chat_id=ready.address,
                               message_id=message_id, now=now, shown=ready.rendered.shown,
                               rendered_from=ready.rendered_from, unblock=ready.unblock)
    await session.commit()


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
    """The officer or reporter a row goes to, and its case: one query. Whatever it did
    not find is read again where it is needed (a row to nobody, a case gone)."""
    case_id = row.report_id
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
            await delivered.after_failed(session, row, now=now)
            log.error("outbox %s (%s): %s, dead-lettered after %s attempts", row.id, row.purpose,
                      type(exc).__name__, row.attempts)
        else:
            outbox.retry_later(row, now=now, after=None, error=error)
            log.warning("outbox %s (%s): %s, will retry", row.id, row.purpose, type(exc).__name__)
        await session.commit()
