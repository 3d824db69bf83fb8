"""The WhatsApp channel as the rest of the bot sees it: it answers a resident, sends
what the outbox holds for them (the window kept), fetches their files, and reads what
Meta says became of a message."""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from pywa_async import WhatsApp, types
from pywa_async.types.templates import TemplateLanguage
from pywa_async.errors import WhatsAppError
from sqlalchemy import delete, update

from bot.services.container import Services
from bot.engine.i18n import Translator
from bot.render.text import Reply
from bot.services import delivery, outbox
from bot.services.residents import reporter_chat_id
from bot.storage.scrub import cleaned_document
from models import Outbox, Reporter, WhatsAppSent

from . import window
from .render import Outgoing, plain, to_whatsapp

log = logging.getLogger(__name__)
WINDOW_CLOSED = 131047
# Meta's throttling codes: wait and try again, it is not a failed attempt.
THROTTLED = {4, 80007, 130429, 131048, 131056}
KEEP_SENT = timedelta(days=1)
STATUS_WAITS, STATUS_WAIT = 20, 0.05
WHATSAPP = "whatsapp"        # the name its rows carry in outbox.channel


class WindowClosed(Exception):
    """Free-form words cannot go now: the template went (or had gone) instead."""


class Transient(Exception):
    """Meta or the network failed this time: try again (``after`` when Meta says)."""

    def __init__(self, reason: str, after: timedelta | None = None):
        super().__init__(reason)
        self.after = after


class Refused(Exception):
    """Meta refuses this message for good (4xx other than the window)."""


@dataclass(frozen=True)
class OfficerFile:
    """A pin or a file the officer sends the reporter (an outbox relay_file row): the
    media as the officer's channel gave it, and its caption as plain text."""

    media: dict
    caption: str | None


class WhatsAppChannel:
    def __init__(self, services: Services, client: WhatsApp,
                 kick: Callable[[], Awaitable[None]], http: httpx.AsyncClient | None = None,
                 officer_file: Callable[[str], Awaitable[bytes]] | None = None):
        self.services = services
        self.client = client
        self._kick = kick
        self._http = http
        # Fetches an officer's file by the file id their channel (Telegram) gave it; raises
        # Transient or Refused.
        self._officer_file = officer_file

    async def kick(self) -> None:
        """Deliver what an update queued (receipt, cards, released rows) right away."""
        try:
            await self._kick()
        except Exception as exc:  # noqa: BLE001  (stored: the sweep sends it)
            log.warning("immediate delivery failed (%s); the sweep will retry",
                        type(exc).__name__)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    # ----- sending --------------------------------------------------------------------

    async def reply(self, wa_id: str, t: Translator, replies: Iterable[Reply], *,
                    page: int = 0) -> None:
        """Answer a resident who just wrote (their window is open). A failure is logged:
        their answer is kept, and their next message shows the question again."""
        for reply in replies:
            for message in to_whatsapp(t, reply, page=page):
                try:
                    await self.send(wa_id, message)
                except (WindowClosed, Transient, Refused) as exc:
                    log.warning("whatsapp reply not sent (%s)", type(exc).__name__)
                    return

    async def send(self, wa_id: str, message: Outgoing) -> str:
        """One message; its wamid. Errors as WindowClosed, Transient or Refused."""
        buttons = None
        if message.buttons:
            buttons = [types.Button(title=title, callback_data=ident)
                       for ident, title in message.buttons]
        elif message.rows:
            rows = [types.SectionRow(title=title, callback_data=ident,
                                     description=description or None)
                    for ident, title, description in message.rows]
            buttons = types.SectionList(button_title=message.list_button,
                                        sections=[types.Section(title=message.list_button,
                                                                rows=rows)])
        return await self._call(self.client.send_message(to=wa_id, text=message.text,
                                                         buttons=buttons))

    async def send_officer_file(self, wa_id: str, item: OfficerFile) -> str:
        """The officer's pin, photo, voice note or document; its wamid. A document is
        cleaned of its metadata first, as on Telegram; a voice note takes no caption on
        WhatsApp, so its words (the case number) go just before it."""
        media, kind = item.media, item.media.get("kind")
        if kind == "location":
            return await self._call(self.client.send_location(
                to=wa_id, latitude=media["latitude"], longitude=media["longitude"]))
        if self._officer_file is None or kind not in ("photo", "voice", "document"):
            raise Refused(f"an officer's {kind} cannot go to WhatsApp")
        data = await self._officer_file(media["file_id"])
        if kind == "photo":
            return await self._call(self.client.send_image(
                to=wa_id, image=data, caption=item.caption, mime_type="image/jpeg"))
        if kind == "voice":
            if item.caption:
                await self._call(self.client.send_message(to=wa_id, text=item.caption))
            return await self._call(self.client.send_audio(to=wa_id, audio=data,
                                                           mime_type="audio/ogg"))
        cleaned = await cleaned_document(data, mime_type=media.get("mime_type"),
                                         file_name=media.get("file_name"))
        if cleaned is None:
            raise Refused("the document could not be cleaned of its metadata")
        return await self._call(self.client.send_document(
            to=wa_id, document=cleaned.data, filename=media["file_name"], caption=item.caption,
            mime_type=cleaned.mime_type or media.get("mime_type")))

    async def send_template(self, wa_id: str) -> str:
        """The neutral notice (no case, no status, no content): there is news, reply."""
        return await self._call(self.client.send_template(
            to=wa_id, name=self.services.settings.whatsapp_notice_template,
            language=TemplateLanguage.INDONESIAN))

    async def _call(self, call: Awaitable) -> str:
        try:
            sent = await call
        except WhatsAppError as exc:
            raise _classified(exc) from None
        except httpx.HTTPError as exc:
            raise Transient(type(exc).__name__) from None
        return sent.id

    async def download(self, media_id: str) -> bytes:
        """A resident's file, from the media URL Meta gives for its id."""
        try:
            media = await self.client.get_media_url(media_id)
            return await self.client.get_media_bytes(media.url)
        except WhatsAppError as exc:
            raise _classified(exc) from None

    # ----- the outbox -----------------------------------------------------------------

    def outbox_adapter(self) -> WhatsAppOutbox:
        """What the delivery core sends WhatsApp rows through (outbox.channel "whatsapp")."""
        return WhatsAppOutbox(self)

    async def _nudge(self, session, reporter: Reporter, wa_id: str, now: datetime) -> None:
        """The template, unless it already went since their last message."""
        if window.needs_nudge(reporter):
            wamid = await self.send_template(wa_id)
            reporter.nudged_at = now
            session.add(WhatsAppSent(wamid_hash=self.services.vault.lookup_hash("wamid", wamid),
                                     reporter_id=reporter.id, status="accepted",
                                     created_at=now))
            await session.commit()

    async def status_changed(self, wamid: str, status: str, error: int | None) -> bool:
        """Meta's word on a message we sent: delivered or read lets its words go; failed
        for the window puts them back in the outbox, held, and the template goes; any
        other failure marks its outbox row failed. False: a failure of a message not
        recorded yet (its send is finishing): Meta is asked to tell again (503)."""
        services = self.services
        key = services.vault.lookup_hash("wamid", wamid)
        for _ in range(STATUS_WAITS):
            # The callback can overtake the commit that records the send.
            async with services.sessions() as session:
                if await session.get(WhatsAppSent, key) is not None:
                    break
            await asyncio.sleep(STATUS_WAIT)
        now = services.clock()
        async with services.sessions() as session:
            sent = await session.get(WhatsAppSent, key)
            if sent is None:
                # Templates and messages forgotten after a day are not recorded: only a
                # failure that may be ours is worth Meta's retry.
                return status != "failed"
            sent.status, sent.error = status, error
            if status in ("delivered", "read"):
                sent.content_enc = None
            elif status == "failed":
                content, sent.content_enc = sent.content_enc, None
                if sent.outbox_id is not None:
                    await session.exec(update(Outbox).where(Outbox.id == sent.outbox_id).values(
                        status=outbox.FAILED, last_error=f"whatsapp failed ({error})"))
                if error == WINDOW_CLOSED and content:
                    await self._held_again(session, sent, content, now)
            await session.commit()
        return True


    async def _held_again(self, session, sent: WhatsAppSent, content: str,
                          now: datetime) -> None:
        """The row Meta refused for the window waits in the outbox again for the reply (the
        intent as it was queued: rendered again when sent); their window is closed whatever
        we thought, and the template tells them there is news."""
        vault = self.services.vault
        intent = json.loads(vault.decrypt(content))
        session.add(Outbox(purpose=intent["purpose"], channel=WHATSAPP,
                           params=intent.get("params"), secret_enc=intent.get("secret_enc"),
                           reporter_id=sent.reporter_id, report_id=sent.report_id,
                           status=outbox.PENDING, attempts=0,
                           next_attempt_at=now + window.HOLD, last_error=window.HELD,
                           created_at=now))
        reporter = await session.get(Reporter, sent.reporter_id)
        if reporter is None:
            return
        if window.is_open(reporter, now):
            reporter.last_message_at = now - window.WINDOW
        await session.commit()
        await self._nudge(session, reporter, reporter_chat_id(vault, reporter), now)


class WhatsAppOutbox:
    """The outbox's adapter for WhatsApp (see bot.services.delivery.Channel): a row is
    rendered as the bot words it (bot/channels/telegram/messages.py) and laid out for
    WhatsApp (render.to_whatsapp); outside the 24-hour window the template goes and the
    row waits for the resident's reply (Deferred, not an attempt)."""

    def __init__(self, channel: WhatsAppChannel):
        self.channel = channel
        self.services = channel.services

    async def address(self, session, row: Outbox) -> str | None:
        reporter = await session.get(Reporter, row.reporter_id) if row.reporter_id else None
        return reporter_chat_id(self.services.vault, reporter) if reporter else None

    async def render(self, session, row: Outbox) -> delivery.Rendered | None:
        from bot.channels.telegram import messages
        rendered = await messages.build(session, self.services, row)
        if rendered is None:
            return None
        if isinstance(rendered.message, dict):
            media = rendered.message
            caption = plain(media["caption"]) if media.get("caption") else None
            return delivery.Rendered(OfficerFile(media, caption))
        reporter = await session.get(Reporter, row.reporter_id)
        t = self.services.translator(reporter.locale if reporter else None)
        replies = [rendered.message] if isinstance(rendered.message, Reply) else rendered.message
        return delivery.Rendered([m for reply in replies for m in to_whatsapp(t, reply)])

    async def send(self, row: Outbox, address: str, rendered: delivery.Rendered, *,
                   alert: bool) -> int:
        """Each message of the row; 0 (the wamid is kept hashed in whatsapp_sent)."""
        if rendered.message is None:
            raise delivery.Rejected("nothing to send to whatsapp")
        services, now = self.services, self.services.clock()
        try:
            async with services.sessions() as session:
                reporter = await session.get(Reporter, row.reporter_id)
                if not window.is_open(reporter, now):
                    await self.channel._nudge(session, reporter, address, now)
                    raise WindowClosed()
            if isinstance(rendered.message, OfficerFile):
                wamid = await self.channel.send_officer_file(address, rendered.message)
            else:
                wamid = ""
                for message in rendered.message:
                    wamid = await self.channel.send(address, message)
        except WindowClosed:
            async with services.sessions() as session:
                reporter = await session.get(Reporter, row.reporter_id)
                await self.channel._nudge(session, reporter, address, now)
            raise delivery.Deferred(window.HOLD, window.HELD) from None
        except Transient as exc:
            if exc.after is not None:
                raise delivery.FloodLimit(exc.after) from None
            raise delivery.Unavailable(str(exc)) from None
        except Refused as exc:
            raise delivery.Rejected(str(exc)) from None
        async with services.sessions() as session:
            intent = {"purpose": row.purpose, "params": row.params, "secret_enc": row.secret_enc}
            session.add(WhatsAppSent(wamid_hash=services.vault.lookup_hash("wamid", wamid),
                                     outbox_id=row.id, reporter_id=row.reporter_id,
                                     report_id=row.report_id,
                                     content_enc=services.vault.encrypt(json.dumps(intent)),
                                     created_at=now))
            await session.commit()
        return 0


async def prune(session, *, now: datetime) -> None:
    """Sent messages Meta said nothing more of within a day: forget them."""
    await session.exec(delete(WhatsAppSent).where(WhatsAppSent.created_at < now - KEEP_SENT))


def _classified(exc: WhatsAppError) -> Exception:
    code = exc.code
    status = exc.raw_response.status_code if exc.raw_response is not None else 400
    if code == WINDOW_CLOSED:
        return WindowClosed()
    if code in THROTTLED or status == 429:
        return Transient(f"whatsapp throttled ({code})", after=timedelta(seconds=5))
    if status >= 500:
        return Transient(f"whatsapp {status}")
    return Refused(f"whatsapp refused ({code})")
