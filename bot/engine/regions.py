"""Regions offered in the form (a data file, so another province can swap it) and
the common destination countries (ISO 3166 codes, named by Babel)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bot.engine.domain import OUTSIDE_REGION

DEFAULT_REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.csv"
# Kamboja, Myanmar, Thailand, Laos and Vietnam: the online-scam trafficking routes.
COMMON_DESTINATIONS = ("MY", "TW", "HK", "SA", "SG", "KR", "JP", "BN", "AE", "QA",
                       "KH", "MM", "TH", "LA", "VN")


@dataclass(frozen=True)
class Region:
    code: str
    kind: str   # kabupaten or kota
    name: str


# A row of one of these kinds names the whole area the regions make up (the province), for
# "Outside Lampung"; it is not a region of its own.
AREA_KINDS = ("provinsi", "province")


@dataclass(frozen=True)
class RegionList:
    regions: tuple[Region, ...]
    area: str | None = None      # the province, from the file's "provinsi" row, if it has one

    def get(self, code: str) -> Region | None:
        return next((region for region in self.regions if region.code == code), None)

    def is_valid(self, code: str) -> bool:
        return code == OUTSIDE_REGION or self.get(code) is not None


def load_regions(path: Path | None = None) -> RegionList:
    with open(path or DEFAULT_REGIONS_FILE, newline="", encoding="utf-8") as handle:
        rows = [Region(row["code"].strip(), row["kind"].strip(), row["name"].strip())
                for row in csv.DictReader(handle)]
    area = next((row.name for row in rows if row.kind.lower() in AREA_KINDS), None)
    regions = tuple(row for row in rows if row.kind.lower() not in AREA_KINDS)
    if not regions:
        raise ValueError(f"no regions in {path}")
    return RegionList(regions, area)
