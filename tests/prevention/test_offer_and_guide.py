"""/cektawaran and /info end to end: the verdicts, the guide's pages, a replacement guide
file, and the counts in /statistik and ``tipbot stats --json``."""
from __future__ import annotations

import asyncio
import json
import os

import pytest
from sqlmodel import select

from bot.cli.main import main
from bot.prevention.guide import GuideError, load_guide
from bot.prevention.offer import FLAGS, Risk, valid_answers, verdict
from models import PreventionCount
from tests.helpers.harness import start_bot, stop_bot
from tests.helpers.officers import make_officer

YES, NO = "Ya", "Tidak"


@pytest.mark.parametrize("answers,risk", [
    ("nnnnnnnn", Risk.LOW),
    ("ynnnnnnn", Risk.MEDIUM),
    ("yynnnnnn", Risk.MEDIUM),
    ("yyynnnnn", Risk.HIGH),            # three flags
    ("nnnnynnn", Risk.HIGH),            # tourist/umrah visa alone
    ("nnnnnynn", Risk.HIGH),            # passport held
    ("nnnnnnyn", Risk.HIGH),            # domestic work in the Middle East
    ("nnnnnnny", Risk.HIGH),            # high pay / online work in Cambodia...
])
def test_offer_verdicts(answers, risk):
    assert len(FLAGS) == 8 and verdict(answers) is risk


async def _answer_offer(person, answers: str):
    for answer in answers:
        last = await person.press(YES if answer == "y" else NO)
    return last


async def test_offer_check_from_the_menu_ends_in_a_verdict_and_only_a_count(tipbot, resident):
    start = await resident.say("/start")
    assert any(text == "Cek tawaran kerja" for text, _ in start.buttons)
    first = await resident.press("Cek tawaran kerja")
    assert "Jawaban Anda tidak disimpan" in first.text and "Pertanyaan 1 dari 8" in first.text
    assert "SIP3MI" in first.text
    low = await _answer_offer(resident, "nnnnnnnn")
    assert "🟢 Risiko rendah" in low.text and "/cekagensi" in low.text
    assert any(text == "📝 Buat laporan" for text, _ in low.buttons)

    await resident.say("/cektawaran")
    medium = await _answer_offer(resident, "nnynnnnn")
    assert "🟡 Risiko sedang" in medium.text
    assert "sepuluh jabatan informal" in medium.text

    await resident.say("/checkoffer")
    high = await _answer_offer(resident, "nnnnnnyn")
    assert "🔴 Risiko tinggi" in high.text and "Kepmenaker 260/2015" in high.text
    assert "/darurat" in high.text
    report = await resident.press("📝 Buat laporan")
    assert "Apa yang ingin Anda laporkan?" in report.text

    async with tipbot.session() as session:
        rows = (await session.exec(select(PreventionCount))).all()
    assert sorted((r.kind, r.outcome, r.count) for r in rows) == [
        ("offer_check", "high", 1), ("offer_check", "low", 1), ("offer_check", "medium", 1)]


def test_only_well_formed_answers_are_taken_from_a_button():
    assert valid_answers("") and valid_answers("yn") and valid_answers("y" * 8)
    assert not valid_answers("y" * 9) and not valid_answers("yx") and not valid_answers("1")


async def test_guide_pages_with_sources_dates_and_next_buttons(tipbot, resident):
    index = await resident.say("/info")
    labels = [text for text, _ in index.buttons]
    assert labels[:5] == ["Jalur resmi bekerja ke luar negeri", "Dokumen yang wajib dimiliki",
                          "Usia minimal", "Biaya yang tidak boleh dibebankan", "Tempat bertanya"]
    route = await resident.press("Jalur resmi bekerja ke luar negeri")
    assert "LTSA" in route.text and "BPJS Ketenagakerjaan" in route.text
    assert "Sumber: UU 18/2017 Pasal 13, berlaku sejak 22 Nov 2017" in route.text
    documents = await resident.press("Berikutnya: Dokumen yang wajib dimiliki")
    assert "UU 18/2017 Pasal 13" in documents.text and "visa kerja" in documents.text
    age = await resident.press("Berikutnya: Usia minimal")
    assert "minimal 18 tahun" in age.text
    costs = await resident.press("Berikutnya: Biaya yang tidak boleh dibebankan")
    assert "Peraturan BP2MI 9/2020" in costs.text and "sedang ditinjau ulang" in costs.text
    assert "awak kapal perikanan migran" in costs.text
    contacts = await resident.press("Berikutnya: Tempat bertanya")
    assert "0800-1000" in contacts.text and "BP3MI Lampung" in contacts.text
    assert "LTSA Lampung" in contacts.text
    back = await resident.press("⬅️ Semua topik")
    assert "Pilih topik" in back.text
    await resident.say("/bahasa")
    await resident.press("English")
    english = await resident.say("/guide")
    assert "Minimum age" in [text for text, _ in english.buttons]
    page = await resident.press("Minimum age")
    assert "at least 18 years old" in page.text
    assert "Source: UU 18/2017 Pasal 5, in force since 22 Nov 2017" in page.text
    async with tipbot.session() as session:
        rows = (await session.exec(select(PreventionCount))).all()
    assert sum(r.count for r in rows if r.kind == "guide_view") == 9


REPLACEMENT = {"pages": [{
    "key": "lampung",
    "title": {"id": "Kantor layanan di Lampung", "en": "Service offices in Lampung"},
    "items": [{"text": {"id": "Datang ke LTSA Kabupaten Contoh.", "en": "Visit the LTSA."},
               "source": "Surat Edaran Satgas 1/2027", "effective": "2027-01-02"},
              # A note that is no rule in force has a source and no date.
              {"text": {"id": "Jam layanan sedang ditinjau.", "en": "Hours are being reviewed."},
               "source": "Satgas, 2027"}],
}]}


async def test_a_replacement_guide_file_is_used(emu, engine, data_dir, tmp_path):
    path = tmp_path / "guide.json"
    path.write_text(json.dumps(REPLACEMENT), encoding="utf-8")
    bot = await start_bot(emu, engine, data_dir, guide_file=path)
    try:
        from tests.helpers.harness import Person
        person = Person(emu, first_name="Siti", language_code="id")
        index = await person.say("/info")
        assert [text for text, _ in index.buttons][0] == "Kantor layanan di Lampung"
        page = await person.press("Kantor layanan di Lampung")
        assert "LTSA Kabupaten Contoh" in page.text
        assert "Sumber: Surat Edaran Satgas 1/2027, berlaku sejak 2 Jan 2027" in page.text
        assert page.text.rstrip().endswith("Jam layanan sedang ditinjau.\nSumber: Satgas, 2027")
    finally:
        await stop_bot(bot)
    assert emu.violations == []


def test_a_broken_guide_file_stops_the_start_with_one_line(tmp_path, monkeypatch, capsys):
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "DATABASE_URL", "DATA_DIR", "GUIDE_FILE")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    bad = dict(REPLACEMENT)
    bad["pages"] = [{**REPLACEMENT["pages"][0], "items": [{"text": {"id": "x", "en": "y"},
                                                          "source": "", "effective": "2027"}]}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(GuideError, match="source"):
        load_guide(path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:abcdefghijkl")
    monkeypatch.setenv("GUIDE_FILE", str(path))
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "GUIDE_FILE" in err[0] and "source" in err[0]


async def test_counts_in_statistik_and_stats_json(tipbot, resident, emu, monkeypatch, capsys,
                                                 database_url):
    await resident.say("/cekagensi PT Maju Jaya Sentosa")
    await resident.say("/cekagensi PT Tidak Terdaftar")
    await resident.say("/cekagensi CV Lain Lagi")
    await resident.say("/cektawaran")
    await _answer_offer(resident, "nnnnynnn")
    await resident.say("/info")
    await resident.press("Usia minimal")

    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    await admin.say("/statistik")
    text = "\n".join(m.text for m in admin.messages)
    assert "Pencegahan" in text
    assert "Cek perusahaan/agen: 3, tidak ada dalam daftar: 2" in text
    assert "Cek tawaran kerja: 1 (risiko rendah 0, risiko sedang 0, risiko tinggi 1)" in text
    assert "Halaman info kerja aman dibuka: 2" in text

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tipbot.settings.data_dir))
    day = tipbot.clock().date().isoformat()
    # The command runs its own event loop, as it does from a shell.
    assert await asyncio.to_thread(main, ["stats", "--from", day, "--to", day, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["prevention"] == {
        "agency_checks": 3, "agency_checks_not_listed": 2,
        "agency_checks_by_outcome": {"aktif": 1, "not_listed": 2},
        "offer_checks": 1, "offer_checks_by_verdict": {"low": 0, "medium": 0, "high": 1},
        "guide_views": 2,
    }
    assert await asyncio.to_thread(main, ["stats", "--from", day, "--to", day]) == 0
    plain = capsys.readouterr().out
    assert "Cek perusahaan/agen: 3, tidak ada dalam daftar: 2" in plain
    assert "Halaman info kerja aman dibuka: 2" in plain
