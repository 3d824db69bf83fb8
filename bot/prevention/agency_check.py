"""/cekagensi as use cases: what the register says about a typed name or number, the
verdict an officer's card shows, and a report started about a company."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.analytics.period import wib_date
from bot.prevention import counts
from bot.prevention.names import legal_form_not_pt
from bot.engine.sanitize import clean_line
from bot.prevention.register import (
    Lookup, find_agency, offices_of_firm, register_date, register_loaded,
)
from bot.services import drafts
from models import Agency, Draft

MAX_QUERY_CHARS = 200


class Verdict(StrEnum):
    FOUND = "found"                  # identical name or number: the offices and their status
    SUGGEST = "suggest"              # near names only: "Maksud Anda…?"
    NOT_LISTED = "not_listed"
    NO_REGISTER = "no_register"      # no register imported yet: nothing can be checked


@dataclass(frozen=True)
class AgencyAnswer:
    verdict: Verdict
    query: str
    as_of: date                      # "data per" / "tidak ada dalam daftar Satgas per"
    offices: list[Agency] = field(default_factory=list)
    suggestions: list[Agency] = field(default_factory=list)
    not_a_pt: bool = False           # a CV or UD named as a recruiter


def _head_first(offices: list[Agency]) -> list[Agency]:
    return sorted(offices, key=lambda a: (a.jenis_kantor != "pusat", a.kab_kota, a.id))


async def _answer(session: AsyncSession, query: str, lookup: Lookup, now: datetime,
                  *, none_of_these: bool = False) -> AgencyAnswer:
    as_of = await register_date(session) or wib_date(now)
    not_a_pt = legal_form_not_pt(query)
    if lookup.found:
        offices = _head_first(lookup.offices)
        await counts.count_use(session, kind=counts.AGENCY_CHECK, outcome=offices[0].status,
                               now=now)
        return AgencyAnswer(Verdict.FOUND, query, as_of, offices=offices, not_a_pt=not_a_pt)
    if lookup.suggestions and not none_of_these:
        # Counted when the person picks one, or says none of them is meant.
        return AgencyAnswer(Verdict.SUGGEST, query, as_of, suggestions=lookup.suggestions,
                            not_a_pt=not_a_pt)
    if not await register_loaded(session):
        # "Not on the list as of today" would be a verdict from an empty list.
        await counts.count_use(session, kind=counts.AGENCY_CHECK, outcome=counts.NO_REGISTER,
                               now=now)
        return AgencyAnswer(Verdict.NO_REGISTER, query, as_of, not_a_pt=not_a_pt)
    await counts.count_use(session, kind=counts.AGENCY_CHECK, outcome=counts.NOT_LISTED, now=now)
    return AgencyAnswer(Verdict.NOT_LISTED, query, as_of, not_a_pt=not_a_pt)


def clean_query(text: str) -> str:
    return clean_line(text or "")[:MAX_QUERY_CHARS]


async def check_agency(session: AsyncSession, *, query: str, now: datetime) -> AgencyAnswer:
    """A typed name or number against the register; counted once, at its verdict."""
    query = clean_query(query)
    return await _answer(session, query, await find_agency(session, query), now)


async def check_chosen(session: AsyncSession, *, agency_id: int, now: datetime) -> AgencyAnswer | None:
    """The firm picked from "Maksud Anda…?"; None when it left the register meanwhile."""
    offices = await offices_of_firm(session, agency_id)
    if not offices:
        return None
    return await _answer(session, offices[0].nama, Lookup(offices, []), now)


async def check_none_of_these(session: AsyncSession, *, query: str, now: datetime) -> AgencyAnswer:
    """The person meant none of the near names: the typed name is not on the list."""
    return await _answer(session, clean_query(query), Lookup([], []), now, none_of_these=True)


@dataclass(frozen=True)
class RegisterVerdict:
    """For the officer's card: what the register says about the company a report names."""

    status: str                      # aktif | dihentikan_sementara | dicabut | not_listed
    as_of: date | None
    similar: tuple[str, ...] = ()    # near names in the register, when not listed


async def register_verdict(session: AsyncSession, company: str | None, *,
                           loaded: bool | None = None) -> RegisterVerdict | None:
    """None when the report names no company, or no register was imported yet (then
    "not on the list" would mean nothing); nothing is counted (officers, not residents).
    ``loaded``: whether the register holds anything, when the caller already asked."""
    if not company or not company.strip():
        return None
    if not (loaded if loaded is not None else await register_loaded(session)):
        return None
    lookup = await find_agency(session, clean_query(company))
    as_of = await register_date(session)
    if lookup.found:
        return RegisterVerdict(_head_first(lookup.offices)[0].status, as_of)
    return RegisterVerdict(counts.NOT_LISTED, as_of, tuple(a.nama for a in lookup.suggestions))


async def start_report_about(session: AsyncSession, *, reporter_id: int, company: str,
                             now: datetime) -> tuple[Draft, bool]:
    """A report with the company filled in; an unfinished report is kept, and gets the
    company if it has none. Returns the draft and whether it was the unfinished one."""
    company = clean_query(company)
    draft = await drafts.load_draft(session, reporter_id)
    if draft is not None:
        if company and not draft.answers.get("suspect_company"):
            draft.answers = {**draft.answers, "suspect_company": company}
            draft.updated_at = now
        return draft, True
    draft = await drafts.start_draft(session, reporter_id=reporter_id, now=now)
    if company:
        draft.answers = {"suspect_company": company}
    return draft, False
