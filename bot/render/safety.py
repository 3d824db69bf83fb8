"""What reporter safety makes people read: an officer who left, the group's minimal
notice, refused views, quotas and pauses. Pure: domain values in, Reply out."""
from __future__ import annotations

from bot.i18n import Translator
from bot.render.text import Reply, bold, esc


def officer_left(t: Translator, name: str, case_numbers: list[str]) -> Reply:
    """To supervisors and admins: an officer was deactivated; their cases are queued again."""
    head = bold(t("{name} no longer works cases (deactivated).").format(name=name))
    if not case_numbers:
        return Reply(head + "\n" + esc(t("They held no open case.")))
    body = t.ngettext("{n} open case is back in the queue and was sent to the officers on "
                      "duty:", "{n} open cases are back in the queue and were sent to the "
                      "officers on duty:", len(case_numbers)).format(n=t.number(len(case_numbers)))
    codes = ", ".join(f"<code>{esc(code)}</code>" for code in case_numbers)
    return Reply(head + "\n" + esc(body) + " " + codes)
