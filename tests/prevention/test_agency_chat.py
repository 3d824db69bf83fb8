"""/cekagensi end to end: every kind of answer, the counts, and a report started from a
company that is not on the list."""
from __future__ import annotations

from sqlmodel import select

from bot.analytics.period import DateRange
from bot.engine.form_types import Step
from bot.prevention.counts import prevention_figures
from models import Draft, PreventionCount, Report
from tests.helpers.form import STORY, walk_form
from tests.helpers.harness import Person, start_bot, stop_bot

CHECK = "Cek perusahaan/agen"
REPORT = "📝 Laporkan perusahaan ini"


def _never_illegal(*texts: str) -> None:
    for text in texts:
        assert "ilegal" not in text.lower() and "illegal" not in text.lower()


async def _figures(tipbot):
    async with tipbot.session() as session:
        day = tipbot.clock().date()
        return await prevention_figures(session, date_range=DateRange(day, day))


async def test_a_licensed_head_office_and_branch_are_shown_with_data_date(tipbot, resident):
    start = await resident.say("/start")
    assert any(text == CHECK for text, _ in start.buttons)
    asked = await resident.press(CHECK)
    assert "Ketik nama perusahaan" in asked.text
    answer = await resident.say("p.t. maju-jaya sentosa")
    assert "PT Maju Jaya Sentosa" in answer.text
    assert "Terdaftar: izin SIP3MI-nya aktif." in answer.text
    assert "Kantor pusat: Jl. Contoh No. 1, Jakarta Timur" in answer.text
    assert "Kantor cabang: Jl. Teuku Umar 10, Bandar Lampung" in answer.text
    assert "Data per 1 Nov 2026 (sumber: SISKOP2MI)" in answer.text
    assert any(text == REPORT for text, _ in answer.buttons)
    _never_illegal(answer.text)
    # The next message is not taken as a company name any more.
    hint = await resident.say("terima kasih")
    assert "PT Maju Jaya" not in hint.text
    assert (await _figures(tipbot)).agency_checks == 1


async def test_suspended_and_revoked_say_until_and_since_with_the_decree(tipbot, resident):
    suspended = await resident.say("/cekagensi Sinar Harapan Bangsa")
    assert "Izin dihentikan sementara sampai 1 Mar 2027. Nomor SK: KEP.12/2026." in suspended.text
    assert "tanyakan ke BP3MI Lampung" in suspended.text and "0721-000000" in suspended.text
    revoked = await resident.say("/checkagency 8120003330003")
    assert "Izin dicabut sejak 15 Jun 2025. Nomor SK: KEP.99/2025." in revoked.text
    _never_illegal(suspended.text, revoked.text)
    figures = await _figures(tipbot)
    assert figures.agency_outcomes == {"dicabut": 1, "dihentikan_sementara": 1}


async def test_near_names_ask_did_you_mean_and_a_pick_answers(tipbot, resident):
    question = await resident.say("/cekagensi PT Cahaya Timar Abadi")
    assert "Maksud Anda…?" in question.text
    labels = [text for text, _ in question.buttons]
    assert labels == ["PT Cahaya Timur Abadi", "PT Cahaya Timor Abadi", "Bukan salah satu di atas"]
    assert (await _figures(tipbot)).agency_checks == 0      # counted at the verdict
    answer = await resident.press("PT Cahaya Timor Abadi")
    assert "PT Cahaya Timor Abadi" in answer.text and "Tanggamus" in answer.text
    assert (await _figures(tipbot)).agency_checks == 1


async def test_none_of_the_near_names_is_not_on_the_list(tipbot, resident):
    await resident.say("/cekagensi Cahaya Timur Abadii")
    answer = await resident.press("Bukan salah satu di atas")
    assert "Cahaya Timur Abadii tidak ada dalam daftar Satgas per 1 Nov 2026." in answer.text
    assert (await _figures(tipbot)).agency_not_listed == 1


async def test_a_missing_cv_gets_the_pt_note_and_a_report_with_the_company_filled_in(
        tipbot, resident):
    answer = await resident.say("/cekagensi CV Maju Jaya")        # not PT Maju Jaya Sentosa
    assert "CV Maju Jaya tidak ada dalam daftar Satgas per 1 Nov 2026." in answer.text
    assert "belum lengkap atau belum diperbarui" in answer.text
    assert "SISKOP2MI" in answer.text and "BP3MI Lampung" in answer.text
    assert "0800-1000" in answer.text
    assert "harus berbentuk PT" in answer.text
    _never_illegal(answer.text)
    assert (await _figures(tipbot)).agency_not_listed == 1

    first = await resident.press(REPORT)
    assert "Apa yang ingin Anda laporkan?" in first.text or first.buttons
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
        assert draft.answers == {"suspect_company": "CV Maju Jaya"}
    await walk_form(resident, start=Step.CATEGORY, to=Step.SUSPECT_NAME)
    await resident.press("Lewati")                       # name
    company = await resident.press("Lewati")             # phone
    assert "Sudah terisi: CV Maju Jaya" in company.text
    await resident.press("✔️ Gunakan jawaban ini")
    summary = await walk_form(resident, start=Step.SUSPECT_SOCIAL)
    assert "CV Maju Jaya" in summary.text
    await resident.press("📨 Kirim laporan")
    async with tipbot.session() as session:
        report = (await session.exec(select(Report))).one()
        assert report.suspect_company == "CV Maju Jaya"
        # Only counts are kept of the check: no row names the company.
        rows = (await session.exec(select(PreventionCount))).all()
        assert {(r.kind, r.outcome, r.count) for r in rows} == {("agency_check", "not_listed", 1)}


async def test_report_button_keeps_an_unfinished_report_and_gives_it_the_company(
        tipbot, resident):
    await resident.say("/lapor")
    await resident.press("Perekrut tanpa izin (calo)")
    await resident.say("/cekagensi PT Baru Sekali")
    offer = await resident.press(REPORT)
    assert "laporan yang belum selesai" in offer.text
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
        assert draft.answers["category"] == "calo"
        assert draft.answers["suspect_company"] == "PT Baru Sekali"


async def test_pressing_the_form_after_asking_for_a_name_makes_typing_an_answer_again(
        tipbot, resident):
    await resident.say("/lapor")
    await resident.say("/cekagensi")                     # asks for a name
    await resident.press("Perekrut tanpa izin (calo)")  # but the person goes on with the form
    await resident.press("Tidak")
    await resident.press("Bandar Lampung")
    await resident.press("Lewati")
    await resident.say(STORY)
    async with tipbot.session() as session:
        draft = (await session.exec(select(Draft))).one()
        assert draft.answers["description"] == STORY
        assert (await session.exec(select(PreventionCount))).all() == []


async def test_english_answers_come_from_the_english_catalog(tipbot, emu):
    from tests.helpers.harness import Person
    person = Person(emu, first_name="Ann", language_code="en")
    await person.say("/bahasa")
    await person.press("English")
    found = await person.say("/checkagency Sinar Harapan Bangsa")
    assert "Licence suspended until 1 Mar 2027. Decree no. KEP.12/2026." in found.text
    assert "Data as of 1 Nov 2026 (source: Disnaker Lampung)" in found.text
    missing = await person.say("/checkagency PT Nowhere Jaya")
    assert "PT Nowhere Jaya is not on the task force's list as of 1 Nov 2026." in missing.text
    assert any(text == "📝 Report this company" for text, _ in missing.buttons)
    _never_illegal(found.text, missing.text)


async def test_a_firm_with_many_offices_shows_every_office(tipbot, resident):
    """Forty branches do not fit one message: every office is shown, over several."""
    from bot.prevention.register import import_register
    from tests.helpers.register import ROWS, register_csv

    # One branch per town (the register keeps one office of a firm per kind and town).
    towns = [f"Jl. Cabang Nomor {n} & Gang <{n}>, Desa Sukamaju" for n in range(1, 41)]
    branches = [f'8120009990009,SIP3MI-0909/2024,PT Luas Sekali Nusantara,,cabang,8120009990009,'
                f'"{town}",Kota Contoh {n},Lampung,aktif,2024-01-01,,,SISKOP2MI,2026-11-01'
                for n, town in enumerate(towns, 1)]
    async with tipbot.session() as session:
        await import_register(session, text=register_csv(*ROWS, *branches), now=tipbot.clock())
        await session.commit()
    before = len(resident.messages)
    await resident.say("/cekagensi PT Luas Sekali Nusantara")
    answers = [m.text for m in resident.messages[before:]]
    assert len(answers) >= 2
    shown = "\n".join(answers)
    for town in towns:
        assert town in shown, town
    assert any(text == REPORT for text, _ in resident.last.buttons)
    assert tipbot.emu.violations == []



async def test_with_no_register_loaded_the_list_is_not_available_and_the_advice_is_given(
        emu, engine, data_dir):
    """Before any register is imported, "not on the list as of today" would be a verdict
    from an empty list."""
    running = await start_bot(emu, engine, data_dir,
                              agency_advice_contacts="KP2MI=0800-1000;BP3MI Lampung=0721-000000")
    emu.attach(running.app)
    try:
        resident = Person(emu, first_name="Siti", language_code="id")
        answer = await resident.say("/cekagensi PT Maju Jaya Sentosa")
        assert "Daftar perusahaan berizin milik Satgas belum tersedia" in answer.text
        assert "PT Maju Jaya Sentosa belum dapat diperiksa di sini" in answer.text
        assert "tidak ada dalam daftar" not in answer.text
        assert "SISKOP2MI" in answer.text and "0800-1000" in answer.text
        assert "0721-000000" in answer.text
        assert any(text == REPORT for text, _ in answer.buttons)
        figures = await _figures(running)
        assert figures.agency_outcomes == {"no_register": 1} and figures.agency_not_listed == 0
    finally:
        await stop_bot(running)
    assert emu.violations == []
