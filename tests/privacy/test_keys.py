"""Keys: separate derived keys, rotation to a new key, and a clear refusal of a wrong one."""
from __future__ import annotations

from cryptography.fernet import Fernet
from sqlmodel import select

from bot.storage.crypto import Vault
from models import Evidence, EvidenceFile, ReportContact, Reporter
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import FAST, claim, deliver, make_officer
from tests.helpers.privacy import (
    CONTACT_NAME, database_env, file_contactable_report, run_cli, small_jpeg
)


async def reported_on(emu, store_engine, data_dir, key: str, photo: bytes | None = None):
    """The bot running on ``key``, an officer Budi and a resident Lastri who has filed a
    contactable report: (bot, officer, resident)."""
    bot = await start_bot(emu, store_engine, data_dir, encryption_key=key, **FAST)
    emu.attach(bot.app)
    officer = await make_officer(bot, "Budi")
    resident = Person(emu, first_name="Lastri")
    await file_contactable_report(resident, photo=photo)
    return bot, officer, resident


def test_encryption_and_lookup_keys_are_derived_and_separate():
    key = Fernet.generate_key()
    vault = Vault(key)
    token = vault.encrypt("Siti")
    # Not the configured key itself: HKDF derives the encryption key...
    assert Vault(key).decrypt(token) == "Siti"
    try:
        Fernet(key).decrypt(token.encode())
        raise AssertionError("the raw key opened a derived-key token")
    except Exception as exc:  # noqa: BLE001
        assert type(exc).__name__ == "InvalidToken"
    # ...and a second, different key for lookups.
    assert vault.lookup_hash("telegram", 1) != Vault(Fernet.generate_key()).lookup_hash("telegram", 1)
    # Data written before HKDF (with the raw key) stays readable for `tipbot keys rotate`.
    assert vault.decrypt(Fernet(key).encrypt(b"lama").decode()) == "lama"


async def test_rotation_moves_everything_to_the_new_key_and_a_wrong_key_stops_start_up(
        emu, store_engine, data_dir, key, database_url, monkeypatch):
    old = key
    bot, officer, resident = await reported_on(emu, store_engine, data_dir, old, small_jpeg())
    await deliver(bot)
    await stop_bot(bot)
    env = database_env(database_url, data_dir)

    # A key that never encrypted anything: start-up refused with one line, exit code 2.
    wrong = Fernet.generate_key().decode()
    code, _, err = await run_cli(monkeypatch, ["run"], ENCRYPTION_KEY=wrong,
                                 TELEGRAM_BOT_TOKEN="123456:TEST-tipbot-token", **env)
    assert code == 2 and err.count("\n") == 1 and "ENCRYPTION_KEY" in err

    # New key first, old one after: rotate.
    new = Fernet.generate_key().decode()
    code, out, _ = await run_cli(monkeypatch, ["keys", "rotate", "--json"],
                                 ENCRYPTION_KEY=f"{new},{old}", **env)
    assert code == 0 and '"evidence_files": 1' in out and '"contacts": 1' in out

    # The new key alone now opens everything.
    only_new = Vault(new)
    async with bot.session() as session:
        reporter = (await session.exec(select(Reporter))).one()
        assert reporter.lookup_hash == only_new.lookup_hash("telegram", resident.chat_id)
        contact = (await session.exec(select(ReportContact))).one()
        assert only_new.decrypt(contact.name_enc) == CONTACT_NAME
        evidence = (await session.exec(select(Evidence))).one()
        sealed = (await session.exec(select(EvidenceFile.data).where(
            EvidenceFile.path == evidence.path))).one()
    assert only_new.decrypt_bytes(sealed)
    code, _, err = await run_cli(monkeypatch, ["run"], ENCRYPTION_KEY=old,
                                 TELEGRAM_BOT_TOKEN="123456:TEST-tipbot-token", **env)
    assert code == 2 and "ENCRYPTION_KEY" in err

    # The bot runs on the new key alone: the resident is recognised, the officer gets the
    # contact and the evidence.
    again = await start_bot(emu, store_engine, data_dir, encryption_key=new, **FAST)
    emu.attach(again.app)
    try:
        listing = await resident.say("/status")
        assert "LPG-" in listing.text
        await officer.press("🙋 Ambil kasus")
        await deliver(again)
        assert CONTACT_NAME in officer.last.text
        await officer.press("📎 Bukti", officer.message_with_button("📎 Bukti"))
        await deliver(again)
        assert officer.last.kind == "photo"
    finally:
        await stop_bot(again)
    assert emu.violations == []


async def test_rotation_keeps_an_officers_kept_words_and_lost_words_are_never_called_sent(
        emu, store_engine, data_dir, key, database_url, monkeypatch):
    from models import Officer
    from tests.helpers.officers import texts

    old = key
    bot, officer, resident = await reported_on(emu, store_engine, data_dir, old)
    await claim(bot, officer)
    offer = await officer.say("Apakah Anda masih di alamat yang sama?")
    assert "Kirim pesan ini" in offer.text
    await stop_bot(bot)

    new = Fernet.generate_key().decode()
    code, out, _ = await run_cli(monkeypatch, ["keys", "rotate"],
                                 ENCRYPTION_KEY=f"{new},{old}", **database_env(database_url, data_dir))
    assert code == 0 and "1  officers' messages kept until they choose where they go" in out

    again = await start_bot(emu, store_engine, data_dir, encryption_key=new, **FAST)
    emu.attach(again.app)
    try:
        before = len(resident.messages)
        await officer.press("✉️ Kirim ke pelapor", offer)
        await deliver(again)
        assert "Apakah Anda masih di alamat yang sama?" in texts(resident)[before]
        assert "masuk antrean pengiriman" in texts(officer)[-1]

        # Words kept under a key that is no longer listed (removed without rotating) can
        # not go: the officer is told they were lost, never that they are on their way.
        second = await officer.say("Mohon balas jika aman.")
        async with again.session() as session:
            row = await session.get(Officer, officer.officer_id)
            row.unsent = {**row.unsent, "kept_enc": Vault(Fernet.generate_key()).encrypt("[]")}
            await session.commit()
        sent_before = len(resident.messages)
        told = await officer.press("✉️ Kirim ke pelapor", second)
        await deliver(again)
        assert len(resident.messages) == sent_before
        assert "hilang" in told.text and "tulis ulang" in told.text, told.text
        assert "antrean pengiriman" not in told.text
    finally:
        await stop_bot(again)
    assert emu.violations == []


async def test_rotation_reencrypts_whatsapp_messages_awaiting_metas_report(tipbot, data_dir):
    """A WhatsApp message kept until Meta reports on it goes back to the outbox as it was
    if the window closed: its intent and the words inside it follow the new key."""
    import json as json_

    from bot.services.keys import rotate
    from bot.storage.evidence import EvidenceStore
    from models import WhatsAppSent

    old = Vault(tipbot.settings.encryption_key)
    words = old.encrypt("Petugas Satgas: apakah Anda aman?")
    intent = {"purpose": "relay_out", "params": {"part": 0, "parts": 1}, "secret_enc": words}
    async with tipbot.session() as session:
        session.add(WhatsAppSent(wamid_hash="h" * 64, reporter_id=1,
                                 content_enc=old.encrypt(json_.dumps(intent))))
        await session.commit()
    new = Fernet.generate_key().decode()
    both = Vault(f"{new},{tipbot.settings.encryption_key}")
    async with tipbot.session() as session:
        counts = await rotate(session, vault=both, store=EvidenceStore(both))
        await session.commit()
    assert counts["whatsapp_sent"] == 1
    async with tipbot.session() as session:
        sent = (await session.exec(select(WhatsAppSent))).one()
    kept = json_.loads(Vault(new).decrypt(sent.content_enc))
    assert Vault(new).decrypt(kept["secret_enc"]) == "Petugas Satgas: apakah Anda aman?"
