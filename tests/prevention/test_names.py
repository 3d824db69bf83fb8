"""The normalisation table, and the matches that must and must not be made."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.prevention.names import legal_form_not_pt, normalize_name, number_key, similarity
from bot.prevention.register import find_agency, import_register
from tests.helpers.register import register_csv

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("typed,key", [
    ("PT Maju Jaya", "maju jaya"),
    ("PT. MAJU JAYA", "maju jaya"),
    ("P.T. Maju-Jaya", "maju jaya"),
    ("pt.maju jaya", "maju jaya"),
    ("Maju Jaya, PT", "maju jaya"),
    ("PT Maju Jaya (Persero) Tbk", "maju jaya"),
    ("Perseroan Terbatas Maju Jaya", "maju jaya"),
    ("ＰＴ　Ｍａｊｕ　Ｊａｙａ", "maju jaya"),                 # full-width, NFKC
    ("PT Ma\u200bju\u202e Jaya", "maju jaya"),             # zero-width and direction marks
    ("CV Sinar Abadi", "sinar abadi"),
    ("UD Sinar Abadi", "sinar abadi"),
    ("Firma Sinar Abadi", "sinar abadi"),
    ("Koperasi Jaya Mandiri Indonesia", "jaya mandiri indonesia"),  # distinctive words stay
    ("Yayasan Harapan Sentosa", "harapan sentosa"),
    ("PT Indonesia Mandiri Jaya Sentosa", "indonesia mandiri jaya sentosa"),
    ("Bina PT Karya", "bina pt karya"),                   # only at either end
    ("PT", "pt"),                                          # nothing else: keep the word
    ("  ", ""),
])
def test_normalisation_table(typed, key):
    assert normalize_name(typed) == key


def test_cv_or_ud_is_flagged_as_not_a_pt():
    assert legal_form_not_pt("CV Sinar Abadi") and legal_form_not_pt("sinar abadi, ud")
    assert not legal_form_not_pt("PT Sinar Abadi") and not legal_form_not_pt("Cvita Jaya")


def test_numbers_are_told_from_names():
    assert number_key("8120001110001") == "8120001110001"
    assert number_key("812-000-111-0001") == "8120001110001"
    assert number_key("PT Maju 2") is None and number_key("123") is None


def test_an_extra_word_is_far_below_the_threshold():
    assert similarity("maju jaya", "maju jaya sentosa") < 75


@pytest.fixture
async def register(session):
    await import_register(session, text=register_csv(), now=NOW)
    await session.commit()
    return session


@pytest.mark.parametrize("typed,nama", [
    ("PT Maju Jaya Sentosa", "PT Maju Jaya Sentosa"),
    ("p.t. maju-jaya sentosa", "PT Maju Jaya Sentosa"),
    ("MJS", "PT Maju Jaya Sentosa"),                       # alias
    ("Karya Bakti Mandiri", "PT. Karya Bakti Mandiri, Tbk"),
    ("8120002220002", "PT Sinar Harapan Bangsa"),           # NIB
    ("SIP3MI-0303/2021", "PT. Karya Bakti Mandiri, Tbk"),   # SIP3MI number
])
async def test_matches_that_must_be_made(register, typed, nama):
    lookup = await find_agency(register, typed)
    assert lookup.offices and {a.nama for a in lookup.offices} == {nama}


@pytest.mark.parametrize("typed", [
    "PT Maju Jaya",             # not "PT Maju Jaya Sentosa"
    "Maju Jaya Sentosa Abadi",  # nor the other way round
    "PT Sinar Harapan",
    "PT Karya Bakti",
    "Mandiri",
    "8120009999999",
])
async def test_matches_that_must_not_be_made(register, typed):
    lookup = await find_agency(register, typed)
    assert not lookup.found and lookup.suggestions == []


async def test_a_near_name_is_a_question_not_an_answer(register):
    one = await find_agency(register, "PT Maju Jaya Sentos")
    assert not one.found and [a.nama for a in one.suggestions] == ["PT Maju Jaya Sentosa"]
    two = await find_agency(register, "Cahaya Timur Abadi Jaya")
    assert not two.found
    several = await find_agency(register, "PT Cahaya Timar Abadi")
    assert sorted(a.nama for a in several.suggestions) == ["PT Cahaya Timor Abadi",
                                                           "PT Cahaya Timur Abadi"]


async def test_the_head_office_and_its_branch_are_both_answered(register):
    lookup = await find_agency(register, "PT Maju Jaya Sentosa")
    assert sorted(a.jenis_kantor for a in lookup.offices) == ["cabang", "pusat"]
