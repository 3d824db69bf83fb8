import os
import stat
from datetime import datetime, timezone

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from bot.services.codes import (
    canonical_code, looks_like_followup_code, new_case_number, new_followup_code,
)
from bot.storage.crypto import Vault, load_or_create_key
from bot.storage.evidence import EvidenceStore, EvidenceUnreadable
from models import EvidenceFile

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=timezone.utc)


def test_generated_key_is_owner_only_and_reused(tmp_path):
    key = load_or_create_key("", tmp_path)
    mode = stat.S_IMODE(os.stat(tmp_path / "encryption.key").st_mode)
    assert mode == 0o600
    assert load_or_create_key("", tmp_path) == key


def test_vault_round_trip_and_stable_lookup(tmp_path):
    vault = Vault(load_or_create_key("", tmp_path))
    token = vault.encrypt("Siti 0812")
    assert "Siti" not in token and vault.decrypt(token) == "Siti 0812"
    assert vault.lookup_hash("telegram", 42) == vault.lookup_hash("telegram", "42")
    assert vault.lookup_hash("telegram", 42) != vault.lookup_hash("telegram", 43)


async def test_evidence_store_encrypts_under_random_names(tmp_path, session_factory):
    store = EvidenceStore(Vault(load_or_create_key("", tmp_path)))
    first = store.seal(b"secret picture")
    again = store.seal(b"secret picture")
    assert first.path != again.path and first.sha256 == again.sha256 and first.size == 14
    async with session_factory() as session:
        await store.keep(session, first, now=NOW)
        await session.commit()
        stored = (await session.exec(select(EvidenceFile))).one()
        assert b"secret picture" not in stored.data and stored.path == first.path
        assert first.sha256 not in first.path
        assert await store.read(session, first.path) == b"secret picture"
        # Not in the store, or sealed with a key not configured: unreadable, said so.
        other = EvidenceStore(Vault(Fernet.generate_key().decode()))
        for reader, path in ((store, again.path), (other, first.path)):
            with pytest.raises(EvidenceUnreadable):
                await reader.read(session, path)
    # The digest is keyed: a dump does not show which known file this is.
    import hashlib
    assert first.sha256 != hashlib.sha256(b"secret picture").hexdigest()
    assert other.seal(b"secret picture").sha256 != first.sha256


def test_codes_use_the_unambiguous_alphabet():
    from datetime import datetime, timezone
    number = new_case_number(datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc))
    assert number.startswith("LPG-2612-")  # already December in WIB
    code = new_followup_code()
    assert looks_like_followup_code(code) and looks_like_followup_code(code.lower().replace("-", " "))
    assert canonical_code("abcde-fghjk") == "ABCDEFGHJK"
