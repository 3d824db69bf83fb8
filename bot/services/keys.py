"""The encryption key in use: a start-up check that it opens what is stored, and rotation.

Rotation (``tipbot keys rotate``): every encrypted column and evidence file is re-encrypted
with the current (first) key of ENCRYPTION_KEY, and every lookup hash that can be
recomputed is: reporters from their chat address, relayed messages from the chats they are
in, follow-up codes still waiting for their receipt. A follow-up code already shown cannot
be recomputed (it is stored only as a hash): it keeps working while the old key stays
listed after the current one; the resident can get a new code from their account.
"""
from __future__ import annotations

import json

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault, WrongKeyError
from bot.storage.evidence import EvidenceStore
from bot.services.codes import canonical_code
from models import (Draft, Evidence, Officer, Outbox, RelayMessage, Report, ReportContact,
                    Reporter, WhatsAppSent)

WRONG_KEY = ("ENCRYPTION_KEY does not open the stored data (it was encrypted with a key "
             "that is not listed): put the old key back, after the new one if rotating")


async def key_problem(session: AsyncSession, vault: Vault) -> str | None:
    """One line when the newest encrypted values cannot be decrypted, else None."""
    samples = [
        select(Reporter.chat_ref_enc).order_by(Reporter.id.desc()).limit(1),
        select(ReportContact.name_enc).order_by(ReportContact.id.desc()).limit(1),
        select(Draft.secret_enc).where(Draft.secret_enc != None).limit(1),  # noqa: E711
        select(Outbox.secret_enc).where(Outbox.secret_enc != None).limit(1),  # noqa: E711
        select(Report.followup_enc).where(Report.followup_enc != None).limit(1),  # noqa: E711
        select(Report.location_enc).where(Report.location_enc != None)  # noqa: E711
        .order_by(Report.id.desc()).limit(1),
    ]
    for query in samples:
        token = (await session.exec(query)).first()
        if token and not vault.can_decrypt(token):
            return WRONG_KEY
    return None


async def rotate(session: AsyncSession, *, vault: Vault, store: EvidenceStore) -> dict[str, int]:
    """Re-encrypt and re-hash everything with the current key; returns counts per kind."""
    counts: dict[str, int] = {}
    new_relay_key: dict[str, str] = {}

    def bump(kind: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1

    for reporter in (await session.exec(select(Reporter))).all():
        chat = vault.decrypt(reporter.chat_ref_enc)
        reporter.chat_ref_enc = vault.encrypt(chat)
        # On Telegram a private chat's id is the user's id: the lookup can be recomputed.
        reporter.lookup_hash = vault.lookup_hash(reporter.channel, chat)
        for old in vault.lookup_hashes("relay", chat):
            new_relay_key[old] = vault.lookup_hash("relay", chat)
        bump("reporters")
    for officer in (await session.exec(select(Officer))).all():
        for old in vault.lookup_hashes("relay", officer.telegram_user_id):
            new_relay_key[old] = vault.lookup_hash("relay", officer.telegram_user_id)
        # Words an officer sent with no pending action, kept for their choice.
        if officer.unsent and officer.unsent.get("kept_enc"):
            officer.unsent = {**officer.unsent,
                              "kept_enc": vault.rotate(officer.unsent["kept_enc"])}
            bump("officers_unsent")
    for relayed in (await session.exec(select(RelayMessage))).all():
        if relayed.chat_key in new_relay_key:
            relayed.chat_key = new_relay_key[relayed.chat_key]
            bump("relay_messages")
    for contact in (await session.exec(select(ReportContact))).all():
        contact.name_enc, contact.phone_enc = vault.rotate(contact.name_enc), vault.rotate(contact.phone_enc)
        bump("contacts")
    for draft in (await session.exec(select(Draft).where(Draft.secret_enc != None))).all():  # noqa: E711
        draft.secret_enc = vault.rotate(draft.secret_enc)
        bump("drafts")
    for draft in (await session.exec(select(Draft).where(Draft.pending_enc != None))).all():  # noqa: E711
        draft.pending_enc = vault.rotate(draft.pending_enc)
        bump("drafts_pending")
    for row in (await session.exec(select(Outbox).where(Outbox.secret_enc != None))).all():  # noqa: E711
        row.secret_enc = vault.rotate(row.secret_enc)
        bump("outbox")
    for sent in (await session.exec(select(WhatsAppSent).where(
            WhatsAppSent.content_enc != None))).all():  # noqa: E711
        sent.content_enc = _rotate_intent(vault, sent.content_enc)
        bump("whatsapp_sent")
    for report in (await session.exec(select(Report))).all():
        if report.location_enc:
            report.location_enc = vault.rotate(report.location_enc)
            bump("location_pins")
        if report.followup_enc:
            code = vault.decrypt(report.followup_enc)
            report.followup_enc = vault.encrypt(code)
            report.followup_hash = vault.lookup_hash("followup", canonical_code(code))
            bump("followup_codes")
        elif report.reporter_id is not None:
            bump("followup_codes_not_rehashable")
    digests: dict[str, str | None] = {}
    for evidence in (await session.exec(select(Evidence))).all():
        if evidence.path not in digests:
            digests[evidence.path] = await store.rotate(session, evidence.path)
            bump("evidence_files")
        if digests[evidence.path] is not None:    # keyed digests follow the lookup key
            evidence.sha256 = digests[evidence.path]
    await session.flush()
    return counts


def _rotate_intent(vault: Vault, token: str) -> str:
    """A WhatsApp message kept until Meta reports on it: its intent, with the encrypted
    words inside it (which go back to the outbox as they are), under the current key."""
    content = vault.decrypt(token)
    try:
        intent = json.loads(content)
    except ValueError:
        return vault.encrypt(content)
    if isinstance(intent, dict) and intent.get("secret_enc"):
        intent["secret_enc"] = vault.rotate(intent["secret_enc"])
    return vault.encrypt(json.dumps(intent))


async def check_or_raise(session: AsyncSession, vault: Vault) -> None:
    problem = await key_problem(session, vault)
    if problem:
        raise WrongKeyError(problem)
