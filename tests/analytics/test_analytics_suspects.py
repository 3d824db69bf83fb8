"""Repeat suspects: phone numbers in any written form, near-identical names, top lists."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.analytics.period import DateRange
from bot.analytics.suspects import (
    NAME_THRESHOLD, link_report, name_similarity, normalize_agency, normalize_person,
    normalize_phone, related_case_numbers, related_case_numbers_many, related_cases,
    top_reported,
)
from models import ReportLink
from tests.helpers.analytics import make_report, utc

T0 = utc(2026, 11, 1, 3, 0)


@pytest.mark.parametrize("written", [
    "081234567890", "0812-3456-7890", "0812 3456 7890", "+62 812 3456 7890", "+62 (0)812-3456-7890",
    "6281234567890", "62 812-3456-7890", "0062 812 3456 7890", "+6281234567890",
])
def test_phone_forms_normalize_to_one_e164(written):
    assert normalize_phone(written) == "+6281234567890"


def test_unusable_phones_are_dropped():
    assert normalize_phone("") is None
    assert normalize_phone("tidak tahu") is None
    assert normalize_phone("123") is None
    assert normalize_phone("+60 12-345 6789") == "+60123456789"   # Malaysia stays Malaysia


def test_name_normalization_strips_legal_forms_and_honorifics():
    assert normalize_agency("PT. Maju-Jaya Abadi") == "maju jaya abadi"
    assert normalize_agency("Maju Jaya Abadi, CV") == "maju jaya abadi"
    assert normalize_agency("LPK  Sinar Mas (Persero) Tbk.") == "sinar mas"
    assert normalize_person("Pak H. Budi Santoso") == "budi santoso"
    assert normalize_person("Ibu Siti Aminah") == "siti aminah"
    assert normalize_person("Hérmàn") == "herman"


def test_threshold_separates_typos_from_different_people():
    assert name_similarity("budi santoso", "budi santosa") >= NAME_THRESHOLD
    assert name_similarity("santoso budi", "budi santoso") >= NAME_THRESHOLD
    assert name_similarity("budi santoso", "budi susanto") < NAME_THRESHOLD
    assert name_similarity("maju jaya abadi", "maju jaya abadi sentosa") < NAME_THRESHOLD


async def test_same_phone_written_differently_links_both_ways(session):
    first = await make_report(session, created_at=T0, case_number="LPG-2611-PHON1",
                              suspect_phone="+6281234567890")
    second = await make_report(session, created_at=T0 + timedelta(days=1),
                               case_number="LPG-2611-PHON2", suspect_phone="+6281234567890")
    unrelated = await make_report(session, created_at=T0, suspect_phone="+6281299999999")
    # A free-text form, as an officer might type it: normalized before matching.
    third = await make_report(session, created_at=T0 + timedelta(days=2),
                              case_number="LPG-2611-PHON3", suspect_phone="0812-3456-7890")
    matches = await link_report(session, third)
    assert {(m.other_id, m.reason) for m in matches} == {(first.id, "phone"), (second.id, "phone")}
    await session.commit()
    assert await related_case_numbers(session, third.id) == ["LPG-2611-PHON1", "LPG-2611-PHON2"]
    assert await related_case_numbers(session, first.id) == ["LPG-2611-PHON3"]
    assert await related_case_numbers(session, unrelated.id) == []
    assert (await related_case_numbers_many(session, [first.id, unrelated.id])) == {
        first.id: ["LPG-2611-PHON3"], unrelated.id: []}


async def test_a_much_reported_number_links_only_the_latest_cases(session, monkeypatch):
    monkeypatch.setattr("bot.analytics.suspects.MAX_LINKS_PER_REASON", 3)
    earlier = [await make_report(session, created_at=T0 + timedelta(hours=i),
                                 suspect_phone="+6281234567890", suspect_name="Budi Santoso")
               for i in range(6)]
    new = await make_report(session, created_at=T0 + timedelta(days=1),
                            suspect_phone="+6281234567890", suspect_name="Budi Santoso")
    matches = await link_report(session, new)
    assert sorted((m.reason, m.other_id) for m in matches) == sorted(
        [("phone", r.id) for r in earlier[3:]] + [("name", r.id) for r in earlier[3:]])
    assert len(await related_case_numbers(session, new.id, limit=2)) == 2


async def test_linking_twice_adds_nothing(session):
    first = await make_report(session, created_at=T0, suspect_phone="+6281234567890")
    second = await make_report(session, created_at=T0, suspect_phone="+6281234567890")
    assert len(await link_report(session, second)) == 1
    assert await link_report(session, second) == []
    assert await link_report(session, first) == []
    links = (await session.exec(select(ReportLink))).all()
    assert sorted((link.report_id, link.other_id) for link in links) == sorted(
        [(first.id, second.id), (second.id, first.id)])


async def test_a_new_report_is_linked_without_looking_up_its_links(session):
    """``new``: a report stored in this transaction has no links yet; the links written
    are the same, both ways, one per reason."""
    first = await make_report(session, created_at=T0, suspect_phone="+6281234567890",
                              suspect_name="Budi Santoso")
    new = await make_report(session, created_at=T0 + timedelta(hours=1),
                            suspect_phone="0812-3456-7890", suspect_name="Budi Santoso")
    matches = await link_report(session, new, new=True)
    assert sorted((m.other_id, m.reason) for m in matches) == [(first.id, "name"),
                                                                (first.id, "phone")]
    links = (await session.exec(select(ReportLink))).all()
    assert sorted((link.report_id, link.other_id, link.reason) for link in links) == sorted(
        [(new.id, first.id, "phone"), (first.id, new.id, "phone"),
         (new.id, first.id, "name"), (first.id, new.id, "name")])


async def test_near_identical_person_and_agency_names_link(session):
    person = await make_report(session, created_at=T0, case_number="LPG-2611-NAME1",
                               suspect_name="Budi Santoso")
    agency = await make_report(session, created_at=T0, case_number="LPG-2611-AGEN1",
                               suspect_company="PT. Maju Jaya Abadi")
    await make_report(session, created_at=T0, suspect_name="Budi Susanto",
                      suspect_company="PT Maju Jaya Abadi Sentosa")
    await make_report(session, created_at=T0, suspect_name="Andi")
    new = await make_report(session, created_at=T0 + timedelta(hours=5),
                            suspect_name="pak budi santosa", suspect_company="CV Maju-Jaya Abadi")
    matches = await link_report(session, new)
    assert {(m.other_id, m.reason) for m in matches} == {(person.id, "name"), (agency.id, "agency")}
    assert all(m.score >= NAME_THRESHOLD for m in matches)
    related = await related_cases(session, new.id)
    assert [(r.case_number, r.reasons) for r in related] == [
        ("LPG-2611-NAME1", ("name",)), ("LPG-2611-AGEN1", ("agency",))]


async def test_common_first_names_alone_never_link(session):
    await make_report(session, created_at=T0, suspect_name="Andi")
    new = await make_report(session, created_at=T0, suspect_name="Andi")
    assert await link_report(session, new) == []


async def test_names_outside_the_lookback_are_not_compared(session):
    await make_report(session, created_at=T0 - timedelta(days=800), suspect_name="Budi Santoso")
    new = await make_report(session, created_at=T0, suspect_name="Budi Santoso")
    assert await link_report(session, new) == []


async def test_top_reported_counts_numbers_people_and_agencies(session):
    for i in range(3):
        await make_report(session, created_at=T0 + timedelta(hours=i),
                          suspect_phone="+6281234567890", suspect_company="PT Maju Jaya",
                          suspect_name="Budi Santoso")
    await make_report(session, created_at=T0, suspect_phone="+6281111111111",
                      suspect_company="Maju Jaya, PT.", suspect_name="budi santoso ")
    await make_report(session, created_at=T0, suspect_phone="+6281111111111",
                      suspect_company="CV Lain")
    await make_report(session, created_at=T0, suspect_phone="+6282222222222")
    # Before the range: not counted.
    await make_report(session, created_at=utc(2026, 10, 1), suspect_phone="+6282222222222")
    await session.commit()
    top = await top_reported(session, date_range=DateRange(date(2026, 11, 1), date(2026, 11, 30)))
    assert [(r.value, r.reports) for r in top.phones] == [
        ("+6281234567890", 3), ("+6281111111111", 2)]
    assert [(r.value, r.reports) for r in top.agencies] == [("PT Maju Jaya", 4)]
    assert [(r.value, r.reports) for r in top.people] == [("Budi Santoso", 4)]
    assert top.to_json()["phones"][0] == {"value": "+6281234567890", "reports": 3}
