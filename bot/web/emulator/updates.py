"""The update queue, getUpdates long polling, and ``settle()`` (a mixin of BotApiEmulator)."""

from __future__ import annotations

import asyncio
import copy
import time

from .errors import expected

CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
BATCH_DELAY = 0.002  # the Bot API server waits 1-2 ms after a wake-up to batch updates
DEFAULT_UPDATES = frozenset({  # what getUpdates delivers when allowed_updates is empty
    "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages", "inline_query",
    "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
    "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_join_request", "chat_boost",
    "removed_chat_boost", "guest_message", "managed_bot",
})


class UpdateQueue:
    def _init_updates(self) -> None:
        self.updates: list[dict] = []  # every update ever queued, for tests to inspect
        self.pending_updates: list[dict] = []  # queued and not yet confirmed by an offset
        self.allowed_updates: set[str] = set()
        self._delivered_upto = 0  # highest update_id returned by getUpdates or filtered out
        self._returned_upto = 0  # highest update_id returned by getUpdates
        self._confirmed_upto = 0  # every update_id below it was confirmed
        self._changed: asyncio.Future | None = None
        self._poll_token: object | None = None
        self._last_activity = time.monotonic()
        self._in_flight: dict[int, str] = {}
        self._closing = False
        self._long_polling = False
        self._app = None
        self._busy_probes: list = []

    @staticmethod
    def _clock() -> float:
        return time.monotonic()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    @property
    def last_activity(self) -> float:
        """time.monotonic() of the last request or queued update (the sandbox page polls it)."""
        return self._last_activity

    # -- queueing ----------------------------------------------------------------------------
    def _queue(self, kind: str, payload: dict) -> dict:
        update = {"update_id": next(self.ids.updates), kind: payload}
        self.updates.append(update)
        self.pending_updates.append(update)
        self._touch()
        self._notify()
        self._kick_webhook()
        return copy.deepcopy(update)

    def _notify(self) -> None:
        fut, self._changed = self._changed, None
        if fut is not None and not fut.done():
            fut.set_result(None)

    async def _wait_change(self, timeout: float) -> None:
        if self._changed is None:
            self._changed = asyncio.get_running_loop().create_future()
        try:
            await asyncio.wait_for(asyncio.shield(self._changed), timeout)
        except TimeoutError:
            pass

    def _is_allowed(self, update: dict) -> bool:
        kind = next(k for k in update if k != "update_id")
        return kind in (self.allowed_updates or DEFAULT_UPDATES)

    # -- getUpdates --------------------------------------------------------------------------
    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]
            self._confirmed_upto = max(self._confirmed_upto, offset)
        elif offset < 0:
            dropped = self.pending_updates[:offset]
            self.pending_updates = self.pending_updates[offset:]
            if dropped:
                self._confirmed_upto = max(self._confirmed_upto, dropped[-1]["update_id"] + 1)

    def _batch(self, offset: int, limit: int) -> list[dict]:
        kept = []
        for u in self.pending_updates:  # updates of kinds the bot does not want are never sent
            if self._is_allowed(u):
                kept.append(u)
            else:
                self._delivered_upto = max(self._delivered_upto, u["update_id"])
        self.pending_updates = kept
        return [u for u in kept if u["update_id"] >= offset][:limit]

    async def _poll(self, offset: int, limit: int, timeout: int) -> list[dict]:
        self._confirm(offset)
        token = object()
        self._poll_token = token
        self._notify()  # a waiting older poll ends with 409 Conflict
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            if self._poll_token is not token:
                raise expected(409, CONFLICT)
            batch = self._batch(offset, limit)
            if batch:
                if waited:
                    await asyncio.sleep(BATCH_DELAY)
                    batch = self._batch(offset, limit)
                self._delivered_upto = max(self._delivered_upto, batch[-1]["update_id"])
                self._returned_upto = max(self._returned_upto, batch[-1]["update_id"])
                self._touch()
                return copy.deepcopy(batch)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                return []
            await self._wait_change(remaining)
            waited = True

    def _drop_pending(self) -> None:
        if self.pending_updates:
            last = self.pending_updates[-1]["update_id"]
            self._delivered_upto = max(self._delivered_upto, last)
            self._returned_upto = max(self._returned_upto, last)
            self._confirmed_upto = max(self._confirmed_upto, last + 1)
        self.pending_updates = []

    # -- settle ------------------------------------------------------------------------------
    def attach(self, app) -> None:
        """Let settle() also wait until this PTB Application has processed every update.

        Without it, settle() looks for running PTB Applications of this bot by their update
        fetcher task ("Application:<bot id>:update_fetcher") in the current event loop."""
        self._app = app

    def wait_also_for(self, probe) -> None:
        """Let settle() also wait while ``probe()`` names work still going on in the bot
        (e.g. its background delivery), which makes no request for a while."""
        self._busy_probes.append(probe)

    def stop_waiting_for(self, probe) -> None:
        if probe in self._busy_probes:
            self._busy_probes.remove(probe)

    def _applications(self, app) -> list:
        if app is not None:
            return [app]
        name = f"Application:{self.bot.id}:update_fetcher"
        found = []
        for task in asyncio.all_tasks():
            frame = getattr(task.get_coro(), "cr_frame", None)
            if task.get_name() == name and frame is not None and "self" in frame.f_locals:
                found.append(frame.f_locals["self"])
        return found

    def _busy(self, app, quiet: float) -> list[str]:
        reasons = []
        waiting = [u for u in self.pending_updates
                   if u["update_id"] > self._delivered_upto and self._is_allowed(u)]
        if waiting:
            kinds = [next(k for k in u if k != "update_id") for u in waiting]
            reasons.append(f"{len(waiting)} update(s) not fetched by the bot (is it polling?): {kinds}")
        if self._in_flight:
            reasons.append(f"requests in flight: {sorted(self._in_flight.values())}")
        apps = self._applications(app)
        if (apps or self._long_polling) and 0 < self._returned_upto >= self._confirmed_upto:
            reasons.append("the bot has not confirmed the last updates with a new getUpdates offset")
        for application in apps:
            unfinished = getattr(application.update_queue, "_unfinished_tasks", 0)
            if unfinished:
                reasons.append(f"the Application is still processing {unfinished} update(s)")
        reasons += [reason for reason in (probe() for probe in self._busy_probes) if reason]
        idle = time.monotonic() - self._last_activity
        if idle < quiet:
            reasons.append(f"last activity {idle * 1000:.0f} ms ago (quiet period {quiet * 1000:.0f} ms)")
        return reasons

    async def settle(self, timeout: float = 5.0, *, quiet: float = 0.05, app=None) -> None:
        """Wait until every queued update was fetched, no request is in flight and the bot has
        made no request for ``quiet`` seconds (and, with an attached Application, it has
        processed all updates). Raises AssertionError saying what is still going on."""
        app = app if app is not None else self._app
        deadline = time.monotonic() + timeout
        while True:
            reasons = self._busy(app, quiet)
            if not reasons:
                return
            if time.monotonic() >= deadline:
                raise AssertionError(f"settle() timed out after {timeout}s: " + "; ".join(reasons))
            await asyncio.sleep(0.005)
