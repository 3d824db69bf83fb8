"""Webhook mode: setWebhook with the secret, never polling; 403 without the secret; each
update_id taken once, a repeat answered 200 and dropped."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from bot.services.updates_seen import prune, take_updates, take_updates_once
from models import ProcessedUpdate
from tests.helpers.harness import Person
from tests.helpers.service import served

PUBLIC = "https://tipbot.example"
SECRET = "Rahasia_webhook-2026"


async def test_webhook_with_secret_answers_once_per_update(emu, engine, session_factory,
                                                           data_dir, database_url):
    async with served(emu, database_url, data_dir, webhook_url=f"{PUBLIC}/tg/a1b2c3",
                      webhook_secret=SECRET) as bot:
        emu.route_webhook(PUBLIC, bot.base)
        assert emu.webhook_url == f"{PUBLIC}/tg/a1b2c3" and emu.webhook_secret == SECRET

        siti = Person(emu, first_name="Siti")
        await siti.say("/start")
        assert len(siti.messages) == 1 and "Satgas Perlindungan" in siti.last.text
        first = emu.updates[-1]

        # Telegram did not get our 200 in time and sends it again: 200, not processed.
        assert await emu.post_webhook(first) == 200
        await emu.settle()
        assert len(siti.messages) == 1

        # A caller without the secret (or with a wrong one) is refused and nothing runs.
        forged = copy.deepcopy(first)
        forged["update_id"] = first["update_id"] + 1000
        forged["message"]["text"] = "/darurat"
        assert await emu.post_webhook(forged, secret=None) == 403
        assert await emu.post_webhook(forged, secret=SECRET[:-1] + "X") == 403
        await emu.settle()
        assert len(siti.messages) == 1
        assert await emu.post_webhook(forged) == 200       # the same body, with the secret
        await emu.settle()
        assert len(siti.messages) == 2

        async with session_factory() as session:
            taken = (await session.exec(select(ProcessedUpdate.update_id))).all()
        assert sorted(taken) == [first["update_id"], forged["update_id"]]
    assert not [r for r in emu.requests if r.method == "getUpdates"]
    assert emu.webhook_url                 # left set: Telegram holds updates while we restart
    assert emu.violations == []


async def test_update_ids_are_taken_once_and_pruned_after_a_day(engine, session):
    now = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)
    async with engine.begin() as connection:
        assert await take_updates(connection, update_ids=[10],
                                  now=now - timedelta(hours=25)) == {10}
        assert await take_updates(connection, update_ids=[11, 12], now=now) == {11, 12}
        assert await take_updates(connection, update_ids=[11, 12, 13], now=now) == {13}
    assert await prune(session, now=now) == 1
    await session.commit()
    assert sorted((await session.exec(select(ProcessedUpdate.update_id))).all()) == [11, 12, 13]


async def test_a_batch_is_taken_in_a_transaction_of_its_own(engine, session):
    """What the running bot calls per batch (autocommit on PostgreSQL): kept once taken,
    and an id taken by one caller is not fresh for the next, whatever the batch."""
    now = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)
    assert await take_updates_once(engine, update_ids=[20], now=now) == {20}
    assert await take_updates_once(engine, update_ids=[20, 21, 22], now=now) == {21, 22}
    assert await take_updates_once(engine, update_ids=[22, 21, 20], now=now) == set()
    assert await take_updates_once(engine, update_ids=[], now=now) == set()
    assert sorted((await session.exec(select(ProcessedUpdate.update_id))).all()) == [20, 21, 22]


async def test_a_body_that_is_json_but_not_an_update_answers_400_without_a_traceback(
        emu, engine, data_dir, database_url, caplog):
    import httpx

    async with served(emu, database_url, data_dir, webhook_url=f"{PUBLIC}/tg/a1b2c3",
                      webhook_secret=SECRET) as bot:
        url = bot.base + "/tg/a1b2c3"
        bodies = [b"[1,2]", b"5", b"null", b'"update"', b"true", b"{}",
                  b'{"update_id": "x"}', b'{"update_id": 1, "message": 5}',
                  b'{"update_id": 2, "message": [1]}', b"[" * 100_000 + b"]" * 100_000,
                  b'{"a":' * 50_000 + b"1" + b"}" * 50_000, b"\xff\xfe not json"]
        async with httpx.AsyncClient() as client:
            for body in bodies:
                answer = await client.post(url, content=body, headers={
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                    "Content-Type": "application/json"})
                assert answer.status_code == 400, body[:40]
        # Still serving: a real update goes through.
        siti = Person(emu, first_name="Siti")
        emu.route_webhook(PUBLIC, bot.base)
        await siti.say("/start")
        assert "Satgas Perlindungan" in siti.last.text
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= 40]
