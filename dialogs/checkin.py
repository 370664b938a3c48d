"""The check-in: the specialist types the current value of each goal of the signed brief.

One window walks the goals in the brief's order. Every value is stored as soon as it is typed
(a check-in cut short keeps what was entered), and answered at once with the goal's progress and
pace — on track / at risk / behind, or the outcome once the deadline has passed — under a chart
of the values so far against the line from baseline to target. When the walk ends the client
gets a short summary in their own language.

Numbers are read only by ``bot.numbers.parse_number`` («1,2к» is 1200). Start data:
``{"project_id": int}``; every step re-loads the project for the specialist role, so a dialog
left open after the person lost access does nothing.
"""

from __future__ import annotations

import asyncio
import html
from typing import Any

from aiogram import Bot
from aiogram.enums import ContentType
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row

from bot.briefs.view import format_amount
from bot.db.models import Project
from bot.i18n import Translator, translator
from bot.numbers import parse_number
from bot.projects import load_project_for
from bot.reminders.chart import ChartLabels, progress_chart
from bot.reminders.checkins import GoalProgress, goal_progress, record_checkin
from bot.reminders.goal_line import SignedGoal, final_value
from bot.reminders.messages import amount, goal_name, reading_text
from bot.reminders.planning import SignedVersion, latest_signed_version, local_date, zone_of
from bot.roles import Role
from dialogs.states import Checkins
from dialogs.widgets import MessageOf, Screen, T, i18n_of
from ui.context import context_of

PROJECT_KEY = "project_id"
INDEX_KEY = "index"
ENTERED_KEY = "entered"
CHART_TITLE_LIMIT = 60


async def _scope(manager: DialogManager) -> tuple[Project, SignedVersion]:
    ctx = context_of(manager)
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    project, _ = await load_project_for(
        ctx.session, ctx.user, int(start.get(PROJECT_KEY, 0)), role=Role.SPECIALIST
    )
    signed = await latest_signed_version(ctx.session, project.id)
    if signed is None:
        raise LookupError("check-ins are started only for signed briefs")
    return project, signed


async def _progress(
    manager: DialogManager, project: Project, signed: SignedVersion, goal: SignedGoal
) -> GoalProgress:
    ctx = context_of(manager)
    clock = ctx.clock
    specialist = project.specialist
    today = local_date(specialist, clock.now())
    return await goal_progress(ctx.session, project.id, signed, goal, zone_of(specialist), today)


def _target(i18n: Translator, goal: SignedGoal) -> str:
    if goal.baseline is not None:
        return amount(i18n, goal, final_value(goal, goal.baseline))
    shown = str(format_amount(i18n, goal.target, goal.unit))
    return f"+{shown}" if goal.target_is_gain else shown


async def value_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    project, signed = await _scope(dialog_manager)
    goals = signed.goals
    index = int(dialog_manager.dialog_data.get(INDEX_KEY, 0))
    goal = goals[min(index, len(goals) - 1)]
    progress = await _progress(dialog_manager, project, signed, goal)
    if progress.points:
        day, value = progress.points[-1]
        last = i18n(
            "checkin.last", value=amount(i18n, goal, value), when=i18n.format_short_date(day)
        )
    else:
        last = i18n("checkin.no_last")
    return {
        "brand": html.escape(project.brand),
        "number": index + 1,
        "total": len(goals),
        "goal": goal_name(goal),
        "target": _target(i18n, goal),
        "deadline": i18n.format_date(goal.deadline),
        "last": last,
        "ask": i18n(_ask_key(goal)),
    }


def _ask_key(goal: SignedGoal) -> str:
    """What a value means for this kind: an addition to a total, a period's figure, a level."""
    if goal.cumulative:
        return "checkin.ask_added"
    if goal.kind == "rate" and goal.period:
        return f"checkin.ask_period_{goal.period}"
    return "checkin.ask_value"


async def on_value(message: Message, _: MessageInput, manager: DialogManager) -> None:
    i18n = i18n_of(manager)
    value = parse_number(message.text or "")
    if value is None:
        await message.answer(i18n("checkin.not_a_number"))
        return
    ctx = context_of(manager)
    project, signed = await _scope(manager)
    goal = signed.goals[int(manager.dialog_data.get(INDEX_KEY, 0))]
    clock = ctx.clock
    user = ctx.user
    await record_checkin(ctx.session, project.id, goal.goal_id, value, user, clock.now())
    manager.dialog_data.setdefault(ENTERED_KEY, []).append(goal.goal_id)
    progress = await _progress(manager, project, signed, goal)
    await _show(ctx.bot, user.telegram_id, i18n, progress)
    await _advance(manager, project, signed)


async def _show(bot: Bot, chat_id: int, i18n: Translator, progress: GoalProgress) -> None:
    """The reading, under the chart when the goal has a line to draw."""
    text = reading_text(i18n, progress)
    if progress.line is None:
        await bot.send_message(chat_id, text)
        return
    title = progress.goal.text[:CHART_TITLE_LIMIT].replace("$", r"\$")  # no mathtext
    labels = ChartLabels(title, i18n("checkin.chart_values"), i18n("checkin.chart_line"))
    png = await asyncio.to_thread(progress_chart, progress.line, progress.points, labels)
    photo = BufferedInputFile(png, filename=f"checkin-{progress.goal.goal_id}.png")
    await bot.send_photo(chat_id, photo, caption=text)


async def on_skip(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    project, signed = await _scope(manager)
    await _advance(manager, project, signed)


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("checkin.content"))


async def _advance(manager: DialogManager, project: Project, signed: SignedVersion) -> None:
    index = int(manager.dialog_data.get(INDEX_KEY, 0)) + 1
    if index < len(signed.goals):
        manager.dialog_data[INDEX_KEY] = index
        return
    await _finish(manager, project, signed)


async def _finish(manager: DialogManager, project: Project, signed: SignedVersion) -> None:
    ctx = context_of(manager)
    i18n = i18n_of(manager)
    bot = ctx.bot
    user = ctx.user
    entered = set(manager.dialog_data.get(ENTERED_KEY, []))
    if not entered:
        await bot.send_message(user.telegram_id, i18n("checkin.nothing"))
        await manager.done()
        return
    client = project.client
    if client is not None:
        their = translator(client.language)
        lines = [
            reading_text(their, await _progress(manager, project, signed, goal))
            for goal in signed.goals
            if goal.goal_id in entered
        ]
        notifier = ctx.notifier
        notifier.notify(
            client,
            their(
                "checkin.client_summary",
                brand=html.escape(project.brand),
                name=html.escape(user.display_name),
                lines="\n".join(lines),
            ),
        )
        done = i18n("checkin.done_client", name=html.escape(client.display_name))
    else:
        done = i18n("checkin.done")
    await bot.send_message(user.telegram_id, done)
    await manager.done()


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("checkin.prompt"),
            Row(
                Button(T("checkin.skip"), id="skip", on_click=on_skip), Cancel(T("checkin.cancel"))
            ),
            MessageOf(on_value, ContentType.TEXT),
            MessageInput(on_other_content),
            state=Checkins.value,
            getter=value_getter,
            preview_data={
                "brand": "Кофейня «Зерно»",
                "number": 1,
                "total": 2,
                "goal": "1 500 подписчиков в VK к 30 сентября",
                "target": "1 500",
                "deadline": "30 сентября 2026",
                "last": "",
                "ask": "Введите текущее значение, например «1200» или «1,2к».",
            },
        ),
    )
