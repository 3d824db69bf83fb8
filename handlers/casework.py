"""An assignee's one-tap work from a case's card or details: a status in one tap, then an
optional reason; release, reopen and snooze. Each verb re-checks the officer against the
database, calls one use case, and has every message showing the case brought up to date."""
from __future__ import annotations

from bot.channels.telegram import messages
from bot.services import followups
from bot.engine.domain import ReferralTarget, Status
from bot.render import casework as view
from bot.services import casework, cases
from bot.services.cases import CaseError
from bot.engine.sanitize import is_plain_number
from handlers.desk import remind_kept


def _status(status: str):
    async def apply(context, scope, report, args) -> str:
        """A status in one tap; the card then offers the common reasons for it."""
        report = cases.require_assignee(report, scope.officer)
        if status == Status.REFERRED and (not args or args[0] not in set(ReferralTarget)):
            raise CaseError("bad_status")
        now = context.services.clock()
        event = await cases.set_status(scope.session, report=report, officer=scope.officer,
                                       status=status, now=now,
                                       referred_to=args[0] if status == Status.REFERRED else None)
        earlier = casework.offer_reason(scope.officer, report, event)
        await followups.case_changed(scope.session, context.services, report, now=now,
                                  tell_reporter=True, hold=True, also=earlier)
        return view.status_toast(scope.t, report)

    return apply


async def _reason(context, scope, report, args) -> str | None:
    """A common reason for the status just set, or none (the reporter is told at once)."""
    report = cases.require_assignee(report, scope.officer)
    key = args[0] if args else None
    if key != view.SKIP and key not in view.REASONS.get(report.status, {}):
        raise CaseError("bad_status")
    now, services = context.services.clock(), context.services
    reason = None if key == view.SKIP else services.translator(None)(view.REASON_KEYS[key])
    await casework.set_reason(scope.session, report=report, officer=scope.officer,
                              reason=reason, key=key if reason else None, now=now)
    await followups.case_changed(scope.session, services, report, now=now, tell_reporter=True,
                              reason_key=key if reason else None)
    await remind_kept(context, scope)    # words kept for an offer before the status
    return view.reason_saved(scope.t, report) if reason else None


async def typed_reason(services, scope, report, text: str, now) -> None:
    """The reason typed in one message after a status change."""
    await casework.set_reason(scope.session, report=report, officer=scope.officer,
                              reason=text, now=now)
    await followups.case_changed(scope.session, services, report, now=now, tell_reporter=True)


async def _release(context, scope, report, args) -> str:
    report = cases.require_assignee(report, scope.officer)
    now = context.services.clock()
    await casework.release_case(scope.session, report=report, officer=scope.officer, now=now)
    await followups.case_released(scope.session, context.services, report, by=scope.officer, now=now)
    return view.released_toast(scope.t, report)


async def _reopen(context, scope, report, args) -> str:
    now = context.services.clock()
    await casework.reopen_case(scope.session, report=report, officer=scope.officer, now=now)
    await followups.case_changed(scope.session, context.services, report, now=now,
                              tell_reporter=True, reopened=True)
    return view.reopened_toast(scope.t, report)


async def _snooze(context, scope, report, args) -> str:
    if not args or not is_plain_number(args[0]):
        raise CaseError("bad_status")
    report = cases.require_assignee(report, scope.officer)
    now = context.services.clock()
    until = await casework.snooze_case(scope.session, report=report, officer=scope.officer,
                                       hours=int(args[0]), now=now)
    await followups.case_changed(scope.session, context.services, report, now=now)
    return view.snoozed_toast(scope.t, report, until)


async def _panel(context, scope, report, args) -> None:
    """Another part of the card's or the details' buttons (More, quick replies, back):
    the pressed message's buttons change, nothing else does."""
    report = cases.require_assignee(report, scope.officer)
    if not args or args[0] not in view.PANELS:
        raise CaseError("bad_status")
    panel, services = args[0], context.services
    if args[1:2] == ["d"]:
        shown = await messages.render_details(scope.session, services, report, scope.officer,
                                              with_contact=False, panel=panel)
        scope.keyboard = shown.keyboard
    else:
        card = await messages.render_card(scope.session, services, report, scope.t,
                                          viewer=scope.officer, panel=panel)
        scope.keyboard = card.keyboard


CASEWORK_VERBS = {
    **{verb: _status(status) for verb, status in view.STATUS_VERBS.items()},
    "rt": _status(Status.REFERRED), "rs": _reason, "rel": _release, "reo": _reopen,
    "snz": _snooze, "pnl": _panel,
}
