"""One answer to the report form, end to end: validate, keep the file, save, submit.

Channel adapters call :func:`answer_form` with a channel-neutral ``Answer`` and a
``download`` callable for uploads; they render what comes back.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.storage.evidence import EvidenceStore
from bot.engine.form import Answer, FormState, Limits, Problem, Step, apply
from bot.services.abuse import Quota, report_quota
from bot.services.drafts import add_evidence, save_state, state_of
from bot.services.files import receive_file
from bot.services.reports import Receipt, submit_report
from bot.services.routing import Counts, RoutingRules
from models import Draft, Reporter

Download = Callable[[], Awaitable[bytes]]


@dataclass(frozen=True)
class FormResult:
    state: FormState
    problem: Problem | None = None
    show_emergency: bool = False
    evidence_count: int | None = None     # set when a file was just added
    receipt: Receipt | None = None
    over_quota: Quota | None = None       # set when sending would pass REPORTS_PER_DAY


async def answer_form(
    session: AsyncSession, *, draft: Draft, reporter: Reporter, answer: Answer,
    limits: Limits, store: EvidenceStore, vault: Vault, download: Download | None,
    now: datetime, rules: RoutingRules, reports_per_day: int | None = None,
    counts: Counts | None = None,
) -> FormResult:
    """Apply the answer to the saved draft; the caller commits. Sending stores and routes
    the case (any channel gets the same routing). Sending past the daily quota is refused
    and the draft kept, so it can be sent once a slot frees up."""
    outcome = apply(state_of(draft, vault), answer, limits)
    if outcome.problem:
        return FormResult(outcome.state, outcome.problem)
    evidence_count = None
    if outcome.store_upload is not None:
        if download is None:
            return FormResult(state_of(draft, vault), Problem.NOT_UNDERSTOOD)
        upload = outcome.store_upload
        kept = await receive_file(store, upload, download, max_bytes=limits.max_file_bytes)
        if isinstance(kept, Problem):    # the report goes on without it; the resident is told
            return FormResult(state_of(draft, vault), kept)
        is_description = draft.step == Step.DESCRIPTION
        evidence_count = await add_evidence(session, draft=draft, upload=upload, kept=kept,
                                            is_description=is_description, now=now)
        if is_description:
            evidence_count = None
    if outcome.submit and reports_per_day is not None:
        quota = await report_quota(session, reporter_id=reporter.id, per_day=reports_per_day,
                                   now=now)
        if not quota.allowed:
            return FormResult(outcome.state, over_quota=quota)
    if outcome.submit:
        receipt = await submit_report(session, vault=vault, draft=draft, reporter=reporter,
                                      now=now, rules=rules, counts=counts)
        return FormResult(outcome.state, receipt=receipt)
    state = outcome.state
    if evidence_count is not None:
        state = FormState(state.step, {**state.answers, **draft.answers}, state.history,
                          state.editing)
    await save_state(session, draft, state, now, vault)
    return FormResult(state, show_emergency=outcome.show_emergency, evidence_count=evidence_count)
