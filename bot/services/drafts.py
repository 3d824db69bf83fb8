"""The report being written, kept in the database after every answer."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.evidence import EvidenceStore, StoredFile
from bot.form import FormState, Step, Upload
from models import Draft, Evidence


async def load_draft(session: AsyncSession, reporter_id: int) -> Draft | None:
    return (await session.exec(select(Draft).where(Draft.reporter_id == reporter_id))).first()


async def start_draft(session: AsyncSession, *, reporter_id: int, now: datetime,
                      store: EvidenceStore | None = None) -> Draft:
    """A fresh draft at the first step, replacing any unfinished one."""
    await discard_draft(session, reporter_id=reporter_id, store=store)
    draft = Draft(reporter_id=reporter_id, step=Step.CATEGORY.value, answers={}, history=[],
                  created_at=now, updated_at=now)
    session.add(draft)
    await session.flush()
    return draft


def state_of(draft: Draft) -> FormState:
    return FormState(step=Step(draft.step), answers=dict(draft.answers),
                     history=tuple(Step(s) for s in draft.history), editing=draft.editing)


def save_state(draft: Draft, state: FormState, now: datetime) -> None:
    draft.step = state.step.value
    draft.answers = dict(state.answers)
    draft.history = [step.value for step in state.history]
    draft.editing = state.editing
    draft.updated_at = now


async def add_evidence(
    session: AsyncSession, *, draft: Draft, upload: Upload, stored: StoredFile,
    is_description: bool, now: datetime,
) -> int:
    """Record a stored file on the draft; returns how many evidence files it now has."""
    if is_description:
        await session.exec(delete(Evidence).where(Evidence.draft_id == draft.id,
                                                  Evidence.is_description.is_(True)))
    session.add(Evidence(draft_id=draft.id, kind=upload.kind, mime_type=upload.mime_type,
                         file_name=upload.file_name, size=stored.size, sha256=stored.sha256,
                         path=stored.path, is_description=is_description,
                         caption=upload.caption, created_at=now))
    if is_description:
        return draft.answers.get("evidence_count", 0)
    count = draft.answers.get("evidence_count", 0) + 1
    draft.answers = {**draft.answers, "evidence_count": count}
    return count


async def discard_draft(session: AsyncSession, *, reporter_id: int,
                        store: EvidenceStore | None = None) -> bool:
    """Drop the unfinished draft and its files; True if there was one.

    A cancelled report's files may show the reporter or the people they fear, so they are
    deleted from disk too, unless another report holds the same file.
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
                store.delete(path)
    return True
