"""Admins' and supervisors' review: figures, charts, exports, histories, repeat suspects.

Every command and button re-checks the role in the database; callback data only names
the range that was on screen.
"""
from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.channels.telegram.presses import answer_press
from bot.services import followups
from bot.analytics import charts, export, stats, suspects, timeline
from bot.analytics.worker import run_in_worker
from bot.prevention.counts import prevention_figures
from bot.render.prevention_stats import prevention_block
from bot.render.stats import render_stats, render_timeline, render_top_reported
from bot.engine.callbacks import Action, unpack
from bot.context import TipContext
from bot.channels.telegram.jobs import kick
from bot.render import officer as officer_view
from bot.render import review as view
from bot.render import safety as safety_view
from bot.render.text import Reply
from bot.services import access
from bot.services.review import may_review, parse_range, range_from_token
from handlers.common import OfficerScope, officer_scope, send

PRIVATE = filters.ChatType.PRIVATE


@asynccontextmanager
async def review_scope(update: Update, context: TipContext) -> AsyncIterator[OfficerScope | None]:
    """The officer's scope if they may review figures; None (after a polite refusal)
    for officers without the role and for everyone else."""
    async with officer_scope(update, context) as scope:
        if may_review(scope.officer if scope else None):
            yield scope
            return
        t = scope.t if scope else context.services.translator(None)
        if scope is not None:
            scope.reply(view.not_allowed(t))
        yield None
    if scope is None:
        await send(context, update.effective_chat.id, view.not_allowed(t))


def _asked_range(context: TipContext, scope: OfficerScope, *, default_days: int):
    """The range typed after the command, or None after saying it could not be read."""
    date_range = parse_range(context.args or [], context.services.clock(), default_days)
    if date_range is None:
        scope.reply(view.bad_range(scope.t))
    return date_range


async def show_stats(update: Update, context: TipContext) -> None:
    """/statistik [range]: totals, breakdowns, response times, backlog, load."""
    date_range = parse_range(context.args or [], context.services.clock())
    await _stats_for(update, context, date_range)


async def _stats_for(update: Update, context: TipContext, date_range) -> None:
    services = context.services
    async with review_scope(update, context) as scope:
        if scope is None:
            return
        t = scope.t
        if date_range is None:
            return scope.reply(view.bad_range(t))
        now = services.clock()
        figures = await stats.compute_stats(scope.session, date_range=date_range, now=now)
        headline = await stats.headline_totals(scope.session, now=now)
        prevention = await prevention_figures(scope.session, date_range=date_range)
        messages = render_stats(figures, t, services.labels, headline=headline,
                                extra=[prevention_block(t, prevention)])
        scope.reply([Reply(text) for text in messages[:-1]])
        scope.reply(Reply(messages[-1], view.stats_keyboard(t, date_range, now)))


async def show_top_reported(update: Update, context: TipContext) -> None:
    """/terlapor [range]: the most-reported numbers, people and agencies."""
    async with review_scope(update, context) as scope:
        if scope is None:
            return
        t = scope.t
        date_range = _asked_range(context, scope, default_days=30)
        if date_range is None:
            return
        top = await suspects.top_reported(scope.session, date_range=date_range)
        scope.reply([Reply(text) for text in render_top_reported(top, t)])


async def show_history(update: Update, context: TipContext) -> None:
    """/riwayat <case>: the case's timeline with who and when."""
    async with review_scope(update, context) as scope:
        if scope is None:
            return
        t = scope.t
        if not context.args:
            return scope.reply(view.ask_case_number(t))
        found = await timeline.case_timeline(scope.session, case_number=context.args[0],
                                             limit=200)
        if found is None:
            return scope.reply(view.unknown_case(t))
        access.audit(scope.session, officer_id=scope.officer.id, action="case_history",
                     now=context.services.clock(), report_id=found.report_id)
        related = await suspects.related_case_numbers(scope.session, found.report_id)
        messages = render_timeline(found, t, context.services.labels, related=related)
        scope.reply([Reply(text) for text in messages])


async def offer_export(update: Update, context: TipContext) -> None:
    """/ekspor [range]: choose CSV or XLSX for the cases in the range."""
    async with review_scope(update, context) as scope:
        if scope is None:
            return
        t = scope.t
        date_range = _asked_range(context, scope, default_days=30)
        if date_range is None:
            return
        with_contacts = export.contacts_allowed(scope.officer.role)
        scope.reply(view.export_offer(t, date_range, with_contacts))


def _in_private_chat(update: Update) -> bool:
    message = update.callback_query.message
    return message is not None and message.chat.type == "private"


async def review_pressed(update: Update, context: TipContext) -> None:
    """A range, chart or export button; the role is checked again, and figures and files
    go only to the requester's private chat (a press in a group gets a pointer there)."""
    query = update.callback_query
    _, parts = unpack(query.data)
    if not _in_private_chat(update):
        await answer_press(query, safety_view.private_chat_only(context.services.translator(None)),
                           show_alert=True)
        return
    date_range = range_from_token(parts[1]) if len(parts) >= 2 else None
    await answer_press(query)
    if date_range is None:
        return
    fmt = parts[2] if len(parts) >= 3 and parts[2] in export.FORMATS else None
    if parts[0] == "stats":
        await _stats_for(update, context, date_range)
    elif parts[0] == "chart":
        await _send_charts(update, context, date_range)
    elif parts[0] == "export" and fmt and parts[3:] == ["c"]:
        await _confirm_contacts(update, context, date_range, fmt)
    elif parts[0] == "export" and fmt and len(parts) == 3:
        await _send_export(update, context, date_range, fmt, with_contacts=False)
    elif parts[0] == "xc" and fmt and len(parts) == 3:
        await _send_export(update, context, date_range, fmt, with_contacts=True)


async def _send_charts(update: Update, context: TipContext, date_range) -> None:
    services = context.services
    async with review_scope(update, context) as scope:
        if scope is None:
            return
        t, chat_id = scope.t, scope.officer.telegram_user_id
        volume = await stats.daily_volume(scope.session, date_range=date_range)
        figures = await stats.compute_stats(scope.session, date_range=date_range,
                                            now=services.clock())
    # Drawing takes a few hundred milliseconds of CPU: off the event loop.
    images = [
        (await asyncio.to_thread(charts.daily_volume_chart, volume, t=t, labels=services.labels),
         t(charts.daily_volume_title(volume))),
        (await asyncio.to_thread(charts.region_chart, figures.by_region, t=t,
                                 labels=services.labels, days=date_range.each_day()),
         t(charts.REGION_CHART_TITLE)),
    ]
    for png, title in images:
        await context.bot.send_photo(chat_id, photo=png,
                                     caption=view.chart_caption(t, title, date_range))


async def _confirm_contacts(update: Update, context: TipContext, date_range, fmt: str) -> None:
    """An export with reporters' contacts is asked for twice (admins only)."""
    async with review_scope(update, context) as scope:
        if scope is None:
            return
        if not export.contacts_allowed(scope.officer.role):
            return scope.reply(officer_view.error_reply(scope.t, "admins_only"))
        scope.reply(safety_view.confirm_contacts_export(scope.t, date_range, fmt))


async def _send_export(update: Update, context: TipContext, date_range, fmt: str, *,
                       with_contacts: bool) -> None:
    services = context.services
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / export.export_file_name(date_range, fmt)
        async with review_scope(update, context) as scope:
            if scope is None:
                return
            t, chat_id = scope.t, scope.officer.telegram_user_id
            if with_contacts and not export.contacts_allowed(scope.officer.role):
                return scope.reply(officer_view.error_reply(t, "admins_only"))
            now = services.clock()
            officer_id = scope.officer.id

            async def write(session):
                return await export.export_cases(
                    session, path, fmt=fmt, date_range=date_range, officer_id=officer_id,
                    now=now, t=t, labels=services.labels,
                    decrypt=services.vault.decrypt if with_contacts else None)

            # Off the event loop: a big XLSX is seconds of CPU every resident would wait for.
            result = await run_in_worker(services.database_url, write)
            if with_contacts:
                await followups.tell_admins_of_contacts_export(
                    scope.session, by=scope.officer, rows=result.rows,
                    date_range=date_range, now=now)
        with path.open("rb") as handle:
            await context.bot.send_document(
                chat_id, document=InputFile(handle, filename=path.name),
                caption=view.export_caption(t, date_range, result.rows))
    kick(context)


def review_handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["statistik", "stats"], show_stats, filters=PRIVATE),
        CommandHandler(["ekspor", "export"], offer_export, filters=PRIVATE),
        CommandHandler(["riwayat", "history"], show_history, filters=PRIVATE),
        CommandHandler(["terlapor", "suspects"], show_top_reported, filters=PRIVATE),
        CallbackQueryHandler(review_pressed, pattern=f"^{Action.REVIEW.value}:"),
    ]
