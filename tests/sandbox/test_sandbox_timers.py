"""In the sandbox an unclaimed case reminds and escalates on short, configurable timers."""
from __future__ import annotations

import asyncio

import httpx

from bot.config import Settings
from bot.engine.i18n import get_translator
from bot.web.sandbox.web import create_app
from bot.web.sandbox.world import Sandbox
from tests.helpers.sandbox import press, say

t = get_translator("id")
REMINDER = t("⏰ Reminder: case {code} has waited {time} without an officer.").split("{code}")[0]
ESCALATION = t("⚠️ Escalation: case {code} has waited {time} and nobody has taken it.").split("{code}")[0]


async def test_an_unclaimed_case_reminds_then_escalates(engine, data_dir):
    settings = Settings(_env_file=None, data_dir=data_dir, flood_max_updates=10_000,
                        sandbox_reminder_after="1s", sandbox_escalate_after="2s")
    world = Sandbox(settings, engine=engine)
    await world.start()
    try:
        assert world.app.bot_data.services.settings.sweep_interval.total_seconds() == 1
        transport = httpx.ASGITransport(app=create_app(world))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
            await say(client, world, "resident", "/lapor")
            for label in (t("Unlicensed recruiter (calo)"), t("No"), "Bandar Lampung", t("Skip")):
                await press(client, world, "resident", label)
            await say(client, world, "resident", "Ada calo di desa kami yang menjanjikan kerja di Malaysia.")
            await press(client, world, "resident", t("📨 Send now"))     # the shortest tip

        def officer_texts() -> list[str]:
            return [m.text or "" for m in world.emu.sent(world.cast.officer)]

        for _ in range(300):  # the sweep runs every second here
            texts = officer_texts()
            if any(x.startswith(REMINDER) for x in texts) and any(x.startswith(ESCALATION) for x in texts):
                break
            await asyncio.sleep(0.1)
        texts = officer_texts()
        assert any(x.startswith(REMINDER) for x in texts), texts
        assert any(x.startswith(ESCALATION) for x in texts), texts
        assert world.emu.violations == []
    finally:
        await world.stop()
