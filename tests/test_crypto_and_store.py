import os
import stat

from cryptography.fernet import Fernet

from bot.storage.crypto import Vault, load_or_create_key
from bot.storage.evidence import EvidenceStore
from bot.services.codes import canonical_code, looks_like_followup_code, new_case_number, new_followup_code


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


def test_evidence_store_encrypts_under_random_names(tmp_path):
    store = EvidenceStore(tmp_path, Vault(load_or_create_key("", tmp_path)))
    first = store.save(b"secret picture")
    again = store.save(b"secret picture")
    assert first.path != again.path and first.sha256 == again.sha256 and first.size == 14
    assert b"secret picture" not in (tmp_path / first.path).read_bytes()
    assert first.sha256 not in first.path
    assert store.read(first.path) == b"secret picture"
    # The digest is keyed: a dump does not show which known file this is.
    import hashlib
    assert first.sha256 != hashlib.sha256(b"secret picture").hexdigest()
    other = EvidenceStore(tmp_path, Vault(Fernet.generate_key().decode()))
    assert other.save(b"secret picture").sha256 != first.sha256


def test_codes_use_the_unambiguous_alphabet():
    from datetime import datetime, timezone
    number = new_case_number(datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc))
    assert number.startswith("LPG-2612-")  # already December in WIB
    code = new_followup_code()
    assert looks_like_followup_code(code) and looks_like_followup_code(code.lower().replace("-", " "))
    assert canonical_code("abcde-fghjk") == "ABCDEFGHJK"
