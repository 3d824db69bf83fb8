"""``tipbot agencies import|list|show`` on the configured database."""
from __future__ import annotations

import os

import pytest

from bot.cli.main import main
from tests.helpers.register import ROWS, register_csv


@pytest.fixture
def cli_env(monkeypatch, tmp_path, database_url):
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "DATABASE_URL", "DATA_DIR", "ENCRYPTION_KEY")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_import_prints_added_changed_refused_and_show_prints_the_history(
        cli_env, engine, capsys):
    first = cli_env / "register.csv"
    first.write_text(register_csv(*ROWS[:2], ",,PT Tanpa Nomor,,pusat,,,Metro,Lampung,aktif,,,,,"),
                     encoding="utf-8")
    assert main(["agencies", "import", str(first)]) == 3
    out = capsys.readouterr().out
    assert "added    line 2: PT Maju Jaya Sentosa (pusat, Jakarta Timur)" in out
    assert "added    line 3: PT Maju Jaya Sentosa (cabang, Bandar Lampung)" in out
    assert "refused  line 4: neither nib nor sip3mi_no is given" in out
    assert "2 added, 0 changed, 0 unchanged, 1 refused" in out

    revoked = ROWS[0].replace(",aktif,2023-02-01,,,", ",dicabut,2026-12-01,,KEP.7/2026,")
    second = cli_env / "register2.csv"
    second.write_text(register_csv(revoked, ROWS[1]), encoding="utf-8")
    assert main(["agencies", "import", str(second)]) == 0
    out = capsys.readouterr().out
    assert "changed  line 2: PT Maju Jaya Sentosa (pusat, Jakarta Timur)" in out
    assert "0 added, 1 changed, 1 unchanged, 0 refused" in out

    assert main(["agencies", "list"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert listed[0].split("\t") == ["nib", "sip3mi_no", "jenis_kantor", "kab_kota", "status",
                                      "tgl_verifikasi", "nama"]
    assert len(listed) == 3 and "dicabut" in listed[1] + listed[2]

    assert main(["agencies", "show", "8120001110001"]) == 0
    shown = capsys.readouterr().out
    assert "aktif  from 2023-02-01" in shown and "dicabut  from 2026-12-01" in shown
    assert "SK KEP.7/2026" in shown
    assert main(["agencies", "show", "PT", "Maju", "Jaya"]) == 1
    assert "not in the register" in capsys.readouterr().out


def test_a_file_without_the_columns_is_refused(cli_env, engine, capsys):
    bad = cli_env / "bad.csv"
    bad.write_text("nama,status\nPT A,aktif\n", encoding="utf-8")
    assert main(["agencies", "import", str(bad)]) == 1
    assert "missing column(s): nib, sip3mi_no" in capsys.readouterr().err


def test_an_unclosed_quote_names_the_lines_it_swallowed_and_names_lose_invisible_characters(
        cli_env, engine, capsys):
    from tests.helpers.register import ROWS

    rows = [ROWS[0].replace("PT Maju Jaya Sentosa", '"PT Maju Jaya Sentosa', 1), ROWS[1],
            "8120009990001,,PT \u202eAYAJ\u202c Ba\u200bru\u2066,Baru\u200d;B\u200fr,pusat,,,"
            "Metro,Lampung,aktif,,,,,"]
    broken = cli_env / "broken.csv"
    broken.write_text(register_csv(*rows), encoding="utf-8")
    assert main(["agencies", "import", str(broken)]) == 3
    out = capsys.readouterr().out
    # The quote opened on line 2 took lines 3 and 4 with it: said, not silently lost.
    assert "lines 2-4 were read as one record" in out and "not closed" in out
    assert "0 added, 0 changed, 0 unchanged, 1 refused" in out

    rows[0] = ROWS[0]
    fixed = cli_env / "fixed.csv"
    fixed.write_text(register_csv(*rows), encoding="utf-8")
    assert main(["agencies", "import", str(fixed)]) == 0
    out = capsys.readouterr().out
    assert "3 added" in out
    assert main(["agencies", "show", "8120009990001"]) == 0
    shown = capsys.readouterr().out
    assert "PT AYAJ Baru [pusat]" in shown and "alias: Baru; Br" in shown
    assert not any(ch in shown for ch in "\u202e\u202c\u200b\u2066\u200d\u200f")
