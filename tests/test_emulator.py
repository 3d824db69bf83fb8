"""Tests of the Telegram Bot API emulator itself (bot/web/emulator), with httpx and a real PTB Bot."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import telegram
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    MenuButtonCommands,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.web.emulator import BotApiEmulator, load_spec
from bot.web.emulator.html_parser import HtmlError, parse_html

TOKEN = "123456:TEST-token"
PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
async def emu():
    emulator = BotApiEmulator(token=TOKEN, bot_username="lampung_tip_bot")
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emu):
    async with telegram.Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


@pytest.fixture
def alice(emu):
    user = emu.user(first_name="Siti", language_code="id")
    emu.send_text(user, "/start")
    return user


def url(emu, method: str) -> str:
    return f"{emu.base_url}{emu.token}/{method}"


# -- sending and the HTML parser ---------------------------------------------------------------

async def test_send_message_html(emu, bot, alice):
    msg = await bot.send_message(alice.id, "<b>Halo</b> Siti &lt;3 &amp; <i>terima kasih</i>",
                                 parse_mode=ParseMode.HTML)
    assert msg.text == "Halo Siti <3 & terima kasih"
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [("bold", 0, 4), ("italic", 15, 12)]
    stored = emu.last(alice)
    assert stored.message_id == msg.message_id == 2  # the user's /start was message 1
    assert stored.html.startswith("<b>Halo</b>") and stored.text == msg.text
    assert emu.violations == [] and emu.errors == []


@pytest.mark.parametrize("html, error", [
    ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
    ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ("<b>bold</i>", 'Unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
    ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
    ("text</b>", "Unexpected end tag at byte offset 4"),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
])
async def test_bad_html_is_refused(emu, bot, alice, html, error):
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(alice.id, html, parse_mode=ParseMode.HTML)
    assert emu.violations == [f"sendMessage: 400 Bad Request: can't parse entities: {error}"]
    assert emu.sent(alice) == []


def test_html_parser_entities_and_utf16_offsets():
    text, entities, warnings = parse_html(
        '😀 <a href="https://example.com">link</a> <pre><code class="language-python">x = 1</code></pre>'
        ' <tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote> &#x41;&quot;')
    assert text == '😀 link x = 1 s q A"'
    assert entities == [
        {"type": "text_link", "offset": 3, "length": 4, "url": "https://example.com/"},
        {"type": "pre", "offset": 8, "length": 5, "language": "python"},
        {"type": "spoiler", "offset": 14, "length": 1},
        {"type": "expandable_blockquote", "offset": 16, "length": 1},
    ]
    assert warnings == []
    _, _, warnings = parse_html("Tom & Jerry")  # Telegram keeps a bare '&': accepted, but flagged
    assert "unescaped '&'" in warnings[0]
    with pytest.raises(HtmlError):
        parse_html("<br>")


async def test_bare_ampersand_is_a_violation_but_accepted(emu, bot, alice):
    msg = await bot.send_message(alice.id, "R&D <b>x</b>", parse_mode=ParseMode.HTML)
    assert msg.text == "R&D x"
    assert len(emu.violations) == 1 and "unescaped '&'" in emu.violations[0]


async def test_text_length_after_entity_parsing(emu, bot, alice):
    await bot.send_message(alice.id, "x" * 4096)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(alice.id, "x" * 4097)
    # 4103 characters of markup, 4096 of text: fine
    await bot.send_message(alice.id, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(alice.id, "")
    with pytest.raises(BadRequest, match="(?i)text must be non-empty"):
        await bot.send_message(alice.id, "<b> </b>\n", parse_mode=ParseMode.HTML)
    assert len(emu.sent(alice)) == 2
    assert [v.split(" (")[0] for v in emu.violations] == [
        "sendMessage: 400 Bad Request: message is too long",
        "sendMessage: 400 Bad Request: message text is empty",
        "sendMessage: 400 Bad Request: text must be non-empty",
    ]


async def test_text_is_trimmed_like_telegram(emu, bot, alice):
    msg = await bot.send_message(alice.id, "\n  hello <b>world </b>\n\n", parse_mode=ParseMode.HTML)
    assert msg.text == "hello world"
    assert [(e.offset, e.length) for e in msg.entities] == [(6, 5)]


async def test_caption_limit(emu, bot, alice):
    await bot.send_photo(alice.id, PNG_1x1, caption="c" * 1024)
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_photo(alice.id, PNG_1x1, caption="c" * 1025)


# -- keyboards ---------------------------------------------------------------------------------

async def test_callback_data_limit(emu, bot, alice):
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="a" * 64)]])
    await bot.send_message(alice.id, "pick", reply_markup=ok)
    for data in ("a" * 65, "é" * 33):  # 65 and 66 bytes of UTF-8
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(alice.id, "pick", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("too long", callback_data=data)]]))
    assert len(emu.violations) == 2 and "BUTTON_DATA_INVALID" in emu.violations[0]


async def test_button_rules(emu, bot, alice):
    with pytest.raises(BadRequest, match="(?i)text buttons are unallowed"):
        await bot.send_message(alice.id, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("no action")]]))
    many = [[InlineKeyboardButton(f"b{i}", callback_data=str(i))] for i in range(101)]
    with pytest.raises(BadRequest, match="(?i)reply markup is too long"):
        await bot.send_message(alice.id, "x", reply_markup=InlineKeyboardMarkup(many))
    emu.violations.clear()
    await bot.send_message(alice.id, "x", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("", callback_data="empty"), InlineKeyboardButton("ok", callback_data="ok")]]))
    assert emu.last(alice).buttons == [("ok", "ok")]  # Telegram drops the empty button...
    assert "button text is empty" in emu.violations[0]  # ...and the emulator flags it
    emu.press(alice, emu.last(alice), "ok")
    with pytest.raises(BadRequest, match="(?i)message_too_long"):
        await bot.answer_callback_query(emu.unanswered_callbacks[0]["id"], text="t" * 201)


async def test_press_unknown_button_raises(emu, bot, alice):
    await bot.send_message(alice.id, "pick", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("Ya", callback_data="yes"), InlineKeyboardButton("Web", url="https://example.org")]]))
    with pytest.raises(AssertionError, match="no inline button with text 'Tidak'"):
        emu.press(alice, text="Tidak")
    with pytest.raises(AssertionError, match="not a callback button"):
        emu.press(alice, text="Web")
    update = emu.press(alice, text="Ya")
    assert update["callback_query"]["data"] == "yes"
    assert [c["data"] for c in emu.unanswered_callbacks] == ["yes"]
    await bot.answer_callback_query(update["callback_query"]["id"], text="ok")
    assert emu.unanswered_callbacks == [] and emu.callback_answer(update)["text"] == "ok"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(update["callback_query"]["id"])
    assert emu.violations == [] and len(emu.errors) == 1


# -- spec validation ---------------------------------------------------------------------------

async def test_unknown_parameter_is_recorded(emu, bot, alice):
    await bot.send_message(alice.id, "hi", api_kwargs={"colour": "red"})
    assert emu.violations == ["sendMessage: colour: unknown parameter of sendMessage (Telegram ignores it)"]


async def test_spec_types_are_checked(emu, alice):
    async with httpx.AsyncClient() as http:
        r = await http.post(url(emu, "sendMessage"), data={"text": "hi"})
        assert r.json() == {"ok": False, "error_code": 400, "description": "Bad Request: chat_id is empty"}
        markup = '{"inline_keyboard": [[{"text": "a", "callback_data": true}]]}'
        r = await http.post(url(emu, "sendMessage"), data={"chat_id": alice.id, "text": "hi", "reply_markup": markup})
        assert r.status_code == 400
        assert r.json()["description"] == ("Bad Request: can't parse inline keyboard button: "
                                           'Field "callback_data" must be of type String, got Boolean')
        r = await http.post(url(emu, "sendMessage"),
                            data={"chat_id": alice.id, "text": "hi", "disable_notification": "maybe"})
        assert r.status_code == 400
        r = await http.post(url(emu, "setMyCommands"), json={"commands": [{"command": "start"}]})
        assert r.json()["description"] == 'Bad Request: can\'t parse BotCommand: Can\'t find field "description"'
    assert len(emu.violations) == 4
    assert "reply_markup.inline_keyboard[0][0].callback_data" in emu.violations[1]


async def test_http_surface(emu, alice):
    async with httpx.AsyncClient() as http:
        r = await http.get(f"{emu.base_url}999:wrong/getMe")
        assert (r.status_code, r.json()["description"]) == (401, "Unauthorized")
        r = await http.post(url(emu, "sendMesage"), json={})
        assert (r.status_code, r.json()["description"]) == (404, "Not Found")
        r = await http.post(url(emu, "SENDMESSAGE"), json={"chat_id": alice.id, "text": "json body"})
        assert r.json()["result"]["text"] == "json body"
        r = await http.post(url(emu, "getChat"), params={"chat_id": str(alice.id)})
        assert r.json()["result"]["first_name"] == "Siti"
        r = await http.post(url(emu, "setChatTitle"), json={"chat_id": alice.id, "title": "x"})
        assert r.json() == {"ok": True, "result": True}
    assert emu.unhandled_methods == ["setChatTitle"]
    assert len(emu.violations) == 2  # wrong token, unknown method


async def test_responses_match_the_spec(emu, bot, alice):
    spec = load_spec()
    await bot.send_message(alice.id, "<b>x</b> https://example.com", parse_mode=ParseMode.HTML,
                           reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]]))
    await bot.send_photo(alice.id, PNG_1x1, caption="p")
    emu.send_document(alice, b"%PDF", file_name="ktp.pdf")
    emu.send_location(alice, -5.43, 105.26)
    emu.press(alice, text="a")
    for message in emu.history(alice):
        checked = spec.check_object(message.to_dict(), "Message")
        assert (checked.errors, checked.notes) == ([], []), message
    for update in emu.updates:
        checked = spec.check_object(update, "Update")
        assert (checked.errors, checked.notes) == ([], []), update
    me = spec.check_object((await bot.get_me()).to_dict(), "User")
    assert me.errors == []


# -- world state: edits, blocking, chats -------------------------------------------------------

async def test_edit_not_modified(emu, bot, alice):
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    msg = await bot.send_message(alice.id, "<b>v1</b>", parse_mode=ParseMode.HTML, reply_markup=markup)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await msg.edit_text("<b>v1</b>", parse_mode=ParseMode.HTML, reply_markup=markup)
    edited = await msg.edit_text("<b>v2</b>", parse_mode=ParseMode.HTML)  # no markup: keyboard removed
    assert edited.text == "v2" and edited.reply_markup is None
    assert emu.last(alice).edits[0]["text"] == "v1" and emu.last(alice).buttons == []
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=alice.id, message_id=999)
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await bot.edit_message_text("x", chat_id=alice.id, message_id=1)  # the user's /start
    assert [e.split(": ", 1)[1][:30] for e in emu.errors] == [
        "400 Bad Request: message is no", "400 Bad Request: message to ed"]
    assert len(emu.violations) == 1


async def test_blocked_user_and_unknown_chats(emu, bot, alice):
    emu.block(alice)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(alice.id, "hello?")
    emu.unblock(alice)
    await bot.send_message(alice.id, "welcome back")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(42, "who?")
    stranger = emu.user("Budi")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(stranger.id, "never seen")
    group = emu.group("Warga Desa")
    emu.send_text(stranger, "/lapor", chat=group)
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(stranger.id, "seen in a group, never started")
    assert emu.violations == [] and len(emu.errors) == 4


async def test_group_privacy_mode(emu, bot, alice):
    group = emu.group("Warga Desa")
    assert group.id < 0
    assert emu.send_text(alice, "just chatting", chat=group) is None
    assert emu.send_text(alice, "/lapor@lampung_tip_bot", chat=group) is not None
    assert emu.send_text(alice, "/lapor@other_bot", chat=group) is None
    reply = await bot.send_message(group.id, "Silakan")
    assert emu.send_text(alice, "a reply", chat=group, reply_to=reply.message_id) is not None
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["/start", "/lapor@lampung_tip_bot", "a reply"]


async def test_copy_forward_and_reply_keyboard(emu, bot, alice):
    officers = emu.group("Satgas PMI", type="supergroup")
    photo = emu.send_photo(alice, PNG_1x1, caption="bukti")["message"]
    copied = await bot.copy_message(officers.id, alice.id, photo["message_id"], caption="<b>Laporan</b> #lapor12",
                                    parse_mode="HTML")
    copy_msg = emu.last(officers)
    assert copied.message_id == copy_msg.message_id and copy_msg.kind == "photo"
    assert copy_msg.file == PNG_1x1 and copy_msg.caption == "Laporan #lapor12"
    assert [e["type"] for e in copy_msg.caption_entities] == ["bold", "hashtag"]
    forwarded = await bot.forward_message(officers.id, alice.id, 1)
    assert forwarded.forward_origin.sender_user.id == alice.id and forwarded.text == "/start"
    with pytest.raises(BadRequest, match="(?i)message to copy not found"):
        await bot.copy_message(officers.id, alice.id, 999)
    await bot.send_message(alice.id, "Bagikan nomor?", reply_markup=ReplyKeyboardMarkup(
        [[KeyboardButton("Kirim nomor", request_contact=True)]], one_time_keyboard=True))
    assert emu.keyboard(alice)["keyboard"][0][0]["text"] == "Kirim nomor"
    assert "reply_markup" not in emu.last(alice).to_dict()  # Message objects only carry inline keyboards
    update = emu.send_contact(alice, "+6281234567890", "Siti", user_id=alice.id)
    assert update["message"]["contact"]["user_id"] == alice.id
    assert emu.violations == []


async def test_commands_and_menu(emu, bot):
    commands = [BotCommand("start", "Mulai"), BotCommand("lapor", "Buat laporan")]
    await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code="id")
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="id") == tuple(commands)
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Lapor", "uppercase is not allowed")])
    await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert await bot.get_chat_menu_button() == MenuButtonCommands()
    assert len(emu.violations) == 1 and emu.unhandled_methods == []


async def test_concurrent_long_polls_conflict(emu):
    async with httpx.AsyncClient(timeout=10) as http:
        first = asyncio.create_task(http.post(url(emu, "getUpdates"), data={"timeout": "5"}))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(http.post(url(emu, "getUpdates"), data={"timeout": "5"}))
        r = await asyncio.wait_for(first, 2)
        assert r.status_code == 409 and "terminated by other getUpdates request" in r.json()["description"]
        emu.send_text(emu.user("Rina"), "halo")
        assert len((await asyncio.wait_for(second, 2)).json()["result"]) == 1
    assert emu.violations == [] and emu.errors[0].startswith("getUpdates: 409 Conflict")


# -- failures ----------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_failures(emu, bot, alice):
    emu.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter):
        await bot.send_message(alice.id, "x")
    emu.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(alice.id, "x")
    emu.fail_next("sendMessage", network=True)
    with pytest.raises(NetworkError):
        await bot.send_message(alice.id, "x")
    await bot.send_message(alice.id, "finally")
    assert [m.text for m in emu.sent(alice)] == ["finally"]
    assert len(emu.errors) == 3 and emu.violations == []


# -- files -------------------------------------------------------------------------------------

async def test_file_round_trip(emu, bot, alice):
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 10
    emu.send_photo(alice, data=jpeg, caption="bukti")
    emu.send_document(alice, data=b"%PDF-1.4 ktp", file_name="ktp.pdf", mime_type="application/pdf")
    updates = await bot.get_updates()
    photo_msg, doc_msg = updates[1].message, updates[2].message
    assert photo_msg.caption == "bukti" and len(photo_msg.photo) == 2
    photo = await bot.get_file(photo_msg.photo[-1].file_id)
    assert bytes(await photo.download_as_bytearray()) == jpeg
    thumb = await bot.get_file(photo_msg.photo[0].file_id)  # the thumbnail is not the original
    assert bytes(await thumb.download_as_bytearray()) != jpeg
    doc = await bot.get_file(doc_msg.document.file_id)
    assert doc.file_path.endswith(".pdf")
    assert bytes(await doc.download_as_bytearray()) == b"%PDF-1.4 ktp"
    # the bot re-sends a file by file_id, and uploads new ones
    await bot.send_document(alice.id, doc_msg.document.file_id, caption="<i>salinan</i>", parse_mode="HTML")
    assert emu.last(alice).file == b"%PDF-1.4 ktp" and emu.last(alice).caption == "salinan"
    await bot.send_document(alice.id, b"report,1\n", filename="report.csv")
    assert emu.last(alice).file == b"report,1\n" and emu.last(alice).media["document"]["file_name"] == "report.csv"
    with pytest.raises(BadRequest, match="(?i)type of file mismatch|can't use file of type Photo"):
        await bot.send_document(alice.id, photo_msg.photo[-1].file_id)
    assert emu.errors == [] and len(emu.violations) == 1


async def test_file_too_big_for_get_file(emu, bot, alice):
    emu.send_document(alice, data=b"huge", file_name="video.mp4", size=25 * 1024 * 1024)
    updates = await bot.get_updates()
    with pytest.raises(BadRequest, match="(?i)file is too big"):
        await bot.get_file(updates[-1].message.document.file_id)
    assert emu.errors == ["getFile: 400 Bad Request: file is too big"] and emu.violations == []


async def test_media_group_with_attach_uploads(emu, bot, alice):
    msgs = await bot.send_media_group(alice.id, [
        InputMediaPhoto(PNG_1x1, caption="<b>satu</b>", parse_mode="HTML"), InputMediaPhoto(PNG_1x1 + b"2")])
    assert len(msgs) == 2 and msgs[0].media_group_id == msgs[1].media_group_id
    assert msgs[0].caption == "satu" and msgs[0].photo[-1].width == 1
    assert emu.sent(alice)[1].file == PNG_1x1 + b"2"
    assert emu.violations == []


# -- long polling and a real Application -------------------------------------------------------

async def test_long_poll_returns_as_soon_as_an_update_is_queued(emu, bot):
    user = emu.user("Rina")
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()
    started = time.monotonic()
    emu.send_text(user, "halo")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 0.5
    assert [u.message.text for u in updates] == ["halo"]
    # the offset confirms it; an empty poll with timeout=0 returns at once
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    assert emu.pending_updates == []


async def test_application_end_to_end(emu):
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        args = " ".join(context.args)
        await update.message.reply_html(
            f"Halo <b>{update.effective_user.first_name}</b>! {args}".strip(),
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Lapor", callback_data="report")]]))

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("Baik")
        await update.callback_query.edit_message_text("Ceritakan apa yang terjadi.")

    app = (ApplicationBuilder().token(TOKEN).base_url(emu.base_url).base_file_url(emu.base_file_url).build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button))
    emu.attach(app)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0)
    try:
        alice = emu.user(first_name="Siti")
        emu.send_text(alice, "/start inv_abc")
        await emu.settle()
        reply = emu.last(alice)
        assert reply.text == "Halo Siti! inv_abc" and reply.buttons == [("Lapor", "report")]
        assert reply.html == "Halo <b>Siti</b>! inv_abc"

        emu.press(alice, reply, "Lapor")
        await emu.settle()
        assert emu.last(alice).text == "Ceritakan apa yang terjadi."
        assert emu.last(alice).buttons == [] and len(emu.last(alice).edits) == 1
        assert emu.unanswered_callbacks == []

        bob = emu.user(first_name="Budi")
        for i in range(5):
            emu.send_text(bob, f"/start {i}")
        await emu.settle()
        assert [m.text for m in emu.sent(bob)] == [f"Halo Budi! {i}" for i in range(5)]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    emu.assert_clean()
    assert emu.errors == []
    assert {name for name, _ in emu.requests} >= {"getMe", "deleteWebhook", "getUpdates", "sendMessage",
                                                  "answerCallbackQuery", "editMessageText"}


async def test_settle_without_attach_waits_for_the_updater(emu):
    """Without emu.attach(app), settle() finds the running Application by its update fetcher task."""
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.sleep(0.2)  # slow work without any API call: the quiet period alone would end
        await update.message.reply_text("Halo")

    app = ApplicationBuilder().token(TOKEN).base_url(emu.base_url).base_file_url(emu.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0)
        users = [emu.user(f"u{i}") for i in range(3)]
        for u in users:
            emu.send_text(u, "/start")
        await emu.settle()
        assert all([m.text for m in emu.sent(u)] == ["Halo"] for u in users)
        await app.updater.stop()
        await app.stop()
    emu.assert_clean()


def test_users_cannot_send_what_telegram_clients_refuse(emu):
    user = emu.user("Rina")
    with pytest.raises(AssertionError, match="cannot send"):
        emu.send_text(user, "   \n ")
    with pytest.raises(AssertionError, match="cannot send"):
        emu.send_text(user, "x" * 4097)
    update = emu.send_text(user, "  halo @lampung_tip_bot https://t.me/x  \n")
    assert update["message"]["text"] == "halo @lampung_tip_bot https://t.me/x"
    assert [e["type"] for e in update["message"]["entities"]] == ["mention", "url"]
    emu.edit_text(user, emu.last_user_message_id(user), "diubah")
    assert emu.updates[-1]["edited_message"]["text"] == "diubah"


async def test_settle_reports_what_is_pending(emu):
    user = emu.user("Nobody polls")
    emu.send_text(user, "hello")
    with pytest.raises(AssertionError, match=r"1 update\(s\) not fetched"):
        await emu.settle(timeout=0.2)
