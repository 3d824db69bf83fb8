"""Repeat suspects: link reports that name the same phone number, person or agency.

Matching rules (kept here so the handbook can quote them):

* Phone: both numbers normalized to E.164 with ``phonenumbers`` (default region ID), so
  ``0812-3456-7890``, ``+62 812 3456 7890``, ``6281234567890`` and ``0062…`` are one number.
  Reason ``"phone"``, score 100.
* Person and agency names: normalized (accents removed, lower case, punctuation to spaces;
  legal forms and agency kinds such as PT, CV, UD, Tbk, Persero, LPK, P3MI, Sdn Bhd, Ltd are
  dropped from agency names, and honorifics such as Pak, Bu, Mas, Mbak, Haji, H. from person
  names), then compared with rapidfuzz ``token_sort_ratio`` (word order does not matter).
  A pair is linked at ``NAME_THRESHOLD`` (90) or more: one wrong letter in a two-word name
  ("Budi Santoso" / "Budi Santosa", 92) links, a different surname ("Budi Susanto", 75) does
  not. Names shorter than ``MIN_NAME_CHARS`` after normalization, and one-word person names
  shorter than ``MIN_SINGLE_WORD_CHARS`` ("Andi"), are never linked: too common to mean
  anything. Reasons ``"name"`` and ``"agency"``.

Names are compared with the ``MAX_CANDIDATES`` most recent reports of the last
``LOOKBACK_DAYS`` days, read in batches (only id and the two names), so a link costs the
same at any database size. Links are stored in both directions, one row per reason.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, insert, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.analytics.period import DateRange, prefer_custom_plans
from bot.engine.phones import normalize_phone
from models import Report, ReportLink

NAME_THRESHOLD = 90.0
MIN_NAME_CHARS = 5
MIN_SINGLE_WORD_CHARS = 8
LOOKBACK_DAYS = 730
MAX_CANDIDATES = 20_000
MAX_LINKS_PER_REASON = 50   # the most recent; a number named in thousands of reports
BATCH = 2_000               # must not write thousands of link rows for each new one

REASON_PHONE, REASON_NAME, REASON_AGENCY = "phone", "name", "agency"

LEGAL_FORMS = frozenset({
    "pt", "cv", "ud", "pd", "fa", "firma", "tbk", "persero", "perseroan", "terbatas",
    "koperasi", "yayasan", "lpk", "p3mi", "pptkis", "pjtki", "blk", "sdn", "bhd", "pte", "ltd",
    "limited", "co", "inc", "llc", "corp",
})
HONORIFICS = frozenset({
    "pak", "bapak", "bp", "bpk", "bu", "ibu", "mas", "mbak", "mba", "bang", "abang", "kak",
    "om", "tante", "haji", "hajah", "hajjah", "hj", "h", "dr", "drs", "dra", "ir", "sh", "se",
    "spd", "sag",
})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", ascii_text).split()


def normalize_agency(name: str | None) -> str:
    """``"PT. Maju-Jaya Abadi"`` -> ``"maju jaya abadi"``; empty when nothing is left."""
    return " ".join(w for w in _fold(name or "") if w not in LEGAL_FORMS)


def normalize_person(name: str | None) -> str:
    """``"Pak H. Budi Santoso"`` -> ``"budi santoso"``."""
    return " ".join(w for w in _fold(name or "") if w not in HONORIFICS)


def _person_matchable(key: str) -> bool:
    return len(key) >= MIN_NAME_CHARS and (" " in key or len(key) >= MIN_SINGLE_WORD_CHARS)


def _agency_matchable(key: str) -> bool:
    return len(key) >= MIN_NAME_CHARS


def name_similarity(a: str, b: str) -> float:
    """The score the linker uses, on already normalized names (0-100)."""
    from rapidfuzz import fuzz   # loads with the first report, not with the bot

    return fuzz.token_sort_ratio(a, b)


@dataclass(frozen=True)
class Match:
    other_id: int
    reason: str
    score: float


async def find_matches(
    session: AsyncSession,
    report: Report,
    *,
    lookback_days: int = LOOKBACK_DAYS,
    max_candidates: int = MAX_CANDIDATES,
) -> list[Match]:
    """Other reports that name the same phone, or a similar person or agency.

    ``report`` must have an id (flushed). Phone matches look at all reports (indexed);
    name matches at the most recent ``max_candidates`` of the last ``lookback_days`` days.
    At most ``MAX_LINKS_PER_REASON`` matches per reason, the most recent first.
    """
    matches: list[Match] = []
    phone = normalize_phone(report.suspect_phone, strict=False)
    if phone:
        query = (select(Report.id).where(Report.suspect_phone == phone, Report.id != report.id)
                 .order_by(Report.created_at.desc(), Report.id.desc())
                 .limit(MAX_LINKS_PER_REASON))
        matches += [Match(int(row[0]), REASON_PHONE, 100.0)
                    for row in (await session.exec(query)).all()]

    person = normalize_person(report.suspect_name)
    agency = normalize_agency(report.suspect_company)
    want_person, want_agency = _person_matchable(person), _agency_matchable(agency)
    if not (want_person or want_agency):
        return matches
    targets = []   # (reason, normalized name, column in the row, normalizer, usable)
    if want_person:
        targets.append((REASON_NAME, person, 1, normalize_person, _person_matchable))
    if want_agency:
        targets.append((REASON_AGENCY, agency, 2, normalize_agency, _agency_matchable))
    present = [Report.suspect_name.is_not(None)] if want_person else []
    present += [Report.suspect_company.is_not(None)] if want_agency else []
    since = report.created_at - timedelta(days=lookback_days)
    query = (
        select(Report.id, Report.suspect_name, Report.suspect_company)
        .where(Report.id != report.id, Report.created_at >= since, or_(*present))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(max_candidates)
        .execution_options(yield_per=BATCH)
    )
    found = {REASON_NAME: 0, REASON_AGENCY: 0}
    from rapidfuzz import fuzz, process   # loads with the first report, not with the bot

    result = await session.stream(query)
    try:
        async for partition in result.partitions(BATCH):
            if all(found[target[0]] >= MAX_LINKS_PER_REASON for target in targets):
                break
            ids = [row[0] for row in partition]
            for reason, wanted_key, column, normalizer, usable in targets:
                keys = [normalizer(row[column]) if row[column] else "" for row in partition]
                keys = [key if usable(key) else None for key in keys]
                for _key, score, index in process.extract(
                    wanted_key, keys, scorer=fuzz.token_sort_ratio,
                    score_cutoff=NAME_THRESHOLD, limit=None,
                ):
                    if found[reason] < MAX_LINKS_PER_REASON:
                        found[reason] += 1
                        matches.append(Match(int(ids[index]), reason, round(float(score), 1)))
    finally:
        await result.close()   # the server-side cursor, if we stopped early
    return matches


async def link_report(session: AsyncSession, report: Report, *, new: bool = False,
                      **options) -> list[Match]:
    """Find the report's repeat-suspect matches and store them as ReportLink rows both ways.

    Idempotent: pairs already linked for a reason are skipped (``new``: a report stored in
    this transaction, which nothing can have linked yet: not looked up). Flushes; the
    caller commits. Returns the new matches.
    """
    matches = await find_matches(session, report, **options)
    if not matches:
        return []
    existing = set() if new else {
        (int(other), reason) for other, reason in (await session.exec(
            select(ReportLink.other_id, ReportLink.reason).where(ReportLink.report_id == report.id)
        )).all()
    }
    return await store_links(session, report, matches, existing=existing)


async def store_links(session: AsyncSession, report: Report, matches: list[Match], *,
                      existing: set[tuple[int, str]] | None = None) -> list[Match]:
    """Store matches found by find_matches as ReportLink rows both ways, but the pairs in
    ``existing`` (other id, reason); returns the ones stored. A report stored after its
    matches were found (a new report, see routing.route_new_case) has none."""
    if not matches:
        return []
    existing = set(existing or ())
    new, rows = [], []
    for match in matches:
        if (match.other_id, match.reason) in existing:
            continue
        existing.add((match.other_id, match.reason))
        rows.append(dict(report_id=report.id, other_id=match.other_id,
                         reason=match.reason, score=match.score))
        rows.append(dict(report_id=match.other_id, other_id=report.id,
                         reason=match.reason, score=match.score))
        new.append(match)
    if rows:
        # One bulk INSERT, not an ORM object per row: a suspect named in many reports
        # gives every new report many links (py-spy: ~4 % of the bot's CPU in a benchmark
        # where every report names the same suspect).
        await session.exec(insert(ReportLink), params=rows)
    await session.flush()
    return new


@dataclass(frozen=True)
class RelatedCase:
    report_id: int
    case_number: str
    reasons: tuple[str, ...]


async def related_cases(session: AsyncSession, report_id: int,
                        limit: int | None = None) -> list[RelatedCase]:
    """Cases linked to this one, oldest first, with why (phone / name / agency); with
    ``limit``, the most recent ``limit`` of them."""
    query = (
        select(Report.id, Report.case_number, ReportLink.reason)
        .join(ReportLink, ReportLink.other_id == Report.id)
        .where(ReportLink.report_id == report_id)
        .order_by(Report.created_at, Report.id, ReportLink.reason)
    )
    grouped: dict[int, tuple[str, list[str]]] = {}
    for other_id, case_number, reason in (await session.exec(query)).all():
        grouped.setdefault(int(other_id), (case_number, []))[1].append(reason)
    cases = [RelatedCase(i, number, tuple(dict.fromkeys(reasons)))
             for i, (number, reasons) in grouped.items()]
    return cases[-limit:] if limit else cases


async def related_case_numbers(session: AsyncSession, report_id: int,
                               limit: int | None = None) -> list[str]:
    """Case numbers linked to this report, oldest first, each once (for the case card)."""
    return [case.case_number for case in await related_cases(session, report_id, limit)]


async def related_case_numbers_many(
    session: AsyncSession, report_ids: list[int]
) -> dict[int, list[str]]:
    """``related_case_numbers`` for several reports in one query (lists of cards)."""
    if not report_ids:
        return {}
    query = (
        select(ReportLink.report_id, Report.case_number)
        .join(Report, Report.id == ReportLink.other_id)
        .where(ReportLink.report_id.in_(report_ids))
        .order_by(ReportLink.report_id, Report.created_at, Report.id)
    )
    found: dict[int, list[str]] = {i: [] for i in report_ids}
    for report_id, case_number in (await session.exec(query)).all():
        numbers = found[int(report_id)]
        if case_number not in numbers:
            numbers.append(case_number)
    return found


@dataclass(frozen=True)
class Reported:
    """One suspect as the lists show it: how it was written, and in how many reports."""

    value: str
    reports: int


@dataclass(frozen=True)
class TopReported:
    range: DateRange
    phones: list[Reported]
    people: list[Reported]
    agencies: list[Reported]

    def to_json(self) -> dict:
        def rows(items: list[Reported]) -> list[dict]:
            return [{"value": r.value, "reports": r.reports} for r in items]
        return {"range": self.range.as_dict(), "phones": rows(self.phones),
                "people": rows(self.people), "agencies": rows(self.agencies)}


def _in_range(date_range: DateRange):
    return and_(Report.created_at >= date_range.utc_start, Report.created_at < date_range.utc_end)


async def _top_names(session: AsyncSession, column, normalizer, date_range: DateRange,
                     limit: int, min_reports: int) -> list[Reported]:
    # SQL groups by the lower-cased text; the most frequent groups are then merged in Python
    # by the full normalization (so "PT. Maju Jaya" and "CV Maju Jaya" count together).
    # Bounded: only the top ``pool`` SQL groups reach Python.
    pool = max(200, limit * 20)
    key = func.lower(func.trim(column))
    query = (
        select(func.min(column), func.count())
        .where(_in_range(date_range), column.is_not(None))
        .group_by(key)
        .order_by(func.count().desc(), func.min(column))
        .limit(pool)
    )
    counts: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = {}
    for raw, n in (await session.exec(query)).all():
        normalized = normalizer(raw)
        if not normalized:
            continue
        counts[normalized] += int(n)
        shown.setdefault(normalized, Counter())[raw.strip()] += int(n)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Reported(shown[k].most_common(1)[0][0], n) for k, n in ranked
            if n >= min_reports][:limit]


async def top_reported(
    session: AsyncSession, *, date_range: DateRange, limit: int = 10, min_reports: int = 2
) -> TopReported:
    """The most-reported phone numbers, people and agencies among reports created in range
    (each named in at least ``min_reports`` reports). Three grouped queries."""
    await prefer_custom_plans(session)
    phone_query = (
        select(Report.suspect_phone, func.count())
        .where(_in_range(date_range), Report.suspect_phone.is_not(None))
        .group_by(Report.suspect_phone)
        .having(func.count() >= min_reports)
        .order_by(func.count().desc(), Report.suspect_phone)
        .limit(limit)
    )
    phones = [Reported(p, int(n)) for p, n in (await session.exec(phone_query)).all()]
    people = await _top_names(session, Report.suspect_name, normalize_person, date_range,
                              limit, min_reports)
    agencies = await _top_names(session, Report.suspect_company, normalize_agency, date_range,
                                limit, min_reports)
    return TopReported(date_range, phones, people, agencies)
