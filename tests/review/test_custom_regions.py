"""With a REGIONS_FILE of another place, every figure names its regions from that file:
/statistik, its charts, /ekspor (CSV and XLSX), ``tipbot stats`` and ``tipbot export``."""
from __future__ import annotations

import asyncio
import csv
import io

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.analytics.export import columns
from bot.cli.main import main
from tests.helpers.harness import Person, start_bot, stop_bot
from tests.helpers.officers import FAST, file_report, make_officer

MADE_UP = "Tanjung Rekaan"
LABEL = f"Kabupaten {MADE_UP}"
REGION = [key for key, _ in columns(False)].index("region")


@pytest.fixture
def regions_file(tmp_path):
    path = tmp_path / "wilayah.csv"
    path.write_text(f"code,kind,name\n9901,kabupaten,{MADE_UP}\n9902,kota,Kota Contoh\n",
                    encoding="utf-8")
    return path


@pytest.fixture
async def tipbot(emu, engine, data_dir, key, regions_file):
    running = await start_bot(emu, engine, data_dir, encryption_key=key,
                              regions_file=regions_file, **FAST)
    emu.attach(running.app)
    await emu.settle()
    yield running
    await stop_bot(running)
    assert emu.violations == []


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _region_cells(table: list[list[str]]) -> list[str]:
    return [row[REGION] for row in table[1:]]


async def test_statistik_charts_and_exports_name_the_configured_regions(tipbot, emu):
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    await file_report(tipbot, Person(emu, first_name="Siti", started=True), region="9901")

    before = len(admin.messages)
    await admin.say("/statistik")
    figures = "\n".join(m.text for m in admin.messages[before:])
    assert f"{LABEL}: 1" in figures and "9901" not in figures

    before = len(admin.messages)
    await admin.press("📊 Grafik")
    photos = [m for m in admin.messages[before:] if m.kind == "photo"]
    described = [Image.open(io.BytesIO(p.file)).text.get("Description", "") for p in photos]
    assert any(f"\n{MADE_UP}: 1" in text for text in described), described

    offer = await admin.say("/ekspor")
    document = await admin.press("CSV", message=offer)
    assert _region_cells(_csv(document.file)) \
        == [LABEL]
    workbook = await admin.press("XLSX", message=offer)
    rows = list(load_workbook(io.BytesIO(workbook.file), read_only=True).active
                .iter_rows(values_only=True))
    assert [row[REGION] for row in rows[1:]] == [LABEL]
    assert emu.violations == [] and emu.errors == []


async def test_tipbot_stats_and_export_name_the_configured_regions(
        tipbot, emu, database_url, key, regions_file, tmp_path, monkeypatch, capsys):
    await file_report(tipbot, Person(emu, first_name="Siti", started=True), region="9901")
    monkeypatch.chdir(tmp_path)
    for name, value in (("DATABASE_URL", database_url), ("ENCRYPTION_KEY", key),
                        ("REGIONS_FILE", str(regions_file)), ("DATA_DIR", str(tmp_path))):
        monkeypatch.setenv(name, value)
    day = ["--from", "2026-11-28", "--to", "2026-11-28"]
    # The command line runs its own event loop: off this test's loop, as from a shell.
    assert await asyncio.to_thread(main, ["stats", *day]) == 0
    assert f"{LABEL}: 1" in capsys.readouterr().out
    out = tmp_path / "kasus.csv"
    assert await asyncio.to_thread(main, ["export", *day, "--out", str(out)]) == 0
    assert _region_cells(_csv(out.read_bytes())) == [LABEL]


PROVINCE = "Rekaan Raya"


@pytest.fixture
def province_file(tmp_path):
    path = tmp_path / "wilayah-provinsi.csv"
    path.write_text(f"code,kind,name\n99,provinsi,{PROVINCE}\n9901,kabupaten,{MADE_UP}\n"
                    "9902,kota,Kota Contoh\n", encoding="utf-8")
    return path


async def _outside_everywhere(tipbot, emu, outside: str) -> None:
    """The form's button, the officer's card, /statistik and the CSV export all say
    ``outside`` for a place outside the listed regions, and none says Lampung."""
    from models import Draft
    from tests.helpers.officers import all_rows
    officer = await make_officer(tipbot, "Budi")
    resident = Person(emu, first_name="Wulan")
    await resident.say("/lapor")
    await resident.press("Perekrut tanpa izin (calo)")
    question = await resident.press("Tidak")
    buttons = [label for label, _ in question.buttons]
    assert outside in buttons and MADE_UP in buttons
    assert not any("Lampung" in label for label in buttons)
    await resident.press(outside)
    assert [d.answers.get("region") for d in await all_rows(tipbot, Draft)] == ["OUT"]

    await file_report(tipbot, Person(emu, first_name="Siti", started=True), region="OUT")
    card = officer.message_with_button("🙋 Ambil kasus")
    assert f"Wilayah: {outside}" in card.text and "Lampung" not in card.text
    admin = await make_officer(tipbot, "Ani", role="admin", shift=False)
    before = len(admin.messages)
    await admin.say("/statistik")
    figures = "\n".join(m.text for m in admin.messages[before:])
    assert f"{outside}: 1" in figures and "Lampung" not in figures
    offer = await admin.say("/ekspor")
    document = await admin.press("CSV", message=offer)
    assert _region_cells(_csv(document.file)) \
        == [outside]
    assert emu.violations == [] and emu.errors == []


async def test_a_place_outside_the_regions_is_named_after_the_province_in_the_file(
        emu, engine, data_dir, key, province_file):
    running = await start_bot(emu, engine, data_dir, encryption_key=key,
                              regions_file=province_file, **FAST)
    emu.attach(running.app)
    await emu.settle()
    try:
        await _outside_everywhere(running, emu, f"Di luar {PROVINCE}")
    finally:
        await stop_bot(running)


async def test_a_file_without_a_province_says_outside_the_area(tipbot, emu):
    await _outside_everywhere(tipbot, emu, "Luar daerah")
