"""Telegram HTML text for /statistik (and ``tipbot stats``), /terlapor and /riwayat: pure
functions of the figures and a Translator. Each returns its messages, split by the one
splitter (``bot.render.text.split_html``)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from babel.numbers import format_percent

from bot.analytics.period import DateRange
from bot.analytics.stats import DurationFigures, Headline, Stats
from bot.analytics.suspects import Reported, TopReported
from bot.analytics.timeline import CaseTimeline, TimelineEntry
from bot.engine.domain import EventKind
from bot.engine.i18n import N_, Translator
from bot.engine.labels import Labels
from bot.render.durations import duration_text
from bot.render.text import esc, split_html, truncate

NOTE_PREVIEW_CHARS = 200

EVENT_LABELS = {
    EventKind.CREATED: N_("Report received"),
    EventKind.ALERTED: N_("Officers alerted"),
    EventKind.CLAIMED: N_("Claimed"),
    EventKind.STATUS: N_("Status changed"),
    EventKind.NOTE: N_("Note"),
    EventKind.TO_REPORTER: N_("Message relayed to the reporter"),
    EventKind.FROM_REPORTER: N_("Message from the reporter"),
    EventKind.REMINDER: N_("Reminder sent"),
    EventKind.ESCALATION: N_("Escalated to supervisors"),
    EventKind.REASSIGNED: N_("Reassigned"),
    EventKind.EVIDENCE_RESENT: N_("Evidence sent again"),
    EventKind.RELEASED: N_("Back in the queue (officer deactivated)"),
    EventKind.REOPENED: N_("Reopened"),
    EventKind.SNOOZED: N_("Reminders paused"),
}
RELEASED_BY_OFFICER = N_("Released back to the queue")
REASON_LABELS = {
    "phone": N_("same phone number"),
    "name": N_("similar name"),
    "agency": N_("similar agency"),
}


def format_range(t: Translator, date_range: DateRange) -> str:
    if date_range.start == date_range.end:
        return t.date(date_range.start)
    return t.gettext("{start} to {end}").format(
        start=t.date(date_range.start), end=t.date(date_range.end))


def _share(t: Translator, part: int, whole: int) -> str:
    return format_percent(part / whole if whole else 0, locale=t.locale)


def _count_lines(t: Translator, counts: dict[str, int], total: int, label) -> list[str]:
    return [f"• {esc(label(t, code))}: <b>{t.number(n)}</b> ({_share(t, n, total)})"
            for code, n in counts.items()]


def _durations(t: Translator, title: str, figures: DurationFigures) -> str:
    if figures.count == 0:
        return t.gettext("{what}: no cases yet").format(what=title)
    return t.ngettext(
        "{what}: median {median}; 90% of cases in {p90} or less ({count} case)",
        "{what}: median {median}; 90% of cases in {p90} or less ({count} cases)",
        figures.count,
    ).format(what=title, median=duration_text(t, figures.median),
             # "in under 1 min or less" reads badly: a sub-minute bound is "in 1 min or less".
             p90=duration_text(t, max(figures.p90, 60) if figures.p90 is not None else None),
             count=t.number(figures.count))


def render_stats(stats: Stats, t: Translator, labels: Labels,
                 headline: Headline | None = None, extra: Sequence[str] = ()) -> list[str]:
    """/statistik as HTML messages: totals (and today / 7 / 30 days when ``headline`` is
    given), breakdowns, response times, backlog, officers' load, then the ``extra``
    blocks (the prevention figures)."""
    title = t.gettext("Tip line statistics")
    header = "\n".join([
        f"<b>{esc(title)}</b>",
        esc(t.gettext("Reports received {period} (times in {zone})").format(
            period=format_range(t, stats.range), zone=t.zone_label)),
        "",
        esc(t.ngettext("Total: {count} report", "Total: {count} reports",
                          stats.total).format(count=t.number(stats.total)))
        + " · " + esc(t.gettext("urgent: {count}").format(count=t.number(stats.urgent))),
    ])
    blocks = [header]
    if headline is not None:
        blocks.append(esc(t.gettext(
            "Received today: {today} · last 7 days: {week} · last 30 days: {month}").format(
            today=t.number(headline.today), week=t.number(headline.last_7_days),
            month=t.number(headline.last_30_days))))
    if stats.total:
        for title, counts, label in (
            (N_("By category"), stats.by_category, labels.category_label),
            (N_("By regency/city"), stats.by_region, labels.region_label),
            (N_("By current status"), stats.by_status, labels.status_label),
        ):
            lines = [f"<b>{esc(t.gettext(title))}</b>"]
            lines += _count_lines(t, counts, stats.total, label)
            blocks.append("\n".join(lines))
        response = t.gettext("Response time")
        blocks.append("\n".join([
            f"<b>{esc(response)}</b>",
            "• " + esc(_durations(t, t.gettext("Until claimed"), stats.time_to_claim)),
            "• " + esc(_durations(t, t.gettext("Until closed"), stats.time_to_close)),
        ]))
    open_now = t.gettext("Open cases now")
    backlog = [
        f"<b>{esc(open_now)}</b>: "
        + esc(t.ngettext("{count} case", "{count} cases", stats.open_backlog)
                 .format(count=t.number(stats.open_backlog))),
    ]
    backlog += _count_lines(t, stats.backlog_by_status, stats.open_backlog, labels.status_label)
    oldest = stats.oldest_unclaimed
    if oldest is None:
        backlog.append(esc(t.gettext("No case is waiting to be claimed.")))
    else:
        backlog.append(esc(t.gettext(
            N_("Oldest unclaimed: {case} (waiting {age}, since {when})")).format(
            case=oldest.case_number, age=duration_text(t, oldest.age_seconds),
            when=t.datetime(oldest.created_at))))
    blocks.append("\n".join(backlog))
    if stats.officer_load:
        per_officer = t.gettext("Open cases per officer")
        lines = [f"<b>{esc(per_officer)}</b>"]
        lines += [f"• {esc(o.name)}: <b>{t.number(o.open_cases)}</b>"
                  for o in stats.officer_load]
        blocks.append("\n".join(lines))
    return split_html([*blocks, *extra])


def _reported_lines(t: Translator, title: str, items: list[Reported]) -> str:
    lines = [f"<b>{esc(t.gettext(title))}</b>"]
    if not items:
        lines.append(esc(t.gettext("None named in more than one report.")))
    for rank, item in enumerate(items, start=1):
        reports = t.ngettext("{count} report", "{count} reports", item.reports)
        lines.append(f"{rank}. <code>{esc(item.value)}</code>: "
                     f"{esc(reports.format(count=t.number(item.reports)))}")
    return "\n".join(lines)


def render_top_reported(top: TopReported, t: Translator) -> list[str]:
    """/terlapor as HTML messages: most-reported numbers, people and agencies."""
    title = t.gettext("Most-reported suspects")
    header = "\n".join([
        f"<b>{esc(title)}</b>",
        esc(t.gettext("Reports received {period}").format(
            period=format_range(t, top.range))),
    ])
    return split_html([
        header,
        _reported_lines(t, N_("Phone numbers"), top.phones),
        _reported_lines(t, N_("People"), top.people),
        _reported_lines(t, N_("Agencies and companies"), top.agencies),
    ])


def _entry_line(t: Translator, entry: TimelineEntry, labels: Labels) -> str:
    label = EVENT_LABELS.get(entry.kind)
    if entry.kind == EventKind.RELEASED and (entry.detail or {}).get("by"):
        label = RELEASED_BY_OFFICER
    what = t.gettext(label) if label else entry.kind
    if entry.officer_name:
        who = entry.officer_name
    elif entry.kind in (EventKind.CREATED, EventKind.FROM_REPORTER):
        who = t.gettext("reporter")
    else:
        who = t.gettext("system")
    line = f"<b>{esc(t.datetime(entry.at))}</b> · {esc(what)} · <i>{esc(who)}</i>"
    detail = entry.detail or {}
    new_status = detail.get("status") or detail.get("to")
    if entry.kind in (EventKind.STATUS, EventKind.REOPENED) and new_status:
        # Old and new status, then the reason when one was given.
        change = labels.status_label(t, str(new_status))
        if detail.get("from"):
            change = labels.status_label(t, str(detail["from"])) + " → " + change
        line += "\n    " + esc(change)
        if detail.get("reason"):
            line += "\n    " + esc(t.gettext("Reason: {reason}").format(
                reason=_preview(str(detail["reason"]))))
    if entry.kind == EventKind.SNOOZED and detail.get("until"):
        until = datetime.fromisoformat(str(detail["until"]))
        line += " · " + esc(t.gettext("until {time}").format(time=t.datetime(until)))
    text = detail.get("text") or detail.get("note")
    if entry.kind == EventKind.NOTE and isinstance(text, str) and text.strip():
        line += f"\n    “{esc(_preview(text))}”"
    return line


def _preview(text: str) -> str:
    return truncate(text.strip().replace("\n", " "), NOTE_PREVIEW_CHARS)


def render_timeline(timeline: CaseTimeline, t: Translator, labels: Labels,
                    related: list[str] | None = None) -> list[str]:
    """/riwayat as HTML messages: the case header, related cases, then one line per event."""
    title = t.gettext("Case history {case}").format(case=timeline.case_number)
    header = [
        f"<b>{esc(title)}</b>",
        esc(labels.category_label(t, timeline.category)) + " · "
        + esc(labels.region_label(t, timeline.region_code)),
        esc(t.gettext("Status: {status}").format(
            status=labels.status_label(t, timeline.status))),
    ]
    if timeline.assignee_name:
        header.append(esc(t.gettext("Handled by: {name}").format(
            name=timeline.assignee_name)))
    if related:
        header.append(esc(t.gettext("Related cases: {cases}").format(
            cases=", ".join(related))))
    events = [_entry_line(t, entry, labels) for entry in timeline.entries]
    if timeline.total_entries > len(timeline.entries):
        events.insert(0, esc(t.gettext("Showing the latest {shown} of {total} events.")
                                .format(shown=t.number(len(timeline.entries)),
                                        total=t.number(timeline.total_entries))))
    return split_html(["\n".join(header), "\n".join(events)])


def reason_labels(t: Translator, reasons: Iterable[str]) -> str:
    """``same phone number, similar name`` for a related case."""
    return ", ".join(t.gettext(REASON_LABELS[r]) if r in REASON_LABELS else r for r in reasons)


__all__ = [
    "format_range", "reason_labels", "render_stats", "render_timeline", "render_top_reported",
]
