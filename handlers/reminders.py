"""/checkin, /calendar, /reminders and the buttons under reminders.

Buttons carry an action and a project id and nothing else; every press re-loads the project
through `load_project_for` (in the role the action needs), so a forwarded, stale or forged button
changes nothing. Mute and snooze go through `bot.reminders.planning`, which re-plans the
project at once. Prose comes from the `reminders.*`, `checkin.*` and `calendar.*` catalogs; user
text is escaped here (or left plain in the calendar file, which is not HTML).
"""

from __future__ import annotations

import html
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_dialog import DialogManager, ShowMode, StartMode
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.db.models import ProjectStatus, User
from bot.i18n import Translator
from bot.limits import RowId, cut_plain
from bot.projects import list_projects, load_project_for
from bot.reminders import queue
from bot.reminders.calendar import DayEvent, TimedEvent, build_ics
from bot.reminders.messages import ReminderAction
from bot.reminders.planning import (
    latest_signed_version,
    preferences_of,
    set_muted,
    snooze,
    zone_of,
)
from bot.roles import Role
from bot.timezones import DEFAULT_ZONE, zone_label
from dialogs.states import Checkins, Goals, Questionnaire
from ui.briefs import show_brief
from ui.projects import project_picker
from ui.reminders import ReminderCb

UPCOMING_SHOWN = 10
PROJECT_BUTTONS = 8
BUTTON_BRAND_LIMIT = 24
#: A brand quoted in an alert: the sentence around it must fit Telegram's 200 characters.
BRAND_IN_ALERT = 80
CALENDAR_FILE = "smartbrief.ics"
SNOOZE, MUTE, UNMUTE = "sz", "mu", "um"


class ReminderPrefCb(CallbackData, prefix="rp"):
    """A /reminders press: snooze, mute or unmute one project's reminders for the presser."""

    action: str
    project_id: RowId


# --- /checkin and the reminders' buttons ------------------------------------------------------


async def checkin_command(
    message: Message,
    dialog_manager: DialogManager,
    session: AsyncSession,
    user: User,
    i18n: Translator,
) -> None:
    """Straight into the check-in when one signed project is theirs, a choice when several are;
    clients are told who enters the numbers."""
    memberships = await list_projects(session, user)
    if not memberships:
        await message.answer(i18n("checkin.no_project"))
        return
    own = [m.project for m in memberships if m.role is Role.SPECIALIST]
    if not own:
        await message.answer(i18n("checkin.not_specialist"))
        return
    signed = [p for p in own if await latest_signed_version(session, p.id) is not None]
    if not signed:
        await message.answer(i18n("checkin.not_signed"))
    elif len(signed) == 1:
        await dialog_manager.start(
            Checkins.value, {"project_id": signed[0].id}, mode=StartMode.RESET_STACK
        )
    else:
        # The same button a check-in reminder carries, one per project, newest first.
        picker = project_picker(
            signed,
            lambda project_id: ReminderCb(action=ReminderAction.CHECKIN, project_id=project_id),
        )
        await message.answer(i18n("checkin.pick"), reply_markup=picker)


async def on_reminder_button(
    callback: CallbackQuery,
    callback_data: ReminderCb,
    dialog_manager: DialogManager,
    bot: Bot,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
) -> None:
    action = callback_data.action
    if action is ReminderAction.BRIEF:
        project, _ = await load_project_for(session, user, callback_data.project_id)
        await callback.answer()
        await show_brief(bot, session, user, project.id, clock.now())
        return
    if action is ReminderAction.QUESTIONS:
        project, _ = await load_project_for(session, user, callback_data.project_id)
        await callback.answer()
        await _start_below(callback, dialog_manager, Questionnaire.question, project.id)
        return
    project, _ = await load_project_for(
        session, user, callback_data.project_id, role=Role.SPECIALIST
    )
    if action is ReminderAction.NEXT_BRIEF:
        await callback.answer()
        await bot.send_message(
            user.telegram_id, i18n("reminders.next_brief", brand=html.escape(project.brand))
        )
        await _start_below(callback, dialog_manager, Goals.list, project.id)
        return
    if await latest_signed_version(session, project.id) is None:
        await callback.answer(i18n("checkin.not_signed"), show_alert=True)
        return
    await callback.answer()
    await _start_below(callback, dialog_manager, Checkins.value, project.id)


async def _start_below(
    callback: CallbackQuery, manager: DialogManager, state: State, project_id: int
) -> None:
    """A new message under the reminder, which keeps its text and its still-working buttons."""
    await manager.start(
        state, {"project_id": project_id}, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )
    pressed = callback.message
    if isinstance(pressed, Message) and pressed.reply_markup is not None:
        await pressed.edit_reply_markup(reply_markup=pressed.reply_markup)


# --- /calendar ----------------------------------------------------------------------------------


async def calendar_command(
    message: Message, bot: Bot, session: AsyncSession, user: User, i18n: Translator, clock: Clock
) -> None:
    now = clock.now()
    projects = [
        m.project
        for m in await list_projects(session, user)
        if m.project.status is not ProjectStatus.ARCHIVED
    ]
    events: list[DayEvent | TimedEvent] = []
    for project in projects:
        signed = await latest_signed_version(session, project.id)
        for goal in () if signed is None else signed.goals:
            events.append(
                DayEvent(
                    uid=f"smartbrief-p{project.id}-g{goal.goal_id}-deadline@smartbrief",
                    summary=i18n("calendar.deadline", goal=goal.text, brand=project.brand),
                    day=goal.deadline,
                )
            )
    brands = {project.id: project.brand for project in projects}
    checkins = await queue.planned_checkins(session, brands, now)
    for row in checkins:
        assert row.project_id is not None
        events.append(
            TimedEvent(
                uid=f"smartbrief-{row.key.replace(':', '-')}@smartbrief",
                summary=i18n("calendar.checkin", brand=brands[row.project_id]),
                start=row.due_at,
            )
        )
    if not events:
        await message.answer(i18n("calendar.empty"))
        return
    name = i18n("calendar.name", brands=", ".join(brands.values()))
    ics = build_ics(events, user.timezone or DEFAULT_ZONE, name, now)
    await bot.send_document(
        user.telegram_id,
        BufferedInputFile(ics, filename=CALENDAR_FILE),
        caption=i18n("calendar.caption"),
    )


# --- /reminders ---------------------------------------------------------------------------------


async def reminders_command(
    message: Message, session: AsyncSession, user: User, i18n: Translator, clock: Clock
) -> None:
    text, markup = await _overview(session, user, i18n, clock.now())
    await message.answer(text, reply_markup=markup)


async def on_preference(
    callback: CallbackQuery,
    callback_data: ReminderPrefCb,
    session: AsyncSession,
    user: User,
    i18n: Translator,
    clock: Clock,
) -> None:
    project, _ = await load_project_for(session, user, callback_data.project_id)
    now = clock.now()
    action = callback_data.action
    key = {SNOOZE: "snoozed", MUTE: "muted_done"}.get(action, "unmuted_done")
    brand = cut_plain(project.brand, BRAND_IN_ALERT)
    # Answered before the re-plan, which can take a while on a big project: the button stops
    # spinning at once, and a failure below still gets the apology as a message.
    await callback.answer(i18n(f"reminders.list.{key}", brand=brand), show_alert=True)
    if action == SNOOZE:
        await snooze(session, user, project.id, now)
    else:
        await set_muted(session, user, project.id, action == MUTE, now)
    text, markup = await _overview(session, user, i18n, now)
    shown = callback.message
    if isinstance(shown, Message) and (shown.html_text, shown.reply_markup) != (text, markup):
        await shown.edit_text(text, reply_markup=markup)


async def _overview(
    session: AsyncSession, user: User, i18n: Translator, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    memberships = await list_projects(session, user)
    if not memberships:
        return i18n("reminders.list.no_projects"), None
    zone = zone_of(user)
    lines = [
        i18n("reminders.list.title", zone=zone_label(user.timezone or DEFAULT_ZONE, i18n.language))
    ]
    upcoming = await queue.upcoming(session, user.id, now, UPCOMING_SHOWN)
    for reminder, brand in upcoming:
        lines.append(
            i18n(
                "reminders.list.item",
                when=i18n.format_datetime(reminder.due_at, zone),
                what=i18n(f"reminders.kind.{reminder.kind}"),
                brand=html.escape(brand),
            )
        )
    if not upcoming:
        lines.append(i18n("reminders.list.none"))
    preferences = await preferences_of(session, user)
    muted = [m.project for m in memberships if (p := preferences.get(m.project.id)) and p.muted]
    if muted:
        brands = ", ".join(html.escape(project.brand) for project in muted)
        lines.append(i18n("reminders.list.muted", brands=brands))
    lines.append("")
    lines.append(i18n("reminders.list.hint"))
    builder = InlineKeyboardBuilder()
    rows: list[int] = []
    for membership in memberships[:PROJECT_BUTTONS]:
        project = membership.project
        brand = _short(project.brand)
        if project in muted:
            builder.button(
                text=i18n("reminders.list.unmute_button", brand=brand),
                callback_data=ReminderPrefCb(action=UNMUTE, project_id=project.id),
            )
            rows.append(1)
            continue
        builder.button(
            text=i18n("reminders.list.snooze_button", brand=brand),
            callback_data=ReminderPrefCb(action=SNOOZE, project_id=project.id),
        )
        builder.button(
            text=i18n("reminders.list.mute_button", brand=brand),
            callback_data=ReminderPrefCb(action=MUTE, project_id=project.id),
        )
        rows.append(2)
    builder.adjust(*rows)
    return "\n".join(lines), builder.as_markup()


def _short(brand: str) -> str:
    """Button labels are plain text; a long brand would push the action word out of sight."""
    return brand if len(brand) <= BUTTON_BRAND_LIMIT else brand[: BUTTON_BRAND_LIMIT - 1] + "…"


def build_router() -> Router:
    router = Router(name="reminders")
    router.message.register(checkin_command, Command("checkin"))
    router.message.register(calendar_command, Command("calendar"))
    router.message.register(reminders_command, Command("reminders"))
    router.callback_query.register(on_reminder_button, ReminderCb.filter())
    router.callback_query.register(
        on_preference, ReminderPrefCb.filter(F.action.in_({SNOOZE, MUTE, UNMUTE}))
    )
    return router
