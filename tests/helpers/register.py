"""Register files and rows for the prevention tests. Every firm here is fictional."""
from __future__ import annotations

HEADER = ("nib,sip3mi_no,nama,alias,jenis_kantor,induk_nib,alamat,kab_kota,provinsi,status,"
          "status_mulai,status_sampai,no_sk,sumber,tgl_verifikasi")

ROWS = [
    # a licensed head office and its Lampung branch
    "8120001110001,SIP3MI-0101/2023,PT Maju Jaya Sentosa,Maju Jaya Sentosa Group;MJS,pusat,,"
    "Jl. Contoh No. 1,Jakarta Timur,DKI Jakarta,aktif,2023-02-01,,,SISKOP2MI,2026-11-01",
    "8120001110001,SIP3MI-0101/2023,PT Maju Jaya Sentosa,,cabang,8120001110001,"
    "Jl. Teuku Umar 10,Bandar Lampung,Lampung,aktif,2023-05-10,,,BP3MI Lampung,2026-11-01",
    # suspended until a date, with the decree
    "8120002220002,SIP3MI-0202/2022,PT Sinar Harapan Bangsa,,pusat,,Jl. Contoh 2,Metro,Lampung,"
    "dihentikan_sementara,2026-09-01,2027-03-01,KEP.12/2026,Disnaker Lampung,2026-11-01",
    # revoked
    "8120003330003,SIP3MI-0303/2021,\"PT. Karya Bakti Mandiri, Tbk\",,pusat,,Jl. Contoh 3,"
    "Lampung Selatan,Lampung,dicabut,2025-06-15,,KEP.99/2025,SISKOP2MI,2026-11-01",
    # near names, for "Maksud Anda…?"
    "8120004440004,,PT Cahaya Timur Abadi,,pusat,,Jl. Contoh 4,Pringsewu,Lampung,aktif,"
    "2022-01-01,,,SISKOP2MI,2026-10-15",
    "8120005550005,,PT Cahaya Timor Abadi,,pusat,,Jl. Contoh 5,Tanggamus,Lampung,aktif,"
    "2022-01-01,,,SISKOP2MI,2026-10-15",
]


def register_csv(*rows: str) -> str:
    return "\n".join([HEADER, *(rows or ROWS)]) + "\n"
