"""What a resident reads from /cekagensi, and the register line of an officer's card.
Pure: domain values in, Reply out. Never says "illegal": the list can be out of date."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.callbacks import MAX_CALLBACK_BYTES, Action, pack
from bot.engine.i18n import N_, Translator
from bot.prevention.agency_check import AgencyAnswer, RegisterVerdict, Verdict
from bot.render.text import Reply, bold, esc, pack_blocks, truncate
from models import Agency

STATUS_ICONS = {"aktif": "✅", "dihentikan_sementara": "⚠️", "dicabut": "⛔"}
CARD_VERDICTS = {
    "aktif": N_("licensed (active)"),
    "dihentikan_sementara": N_("licence suspended"),
    "dicabut": N_("licence revoked"),
    "not_listed": N_("not on the list"),
}
BUTTON_CHARS = 60


def name_callback(verb: str, name: str) -> str:
    """``pv:<verb>:<name>``, the name cut on a character boundary to fit 64 bytes: the
    name travels in the button so nothing about the check is stored."""
    head = pack(Action.PREVENTION, verb, "")
    room = MAX_CALLBACK_BYTES - len(head.encode())
    return head + name.encode()[:room].decode(errors="ignore")


def report_button(t: Translator, name: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(t("📝 Report this company"), callback_data=name_callback("r", name))


def ask_agency(t: Translator) -> Reply:
    return Reply(esc(t("Type the name of the company or agency, or its NIB or SIP3MI "
                       "number.")))


def status_text(t: Translator, agency: Agency) -> str:
    icon = STATUS_ICONS.get(agency.status, "•")
    if agency.status == "aktif":
        text = t("Licensed: its SIP3MI licence is active.")
    elif agency.status == "dihentikan_sementara":
        text = (t("Licence suspended until {date}.").format(date=t.date(agency.status_sampai))
                if agency.status_sampai else t("Licence suspended."))
    else:
        text = (t("Licence revoked since {date}.").format(date=t.date(agency.status_mulai))
                if agency.status_mulai else t("Licence revoked."))
    if agency.no_sk and agency.status != "aktif":
        text += " " + t("Decree no. {number}.").format(number=agency.no_sk)
    return f"{icon} " + esc(text)


def _office(t: Translator, agency: Agency) -> str:
    kind = t("Head office") if agency.jenis_kantor == "pusat" else t("Branch office")
    place = ", ".join(p for p in (agency.alamat, agency.kab_kota, agency.provinsi) if p)
    lines = [bold(agency.nama), status_text(t, agency),
             esc(kind) + (": " + esc(place) if place else "")]
    numbers = [f"NIB {agency.nib}" if agency.nib else "",
               f"SIP3MI {agency.sip3mi_no}" if agency.sip3mi_no else ""]
    if any(numbers):
        lines.append(esc(" · ".join(n for n in numbers if n)))
    verified = t.date(agency.tgl_verifikasi) if agency.tgl_verifikasi else "—"
    source = t("Data as of {date}").format(date=verified)
    if agency.sumber:
        source += " " + t("(source: {source})").format(source=agency.sumber)
    lines.append("<i>" + esc(source) + "</i>")
    return "\n".join(lines)


def _advice(t: Translator, contacts: list[tuple[str, str]]) -> str:
    lines = [esc(t("Before you hand over documents or money, check the licence in SISKOP2MI "
                   "(the information system of KP2MI) and ask BP3MI Lampung."))]
    lines += [f"• {esc(name)}: <b>{esc(number)}</b>" for name, number in contacts]
    return "\n".join(lines)


def _not_a_pt(t: Translator) -> str:
    return "ℹ️ " + esc(t("Note: a company that places migrant workers (P3MI) must be a PT "
                         "(limited company). A CV or UD cannot hold a P3MI licence."))


def agency_answer(t: Translator, answer: AgencyAnswer,
                  contacts: list[tuple[str, str]]) -> list[Reply]:
    """The register's answer: the offices found, near names to choose from, or not listed."""
    if answer.verdict is Verdict.SUGGEST:
        return [_suggestions(t, answer)]
    blocks: list[str] = []
    if answer.verdict is Verdict.FOUND:
        blocks += [_office(t, office) for office in answer.offices]
        blocks.append(esc(t("A licence alone does not make every offer genuine: the job "
                            "itself must also be registered. You can check an offer with "
                            "/cektawaran.")))
        if any(office.status != "aktif" for office in answer.offices):
            blocks.append(_advice(t, contacts))
        name = answer.offices[0].nama
    elif answer.verdict is Verdict.NO_REGISTER:
        blocks.append(esc(t("The task force's list of licensed companies is not available "
                            "here yet, so {name} cannot be checked here.").format(
            name=answer.query)))
        blocks.append(_advice(t, contacts))
        blocks.append(esc(t("If this company or its agents are recruiting people in your "
                            "area, you can report it to us. Your report is kept "
                            "confidential.")))
        name = answer.query
    else:
        blocks.append(esc(t("{name} is not on the task force's list as of {date}.").format(
            name=answer.query, date=t.date(answer.as_of))))
        blocks.append(esc(t("The list may be incomplete or not yet updated, so this alone "
                            "does not tell whether the company is licensed.")))
        blocks.append(_advice(t, contacts))
        blocks.append(esc(t("If this company or its agents are recruiting people in your "
                            "area, you can report it to us. Your report is kept "
                            "confidential.")))
        name = answer.query
    if answer.not_a_pt:
        blocks.append(_not_a_pt(t))
    keyboard = InlineKeyboardMarkup([
        [report_button(t, name)],
        [InlineKeyboardButton(t("Check another company"),
                              callback_data=pack(Action.PREVENTION, "ask"))],
    ])
    # A firm with many offices takes several messages: every office is shown.
    return pack_blocks(blocks, keyboard)


def _suggestions(t: Translator, answer: AgencyAnswer) -> Reply:
    rows = [[InlineKeyboardButton(truncate(a.nama, BUTTON_CHARS),
                                  callback_data=pack(Action.PREVENTION, "a", a.id))]
            for a in answer.suggestions]
    rows.append([InlineKeyboardButton(t("None of these"),
                                      callback_data=name_callback("n", answer.query))])
    text = esc(t("No company on the task force's list has exactly that name. Did you "
                 "mean…?"))
    if answer.not_a_pt:
        text += "\n\n" + _not_a_pt(t)
    return Reply(text, InlineKeyboardMarkup(rows))


def card_line(t: Translator, verdict: RegisterVerdict | None) -> str | None:
    """The register's verdict on the company a report names, for the officer's card."""
    if verdict is None:
        return None
    text = t(CARD_VERDICTS.get(verdict.status, verdict.status))
    if verdict.similar:
        text += "; " + t("similar: {names}").format(names=", ".join(verdict.similar))
    line = t("P3MI register: {verdict}").format(verdict=text)
    if verdict.as_of:
        line += " " + t("(data as of {date})").format(date=t.date(verdict.as_of))
    return esc(line)
