"""Meta's webhook: verified, signed, each message once."""
from __future__ import annotations

import json

import httpx
from sqlmodel import select

from models import Reporter, WhatsAppSeen
from tests.helpers.whatsapp import WA_ID


async def test_verification_answers_the_challenge_only_with_the_verify_token(tipbot, graph):
    async with httpx.AsyncClient() as client:
        good = await client.get(graph.webhook_url, params={
            "hub.mode": "subscribe", "hub.verify_token": graph.verify_token,
            "hub.challenge": "1158201444"})
        bad = await client.get(graph.webhook_url, params={
            "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert (good.status_code, good.text) == (200, "1158201444")
    assert bad.status_code == 403


async def test_a_forged_signature_is_refused_and_nothing_is_processed(tipbot, graph):
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "1", "phone_number_id": graph.phone_number_id},
            "contacts": [{"wa_id": WA_ID, "user_id": graph.bsuid(WA_ID)}],
            "messages": [{"from": WA_ID, "id": graph.new_wamid(WA_ID), "timestamp": "1",
                          "type": "text", "text": {"body": "lapor"}}]}}]}]}).encode()
    from bot.web.graph_emulator import sign
    assert await graph.post_body(body, signature=sign("not-the-app-secret", body)) == 403
    assert await graph.post_body(body, signature="") == 403
    good = sign(graph.app_secret, body)
    altered = good[:-1] + ("1" if good[-1] == "0" else "0")     # one hex digit off
    assert await graph.post_body(body, signature=altered) == 403
    async with tipbot.session() as session:
        assert (await session.exec(select(Reporter))).all() == []
        assert (await session.exec(select(WhatsAppSeen))).all() == []
    assert graph.messages_to(WA_ID) == []
    # The same body, signed with the app secret, is taken (and answered: it opened the window).
    graph.last_inbound[WA_ID] = graph.clock()
    assert await graph.post_body(body, signature=sign(graph.app_secret, body)) == 200
    assert graph.messages_to(WA_ID)


async def test_a_repeated_wamid_is_processed_once(tipbot, graph, resident):
    await resident.say("lapor")
    asked = len(graph.messages_to(WA_ID))
    await resident.press("Perekrut tanpa izin (calo)")
    after_answer = len(graph.messages_to(WA_ID))
    # Meta redelivers the press (no 200 reached it): answered 200, done nothing.
    assert await graph.post_body(graph.posted[-1]) == 200
    assert await graph.post_body(graph.posted[-1]) == 200
    assert len(graph.messages_to(WA_ID)) == after_answer > asked
    async with tipbot.session() as session:
        seen = (await session.exec(select(WhatsAppSeen))).all()
    assert len(seen) == 2
    # Stored as a keyed hash: a wamid carries the sender's number.
    assert all(WA_ID not in row.wamid_hash for row in seen)
