"""GET /healthz and GET /metrics on HTTP_LISTEN, beside long polling."""
from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from bot.services.container import system_clock
from tests.helpers.analytics import make_report
from tests.helpers.harness import Person
from tests.helpers.service import served


def samples(text: str) -> dict[tuple, float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_healthz_says_serving_and_metrics_count_without_personal_data(
        emu, engine, session_factory, data_dir, database_url):
    async with session_factory() as session:
        now = system_clock()
        await make_report(session, created_at=now - timedelta(minutes=10), case_number="LPG-2611-AAAAA")
        await make_report(session, created_at=now - timedelta(minutes=2))
        await make_report(session, created_at=now - timedelta(hours=3), status="resolved")
        await session.commit()
    async with served(emu, database_url, data_dir) as bot:
        health = await bot.get("/healthz")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "ok" and body["role"] == "serving" and body["database"] is True
        assert body["last_sweep_age_seconds"] is None     # the first sweep is 30 s away

        siti = Person(emu, first_name="Siti Rahayu", username="siti_lpg")
        await siti.say("/start")
        emu.fail_next("sendMessage", 400, description="Bad Request: chat not found")
        await siti.say("/darurat")

        page = await bot.get("/metrics")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain")
        figures = samples(page.text)
        assert figures[("tipbot_updates_total", (("kind", "message"),))] == 2
        assert figures[("tipbot_update_handling_seconds_count", ())] == 2
        assert figures[("tipbot_unclaimed_cases", ())] == 2
        assert 590 < figures[("tipbot_oldest_unclaimed_case_age_seconds", ())] < 700
        assert figures[("tipbot_outbox_pending", ())] == 0
        assert figures[("tipbot_outbox_dead", ())] == 0
        assert figures[("tipbot_reports_total", (("channel", "telegram"),))] == 0
        assert figures[("tipbot_reports_total", (("channel", "whatsapp"),))] == 0
        assert figures[("tipbot_telegram_errors_total", (("code", "400"),))] == 1
        for private in ("Siti", "siti_lpg", str(siti.chat_id), "LPG-2611"):
            assert private not in page.text
    assert emu.violations == []


async def test_healthz_is_503_when_the_database_is_unreachable(emu, engine, data_dir,
                                                               database_url, monkeypatch):
    from bot.web import health

    async with served(emu, database_url, data_dir) as bot:
        async def unreachable(sessions) -> bool:
            return False

        monkeypatch.setattr(health, "database_reachable", unreachable)
        response = await bot.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "unhealthy" and response.json()["database"] is False
