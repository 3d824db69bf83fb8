"""The register's import: good rows, bad rows with their line numbers, status history."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlmodel import select

from bot.prevention.register import (
    RegisterFileError, find_agency, import_register, register_date, status_history,
)
from models import Agency, AgencyStatus
from tests.helpers.register import HEADER, ROWS, register_csv

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)


async def test_good_rows_are_added_with_aliases_keys_and_a_first_history_line(session):
    result = await import_register(session, text=register_csv(), now=NOW)
    await session.commit()
    assert [line for line, _ in result.added] == [2, 3, 4, 5, 6, 7]
    assert result.changed == [] and result.refused == []
    agencies = (await session.exec(select(Agency))).all()
    assert len(agencies) == 6
    head = next(a for a in agencies if a.nama == "PT Maju Jaya Sentosa" and a.jenis_kantor == "pusat")
    assert head.alias == ["Maju Jaya Sentosa Group", "MJS"]
    assert head.match_keys == ["maju jaya sentosa", "maju jaya sentosa group", "mjs"]
    assert head.tgl_verifikasi == date(2026, 11, 1)
    revoked = next(a for a in agencies if a.status == "dicabut")
    assert revoked.nama == "PT. Karya Bakti Mandiri, Tbk" and revoked.no_sk == "KEP.99/2025"
    assert len((await session.exec(select(AgencyStatus))).all()) == 6
    assert await register_date(session) == date(2026, 11, 1)


async def test_bad_rows_are_refused_with_their_line_numbers_and_good_ones_kept(session):
    text = register_csv(
        ROWS[0],
        ",,PT Tanpa Nomor,,pusat,,,Metro,Lampung,aktif,,,,,2026-11-01",            # line 3
        "8120009990009,,PT Salah Jenis,,kantor,,,Metro,Lampung,aktif,,,,,2026-11-01",  # 4
        "8120009990010,,PT Salah Status,,pusat,,,Metro,Lampung,ilegal,,,,,2026-11-01",  # 5
        "8120009990011,,PT Salah Tanggal,,pusat,,,Metro,Lampung,aktif,01-02-2026,,,,",  # 6
        "81200ABC,,PT Salah NIB,,pusat,,,Metro,Lampung,aktif,,,,,",                    # 7
        "8120009990012,,,,pusat,,,Metro,Lampung,aktif,,,,,",                           # 8
        ",SIP3MI-0999/2024,PT Hanya SIP3MI,,pusat,,,Metro,Lampung,aktif,,,,,2026-11-01",  # 9
    )
    result = await import_register(session, text=text, now=NOW)
    await session.commit()
    assert [line for line, _ in result.added] == [2, 9]
    refused = dict(result.refused)
    assert sorted(refused) == [3, 4, 5, 6, 7, 8]
    assert "neither nib nor sip3mi_no" in refused[3]
    assert "jenis_kantor" in refused[4] and "status" in refused[5]
    assert "status_mulai" in refused[6] and "nib" in refused[7] and "nama" in refused[8]
    assert len((await session.exec(select(Agency))).all()) == 2


async def test_a_file_missing_a_column_is_refused_whole(session):
    with pytest.raises(RegisterFileError, match="tgl_verifikasi"):
        await import_register(session, text=HEADER.rsplit(",", 1)[0] + "\n", now=NOW)


async def test_reimport_upserts_and_keeps_the_status_history(session):
    await import_register(session, text=register_csv(), now=NOW)
    await session.commit()
    later = datetime(2026, 12, 5, 2, 0, tzinfo=timezone.utc)
    suspended = ROWS[0].replace(",aktif,2023-02-01,,,SISKOP2MI,2026-11-01",
                                ",dihentikan_sementara,2026-12-01,2027-06-01,KEP.5/2026,"
                                "SISKOP2MI,2026-12-04")
    assert suspended != ROWS[0]
    moved = ROWS[1].replace("Jl. Teuku Umar 10", "Jl. Kartini 5")
    result = await import_register(session, text=register_csv(suspended, moved, *ROWS[2:]),
                                   now=later)
    await session.commit()
    assert [line for line, _ in result.changed] == [2, 3]
    assert result.added == [] and result.unchanged == 4
    assert len((await session.exec(select(Agency))).all()) == 6
    head = (await find_agency(session, "8120001110001")).offices
    pusat = next(a for a in head if a.jenis_kantor == "pusat")
    assert pusat.status == "dihentikan_sementara" and pusat.status_sampai == date(2027, 6, 1)
    history = await status_history(session, pusat.id)
    assert [(h.status, h.no_sk) for h in history] == [("aktif", None),
                                                       ("dihentikan_sementara", "KEP.5/2026")]
    branch = next(a for a in head if a.jenis_kantor == "cabang")
    assert branch.alamat == "Jl. Kartini 5"
    assert len(await status_history(session, branch.id)) == 1     # address only: no new status


async def test_an_excel_file_with_semicolons_bom_and_crlf_is_read(session):
    header = HEADER.replace(",", ";")
    row = ('8120001110001;SIP3MI-0101/2023;PT Maju Jaya Sentosa;"MJS;Maju Group";pusat;;'
           'Jl. Contoh No. 1;Jakarta Timur;DKI Jakarta;aktif;2023-02-01;;;SISKOP2MI;2026-11-01')
    text = "\ufeff" + header + "\r\n" + row + "\r\n"
    result = await import_register(session, text=text, now=NOW)
    assert [line for line, _ in result.added] == [2] and result.refused == []
    agency = (await session.exec(select(Agency))).one()
    assert agency.alias == ["MJS", "Maju Group"] and agency.tgl_verifikasi == date(2026, 11, 1)
