"""Names a person reads for stored codes: categories, statuses, regions, countries."""
from __future__ import annotations

from bot.domain import OUTSIDE_REGION, Category, ReferralTarget, Status
from bot.i18n import N_, Translator
from bot.regions import RegionList

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


def region_label(t: Translator, code: str, regions: RegionList | None = None) -> str:
    if code == OUTSIDE_REGION:
        return t("Outside Lampung")
    region = (regions or _default_regions()).get(code)
    if region is None:
        return code
    return t(REGION_KIND_LABELS.get(region.kind, "{name}")).format(name=region.name)


def short_region_label(code: str, regions: RegionList | None = None) -> str | None:
    """The bare name ("Metro") for buttons and tables, or None for outside."""
    region = (regions or _default_regions()).get(code)
    return region.name if region else None


def country_label(t: Translator, code: str | None, other: str | None = None) -> str:
    if not code:
        return ""
    if code == "OTHER":
        return other or t("Another country")
    return t.country(code)


_REGIONS: RegionList | None = None


def _default_regions() -> RegionList:
    global _REGIONS
    if _REGIONS is None:
        from bot.regions import load_regions
        _REGIONS = load_regions()
    return _REGIONS
