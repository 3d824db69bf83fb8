"""Names a person reads for stored codes: categories, statuses, regions, countries.

Regions come from the configured file (``REGIONS_FILE``), so whatever names a region is
handed that list (``Services.regions``, or ``Labels`` built on it); nothing here loads a
file of its own."""
from __future__ import annotations

from dataclasses import dataclass

from bot.engine.domain import OUTSIDE_REGION, Category, ReferralTarget, Status
from bot.engine.i18n import N_, Translator
from bot.engine.regions import RegionList

CATEGORY_LABELS = {
    Category.CALO: N_("Unlicensed recruiter (calo)"),
    Category.FAKE_JOB: N_("Fake overseas job offer"),
    Category.FORGED_DOCS: N_("Forged documents or data (age, passport)"),
    Category.CONFINEMENT: N_("Workers held or confined before departure"),
    Category.TPPO: N_("Suspected human trafficking (TPPO)"),
    Category.ABROAD: N_("Migrant worker in trouble abroad"),
    Category.OTHER: N_("Something else"),
}

STATUS_LABELS = {
    Status.NEW: N_("Received, waiting for an officer"),
    Status.CLAIMED: N_("Being handled by an officer"),
    Status.VERIFIED: N_("Verified"),
    Status.IN_PROGRESS: N_("Under investigation"),
    Status.REFERRED: N_("Referred to the authorities"),
    Status.RESOLVED: N_("Resolved"),
    Status.INVALID: N_("Closed: could not be followed up"),
    Status.DUPLICATE: N_("Closed: duplicate of another report"),
}

REFERRAL_LABELS = {
    ReferralTarget.POLICE: N_("Police"),
    ReferralTarget.KP2MI: N_("KP2MI / BP3MI"),
    ReferralTarget.DISNAKER: N_("Disnaker"),
}

REGION_KIND_LABELS = {"kabupaten": N_("Regency of {name}"), "kota": N_("City of {name}")}


def category_label(t: Translator, code: str) -> str:
    label = CATEGORY_LABELS.get(code)  # type: ignore[call-overload]
    return t(label) if label else code


def status_label(t: Translator, code: str) -> str:
    label = STATUS_LABELS.get(code)  # type: ignore[call-overload]
    return t(label) if label else code


def referral_label(t: Translator, code: str | None) -> str:
    label = REFERRAL_LABELS.get(code)  # type: ignore[call-overload]
    return t(label) if label else (code or "")


def outside_label(t: Translator, regions: RegionList) -> str:
    """The answer for a place outside every listed region, named after the province when
    the regions file names it (REGIONS_FILE may describe another one)."""
    if regions.area:
        return t("Outside {area}").format(area=regions.area)
    return t("Outside the area")


def region_label(t: Translator, code: str, regions: RegionList) -> str:
    if code == OUTSIDE_REGION:
        return outside_label(t, regions)
    region = regions.get(code)
    if region is None:
        return code
    return t(REGION_KIND_LABELS.get(region.kind, "{name}")).format(name=region.name)


def short_region_label(t: Translator, code: str, regions: RegionList) -> str:
    """The bare name ("Metro") where space is short (buttons, charts)."""
    region = regions.get(code) if code != OUTSIDE_REGION else None
    return region.name if region else region_label(t, code, regions)


def country_label(t: Translator, code: str | None, other: str | None = None) -> str:
    if not code:
        return ""
    if code == "OTHER":
        return other or t("Another country")
    return t.country(code)


@dataclass(frozen=True)
class Labels:
    """Every label of one installation, its configured regions included: what the
    statistics, exports and charts are handed (``Services.labels``)."""

    regions: RegionList

    def category_label(self, t: Translator, code: str) -> str:
        return category_label(t, code)

    def status_label(self, t: Translator, code: str) -> str:
        return status_label(t, code)

    def referral_label(self, t: Translator, code: str | None) -> str:
        return referral_label(t, code)

    def region_label(self, t: Translator, code: str) -> str:
        return region_label(t, code, self.regions)

    def short_region_label(self, t: Translator, code: str) -> str:
        return short_region_label(t, code, self.regions)
