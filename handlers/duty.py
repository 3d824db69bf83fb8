"""Officers' duty and registration: the roster, ad-hoc check-in, invite links."""
from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import TipContext
from bot.engine.domain import Role
from bot.channels.telegram.menus import publish_officer_menu
from bot.render import officer as view
from bot.services import duty, officers
from handlers.common import officer_scope, refuse_non_officer, send

PRIVATE = filters.ChatType.PRIVATE


async def roster(update: Update, context: TipContext) -> None:
    """/jadwal: the weekly roster and who is checked in."""
    async with officer_scope(update, context) as scope:
        if scope is None:
            return await refuse_non_officer(update, context)
        now = context.services.clock()
        shifts = await duty.roster(scope.session)
        checked = [o for _, o in await duty.open_checkins(scope.session, now=now)]
        scope.reply(view.roster_view(scope.t, shifts, checked,
                                                        context.services.regions))


async def checkin(update: Update, context: TipContext) -> None:
    """/piket: check in or out."""
    async with officer_scope(update, context) as scope:
        if scope is None:
            return await refuse_non_officer(update, context)
        result = await duty.toggle_checkin(scope.session, officer_id=scope.officer.id,
                                           now=context.services.clock())
        scope.reply(view.checkin_view(scope.t, result.checked_in,
                                                         result.ends_at))


async def invite(update: Update, context: TipContext) -> None:
    """/undang [officer|supervisor|admin]: a one-time invite link (admins)."""
    async with officer_scope(update, context) as scope:
        if scope is None:
            return await refuse_non_officer(update, context)
        if scope.officer.role != Role.ADMIN:
            scope.reply(view.error_reply(scope.t, "admins_only"))
            return
        services = context.services
        role = context.args[0] if context.args else Role.OFFICER
        created = await officers.create_invite(
            scope.session, vault=services.vault, admin=scope.officer, role=role,
            ttl=services.settings.invite_ttl, now=services.clock())
        link = f"https://t.me/{context.bot.username}?start=inv_{created.token}"
        scope.reply(view.invite_view(scope.t, link, created.expires_at, created.role))


async def redeem_invite(update: Update, context: TipContext, token: str) -> None:
    """/start inv_<token>: register whoever opens a valid invite (called from /start)."""
    services = context.services
    async with services.sessions() as session:
        user = update.effective_user
        officer = await officers.redeem_invite(
            session, vault=services.vault, token=token, telegram_user_id=user.id,
            name=user.full_name, now=services.clock())
        await session.commit()
    t = services.translator(None)
    await send(context, update.effective_chat.id,
               view.officer_welcome(t, officer) if officer else view.invite_invalid(t))
    if officer is not None:
        await publish_officer_menu(context.bot, officer)


def duty_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("jadwal", roster, filters=PRIVATE),
        CommandHandler("piket", checkin, filters=PRIVATE),
        CommandHandler("undang", invite, filters=PRIVATE),
    ]
