"""The sandbox page's server: the page, its live events, what a person does in a pane
(write, press, upload, location, reply), refused calls, and reset."""
from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.web.sandbox.web import TICK
from bot.web.sandbox.world import BANDAR_LAMPUNG
from models import Draft, DutyCheckin, Officer
from tests.helpers.sandbox import Events, press, say, settle

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00"
       b"\xfd\xd4\x9as\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


async def test_page_is_indonesian_with_four_labelled_panes_and_a_banner(client):
    page = await client.get("/")
    assert page.status_code == 200
    body = page.text
    for label in ("Warga", "Petugas", "Grup Satgas", "Warga (WhatsApp)"):
        assert f'role="region" aria-label="{label}"' in body
    assert "tidak terhubung ke Telegram" in body and "Mulai dari awal" in body
    assert "Pengingat setelah 30 detik, eskalasi setelah 1 menit 30 detik." in body
    assert '"send": "Kirim"' in body and "Send" not in body.replace('"send"', "")
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self'
    assert (await client.get("/?lang=en")).text.count('aria-label="Resident"') == 1
    assert (await client.get("/static/sandbox.js")).status_code == 200


async def test_officer_is_an_admin_on_duty_and_the_group_receives_cards(sandbox):
    async with sandbox.app.bot_data.services.sessions() as session:
        officer = (await session.exec(select(Officer))).one()
        assert officer.telegram_user_id == sandbox.cast.officer.id and officer.role == "admin"
        assert (await session.exec(select(DutyCheckin))).one().officer_id == officer.id
    assert sandbox.app.bot_data.services.settings.taskforce_chat_id == sandbox.cast.group.id
    assert sandbox.app.bot_data.services.settings.data_dir.name == "sandbox"


async def test_events_start_with_a_snapshot_then_show_messages_buttons_and_edits(client, sandbox, events):
    first = await events.next("reset")
    assert first["panes"] == {"resident": [], "officer": [], "group": [], "whatsapp": []}

    await say(client, sandbox, "resident", "/start")
    mine = await events.next("message", where=lambda m: not m["from_bot"])
    assert mine["pane"] == "resident" and mine["text"] == "/start" and mine["sender"] == "Siti"
    welcome = await events.next("message", where=lambda m: m["from_bot"])
    labels = [b["text"] for row in welcome["buttons"] for b in row]
    assert "📝 Buat laporan" in labels and all(b["callback"] for row in welcome["buttons"] for b in row)

    await press(client, sandbox, "resident", "📝 Buat laporan")
    question = await events.next("message", where=lambda m: m["from_bot"] and m["id"] > welcome["id"])
    assert any(b["text"] == "Perekrut tanpa izin (calo)" for row in question["buttons"] for b in row)
    await press(client, sandbox, "resident", "Perekrut tanpa izin (calo)")
    # The form edits its question in place, or asks the next one: either way the page hears it.
    changed = await events.next("message", where=lambda m: m["from_bot"] and (
        m["id"] > question["id"] or m["version"] > question["version"]))
    assert "darurat" in changed["text"].lower() or changed["version"] > 0


async def test_a_refused_call_of_the_bot_is_shown_as_a_problem(client, sandbox, events):
    await events.next("reset")
    await say(client, sandbox, "resident", "/start")
    try:
        await sandbox.app.bot.send_message(sandbox.cast.resident.id, "<b>unclosed", parse_mode="HTML")
    except Exception:  # noqa: BLE001 - Telegram's 400 is what we want to see on the page
        pass
    problem = await events.next("problem")
    assert problem["kind"] == "violation" and "sendMessage" in problem["text"]
    sandbox.emu.violations.clear()  # provoked on purpose


async def test_photo_and_document_uploads_become_messages_and_are_served_back(client, sandbox, events):
    await events.next("reset")
    answer = await client.post("/api/resident/upload", files={"file": ("bukti.png", PNG, "image/png")},
                               data={"caption": "Foto kantor calo"})
    assert answer.status_code == 200, answer.text
    photo = await events.next("message", where=lambda m: m["file"] is not None)
    assert photo["file"]["kind"] == "photo" and photo["text"] == "Foto kantor calo"
    served = await client.get(f"/api/files/{photo['file']['file_id']}")
    assert served.content == PNG and served.headers["content-type"] == "image/png"

    pdf = b"%PDF-1.4 surat perjanjian kerja"
    answer = await client.post("/api/resident/upload",
                               files={"file": ("kontrak.pdf", pdf, "application/pdf")})
    assert answer.status_code == 200, answer.text
    document = await events.next("message", where=lambda m: m["file"] and m["file"]["kind"] == "document")
    assert document["file"]["name"] == "kontrak.pdf"
    served = await client.get(f"/api/files/{document['file']['file_id']}")
    assert served.content == pdf and "attachment" in served.headers["content-disposition"]
    await settle(sandbox)

    empty = await client.post("/api/resident/upload", files={"file": ("kosong.txt", b"", "text/plain")})
    assert empty.status_code == 400 and empty.json()["error"] == "Berkas ini kosong."


async def test_location_is_a_fixed_point_in_bandar_lampung(client, sandbox, events):
    await events.next("reset")
    assert (await client.post("/api/resident/location", json={})).status_code == 200
    sent = await events.next("message", where=lambda m: m["location"] is not None)
    assert (sent["location"]["latitude"], sent["location"]["longitude"]) == BANDAR_LAMPUNG
    assert -5.6 < BANDAR_LAMPUNG[0] < -5.3 and 105.1 < BANDAR_LAMPUNG[1] < 105.4
    await settle(sandbox)


async def test_reply_to_and_refused_input(client, sandbox, events):
    await events.next("reset")
    await say(client, sandbox, "resident", "/start")
    welcome = sandbox.emu.last(sandbox.cast.resident)
    await say(client, sandbox, "resident", "halo", reply_to=welcome.message_id)
    reply = await events.next("message", where=lambda m: m["text"] == "halo")
    assert reply["reply_to"]["id"] == welcome.message_id

    empty = await client.post("/api/resident/text", json={"text": "   "})
    assert empty.status_code == 400 and empty.json()["error"] == "Pesan kosong tidak dapat dikirim."
    long = await client.post("/api/resident/text", json={"text": "a" * 4097})
    assert long.status_code == 400 and "4.096" in long.json()["error"]
    gone = await client.post("/api/resident/press", json={"message_id": 999, "row": 0, "column": 0})
    assert gone.status_code == 400 and gone.json()["error"] == "Tombol ini sudah tidak ada."
    assert (await client.post("/api/nobody/text", json={"text": "x"})).status_code == 404
    english = await client.post("/api/resident/text?lang=en", json={"text": ""})
    assert english.json()["error"] == "An empty message cannot be sent."


async def test_group_messages_follow_privacy_mode_and_show_as_the_officer(client, sandbox, events):
    await events.next("reset")
    await say(client, sandbox, "group", "selamat pagi tim")
    shown = await events.next("message", where=lambda m: m["pane"] == "group")
    assert shown["sender"] == "Andi" and not shown["from_bot"]
    assert sandbox.emu.updates == []  # privacy mode: the bot never saw a plain group message


async def test_reset_starts_afresh_with_the_same_people(client, sandbox, events):
    await events.next("reset")
    await say(client, sandbox, "resident", "/lapor")
    await press(client, sandbox, "resident", "Perekrut tanpa izin (calo)")
    resident_id, generation = sandbox.cast.resident.id, sandbox.generation
    async with sandbox.app.bot_data.services.sessions() as session:
        assert (await session.exec(select(Draft))).one().answers["category"] == "calo"

    answer = await client.post("/api/reset")
    assert answer.status_code == 200 and answer.json()["generation"] == generation + 1
    fresh = await events.next("reset")
    assert fresh["generation"] == generation + 1
    assert fresh["panes"] == {"resident": [], "officer": [], "group": [], "whatsapp": []}
    assert fresh["problems"] == []
    assert sandbox.cast.resident.id == resident_id
    async with sandbox.app.bot_data.services.sessions() as session:
        assert (await session.exec(select(Draft))).first() is None
        assert len((await session.exec(select(Officer))).all()) == 1

    await say(client, sandbox, "resident", "/start")
    assert "Buat laporan" in str(sandbox.emu.last(sandbox.cast.resident).buttons)


async def test_the_whatsapp_pane_files_a_report_the_officer_sees(client, sandbox, events):
    """The fourth pane: a resident on WhatsApp (the Graph API stand-in, signed webhooks)."""
    await events.next("reset")
    answer = await client.post("/api/whatsapp/text", json={"text": "lapor"})
    assert answer.status_code == 200, answer.text
    question = await events.next("message", where=lambda m: m["pane"] == "whatsapp"
                                 and m["from_bot"] and m["buttons"])
    titles = [row[0]["text"] for row in question["buttons"]]
    assert "Perekrut tanpa izin (calo)" in titles
    answer = await client.post("/api/whatsapp/press", json={
        "message_id": question["id"], "row": titles.index("Perekrut tanpa izin (calo)"),
        "column": 0})
    assert answer.status_code == 200, answer.text
    pressed = await events.next("message", where=lambda m: m["pane"] == "whatsapp"
                                and not m["from_bot"] and m["text"].startswith("Perekrut"))
    assert pressed["sender"] == "Rina"
    await events.next("message", where=lambda m: m["pane"] == "whatsapp" and m["from_bot"]
                      and "darurat" in m["text"].lower())
    refused = await client.post("/api/whatsapp/press", json={"message_id": 10**6, "row": 0})
    assert refused.status_code == 400
    assert sandbox.graph.refused == []


async def test_the_whatsapp_pane_shows_a_file_the_bot_sent_and_serves_it(client, sandbox):
    """An officer's photo or pin sent to the WhatsApp resident shows as a file (or a pin)
    with its caption, served from the Graph API stand-in's media."""
    from bot.web.sandbox.view import whatsapp_view

    graph, wa_id = sandbox.graph, sandbox.cast.whatsapp
    media_id = graph.store_media(PNG, "image/png")
    photo = graph.logged(wa_id, wamid="w1", from_bot=True, payload={
        "type": "image", "image": {"id": media_id, "caption": "Petugas Satgas, kasus X"}})
    pin = graph.logged(wa_id, wamid="w2", from_bot=True, payload={
        "type": "location", "location": {"latitude": -5.43, "longitude": 105.26}})
    shown = whatsapp_view(photo, "Rina")
    assert shown["file"]["kind"] == "photo" and shown["text"] == "Petugas Satgas, kasus X"
    served = await client.get("/api/files/" + shown["file"]["file_id"])
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert whatsapp_view(pin, "Rina")["location"] == {"latitude": -5.43, "longitude": 105.26}
    assert (await client.get("/api/files/wa-404")).status_code == 404


async def test_the_sample_register_answers_licensed_suspended_and_revoked(client, sandbox):
    """A newcomer sees each /cekagensi answer, and an officer's card its register line."""
    from bot.prevention.agency_check import register_verdict
    from bot.web.sandbox.world import SAMPLE_AGENCIES

    resident = sandbox.cast.resident
    answers = []
    for name in SAMPLE_AGENCIES:
        await say(client, sandbox, "resident", f"/cekagensi {name}")
        answers.append(sandbox.emu.last(resident).text)
    assert "Terdaftar: izin SIP3MI-nya aktif." in answers[0] and "Metro" in answers[0]
    assert "Izin dihentikan sementara sampai" in answers[1]
    assert "Izin dicabut sejak" in answers[2]
    async with sandbox.app.bot_data.services.sessions() as session:
        verdicts = [await register_verdict(session, name) for name in SAMPLE_AGENCIES]
    assert [v.status for v in verdicts] == ["aktif", "dihentikan_sementara", "dicabut"]


async def test_a_notice_is_shown_once_and_a_reload_does_not_replay_it(client, sandbox, events):
    await events.next("reset")
    await say(client, sandbox, "resident", "/lapor")
    await press(client, sandbox, "resident", "Perekrut tanpa izin (calo)")
    await say(client, sandbox, "resident", "/batal")
    # The form's question, still with its buttons; its report is gone.
    stale = next(m for m in sandbox.emu.sent(sandbox.cast.resident) if any(
        b.get("callback_data", "").startswith("f:")
        for row in (m.reply_markup or {}).get("inline_keyboard", []) for b in row))
    answer = await client.post("/api/resident/press",
                               json={"message_id": stale.message_id, "row": 0, "column": 0})
    assert answer.status_code == 200, answer.text
    await settle(sandbox)
    notice = await events.next("toast")
    assert notice["pane"] == "resident" and notice["text"]
    # A reload opens a new stream: the snapshot, then only what happens from now on.
    again = Events(sandbox)
    try:
        await again.next("reset")
        await say(client, sandbox, "resident", "/start")
        await again.next("message", where=lambda m: m["from_bot"] and m["text"].startswith(
            sandbox.emu.last(sandbox.cast.resident).text[:20]))
        await asyncio.sleep(2 * TICK)
        await say(client, sandbox, "resident", "/status")
        await again.next("message", where=lambda m: not m["from_bot"] and m["text"] == "/status")
    finally:
        await again.close()
    assert [event for event, _ in again.seen if event == "toast"] == []
