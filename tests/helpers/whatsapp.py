"""A WhatsApp resident writing to the bot's number on the Graph API stand-in, and the walks
the WhatsApp tests share."""
from __future__ import annotations

from bot.web.graph_emulator import GraphApiEmulator
from tests.helpers.form import ALL_DETAILS, walk_form
from tests.helpers.officers import deliver, make_officer

TEMPLATE = "tipbot_kabar_baru"
# A resident's number: every test checks it never reaches an officer or the disk in clear.
WA_ID = "6281277770001"
STORY = "Seorang calo menjanjikan pekerjaan di pabrik Malaysia dengan gaji besar."


class WhatsAppResident:
    """A WhatsApp user writing to the bot's number."""

    def __init__(self, tipbot, graph: GraphApiEmulator, wa_id: str = WA_ID):
        self.tipbot, self.graph, self.wa_id = tipbot, graph, wa_id

    async def _settled(self) -> str:
        await self.graph.settle()
        await deliver(self.tipbot)
        await self.graph.settle()
        return self.last

    async def say(self, text: str) -> str:
        await self.graph.send_text(self.wa_id, text)
        return await self._settled()

    async def press(self, title: str) -> str:
        await self.graph.press(self.wa_id, title)
        return await self._settled()

    async def pick(self, title: str) -> str:
        """A choice from the newest list: "Lainnya" until it shows, as a person would (an
        older message offering it would be a stale button)."""
        for _ in range(5):
            if self._newest_offers(title):
                break
            await self.press("Lainnya")
        return await self.press(title)

    def _newest_offers(self, title: str) -> bool:
        try:
            _, _, offering = self.graph.find_choice(self.wa_id, title)
        except AssertionError:
            return False
        newest = next(m for m in reversed(self.graph.messages_to(self.wa_id))
                      if m["payload"].get("type") == "interactive")
        return offering is newest

    async def send(self, kind: str, data: bytes, mime_type: str, **kwargs) -> str:
        await self.graph.send_media(self.wa_id, kind, data, mime_type, **kwargs)
        return await self._settled()

    @property
    def texts(self) -> list[str]:
        return self.graph.texts_to(self.wa_id)

    @property
    def last(self) -> str:
        texts = self.texts
        return texts[-1] if texts else ""

    @property
    def choices(self) -> list[str]:
        return self.graph.choices(self.wa_id)


async def fill_until_summary(resident: WhatsAppResident) -> str:
    """Every detail answered, anonymous: the summary (WhatsApp takes commands without "/")."""
    return await walk_form(resident, command="lapor", story=STORY, **ALL_DETAILS)


async def claimed(tipbot, resident: WhatsAppResident):
    """The resident's report sent and claimed by an officer Budi, who is returned."""
    officer = await make_officer(tipbot, "Budi")
    await fill_until_summary(resident)
    await resident.press("📨 Kirim laporan")
    await deliver(tipbot)
    await officer.press("🙋 Ambil kasus")
    await deliver(tipbot)
    await resident.graph.settle()
    return officer
