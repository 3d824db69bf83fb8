"""What a resident reads from /cektawaran (the job-offer check) and /info (the guide).
Pure: domain values in, Reply out."""
from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.callbacks import Action, pack
from bot.engine.i18n import N_, Translator
from bot.prevention.guide import Guide, GuideItem, GuidePage
from bot.prevention.offer import FLAGS, Risk, raised_flags
from bot.render.text import Reply, bold, esc, pack_blocks

RISK_TITLES = {
    Risk.LOW: N_("🟢 Low risk"),
    Risk.MEDIUM: N_("🟡 Medium risk"),
    Risk.HIGH: N_("🔴 High risk"),
}
RISK_ADVICE = {
    Risk.LOW: N_("You named none of the usual warning signs. Still check the company with "
                 "/cekagensi, register through Disnaker or the LTSA before you leave, and never "
                 "hand your passport or money to a broker."),
    Risk.MEDIUM: N_("This offer shows warning signs. Do not pay anything or hand over documents "
                    "yet. Check the company with /cekagensi and ask Disnaker, the LTSA or BP3MI "
                    "Lampung. If you suspect a broker, report it to us."),
    Risk.HIGH: N_("This offer shows strong signs of nonprocedural recruitment or trafficking. "
                  "Do not leave and do not pay anything. Report it to us; your report is kept "
                  "confidential. If someone is already in danger or about to be sent away, "
                  "press /darurat."),
}


def _report_row(t: Translator) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(t("📝 Make a report"), callback_data=pack(Action.MENU, "report"))]


def offer_question(t: Translator, answers: str) -> Reply:
    """The next yes/no question; the answers so far ride in the buttons."""
    index = len(answers)
    lines = []
    if index == 0:
        lines.append(esc(t("A few yes/no questions about the job offer you received. Your "
                           "answers are not stored.")))
    lines.append("<i>" + esc(t("Question {number} of {total}").format(
        number=index + 1, total=len(FLAGS))) + "</i>")
    lines.append(bold(t(FLAGS[index].question)))
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(t("Yes"), callback_data=pack(Action.PREVENTION, "o", answers + "y")),
        InlineKeyboardButton(t("No"), callback_data=pack(Action.PREVENTION, "o", answers + "n")),
    ]])
    return Reply("\n\n".join(lines), keyboard)


def offer_verdict(t: Translator, answers: str, risk: Risk) -> Reply:
    blocks = [bold(t(RISK_TITLES[risk]))]
    flags = raised_flags(answers)
    if flags:
        blocks.append(esc(t("Warning signs you named:")) + "\n"
                      + "\n".join("• " + esc(t(flag.why)) for flag in flags))
    blocks.append(esc(t(RISK_ADVICE[risk])))
    keyboard = InlineKeyboardMarkup([
        _report_row(t),
        [InlineKeyboardButton(t("Check a company/agency"),
                              callback_data=pack(Action.PREVENTION, "ask"))],
        [InlineKeyboardButton(t("Working abroad safely"),
                              callback_data=pack(Action.PREVENTION, "g", "index"))],
    ])
    return pack_blocks(blocks, keyboard)[-1]


def _source(t: Translator, item: GuideItem) -> str:
    if not item.effective:
        return "<i>" + esc(t("Source: {source}").format(source=item.source)) + "</i>"
    since = (t.date(date.fromisoformat(item.effective)) if len(item.effective) == 10
             else item.effective)
    return "<i>" + esc(t("Source: {source}, in force since {date}").format(
        source=item.source, date=since)) + "</i>"


def guide_index(t: Translator, guide: Guide) -> Reply:
    rows = [[InlineKeyboardButton(page.title[t.locale],
                                  callback_data=pack(Action.PREVENTION, "g", page.key))]
            for page in guide.pages]
    rows.append(_report_row(t))
    text = bold(t("Working abroad safely")) + "\n\n" + esc(t(
        "Short pages on the legal way to work abroad. Choose a topic:"))
    return Reply(text, InlineKeyboardMarkup(rows))


def guide_page(t: Translator, guide: Guide, page: GuidePage) -> list[Reply]:
    blocks = [bold(page.title[t.locale])]
    blocks += [esc(item.text[t.locale]) + "\n" + _source(t, item) for item in page.items]
    keys = [p.key for p in guide.pages]
    position = keys.index(page.key)
    rows = []
    if position + 1 < len(keys):
        following = guide.pages[position + 1]
        rows.append([InlineKeyboardButton(t("Next: {title}").format(
            title=following.title[t.locale]),
            callback_data=pack(Action.PREVENTION, "g", following.key))])
    rows.append([InlineKeyboardButton(t("⬅️ All topics"),
                                      callback_data=pack(Action.PREVENTION, "g", "index"))])
    rows.append(_report_row(t))
    return pack_blocks(blocks, InlineKeyboardMarkup(rows))
