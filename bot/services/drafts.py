"""The report being written, kept in the database after every answer."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.storage.evidence import EvidenceStore
from bot.engine.form import STEPS, FormState, Step, Upload
from bot.services.files import KeptFile
from models import Draft, Evidence

# Answers that name the reporter (the table's secret steps) are kept in Draft.secret_enc,
# never in the clear JSON.


async def load_draft(session: AsyncSession, reporter_id: int) -> Draft | None:
    return (await session.exec(select(Draft).where(Draft.reporter_id == reporter_id))).first()


async def start_draft(session: AsyncSession, *, reporter_id: int, now: datetime,
                      store: EvidenceStore | None = None, replacing: bool = True) -> Draft:
    """A fresh draft at the first step, replacing any unfinished one (``replacing=False``:
    the caller knows there is none, e.g. it was loaded with the reporter, and saves the
    statement that would look for it)."""
    if replacing:
        await discard_draft(session, reporter_id=reporter_id, store=store)
    draft = Draft(reporter_id=reporter_id, step=Step.CATEGORY.value, answers={}, history=[],
                  created_at=now, updated_at=now)
    session.add(draft)
    await session.flush()
    return draft


def state_of(draft: Draft, vault: Vault) -> FormState:
    return FormState(step=Step(draft.step), answers=all_answers(draft, vault),
                     history=tuple(Step(s) for s in draft.history), editing=draft.editing)


def all_answers(draft: Draft, vault: Vault) -> dict:
    """The answers with the encrypted ones decrypted, in memory only."""
    answers = dict(draft.answers)
    if draft.secret_enc:
        answers.update(json.loads(vault.decrypt(draft.secret_enc)))
    return answers


# Saved by every answer, so built once: one UPDATE of the draft's row. Through the ORM's
# unit of work (at commit: the dirty object's history diffed, an UPDATE built for the
# columns that changed) an answer cost about 0.15 ms of CPU more (bench/README.md, issue 9).
_SAVED = ("step", "answers", "secret_enc", "history", "editing", "updated_at")
_DRAFTS = Draft.__table__
_SAVE = (update(_DRAFTS).where(_DRAFTS.c.id == bindparam("draft_id"))
         .values({name: bindparam(name) for name in _SAVED}))


async def save_state(session: AsyncSession, draft: Draft, state: FormState, now: datetime,
                     vault: Vault) -> None:
    """Store the form's new state in the draft's row (the caller commits). ``draft`` shows
    the stored values, with nothing left for the ORM to flush."""
    secret_keys = STEPS.secret_answers
    secret = {key: state.answers[key] for key in secret_keys
              if state.answers.get(key) not in (None, "")}
    values = dict(
        step=state.step.value,
        answers={k: v for k, v in state.answers.items() if k not in secret_keys},
        secret_enc=vault.encrypt(json.dumps(secret)) if secret else None,
        history=[step.value for step in state.history],
        editing=state.editing,
        updated_at=now)
    await session.exec(_SAVE, params={"draft_id": draft.id, **values})
    for name, value in values.items():
        set_committed_value(draft, name, value)


async def add_evidence(
    session: AsyncSession, *, draft: Draft, upload: Upload, kept: KeptFile,
    is_description: bool, now: datetime,
) -> int:
    """Record a stored file on the draft; returns how many evidence files it now has."""
    if is_description:
        await session.exec(delete(Evidence).where(Evidence.draft_id == draft.id,
                                                  Evidence.is_description.is_(True)))
    await EvidenceStore.keep(session, kept.stored, now=now)
    session.add(kept.evidence(kind=upload.kind, draft_id=draft.id, caption=upload.caption,
                              is_description=is_description, now=now))
    if is_description:
        return draft.answers.get("evidence_count", 0)
    count = draft.answers.get("evidence_count", 0) + 1
    draft.answers = {**draft.answers, "evidence_count": count}
    return count


async def discard_draft(session: AsyncSession, *, reporter_id: int,
                        store: EvidenceStore | None = None) -> bool:
    """Drop the unfinished draft and its files; True if there was one.

    A cancelled report's files may show the reporter or the people they fear, so they are
    deleted from the store too, unless another report holds the same file.
    """
    draft = await load_draft(session, reporter_id)
    if draft is None:
        return False
    paths = set((await session.exec(select(Evidence.path).where(
        Evidence.draft_id == draft.id))).all())
    await session.exec(delete(Evidence).where(Evidence.draft_id == draft.id,
                                              Evidence.report_id.is_(None)))
    await session.delete(draft)
    await session.flush()
    if store is not None:
        for path in paths:
            still_used = await session.exec(select(Evidence.id).where(Evidence.path == path))
            if still_used.first() is None:
                await store.delete(session, [path])
    return True
