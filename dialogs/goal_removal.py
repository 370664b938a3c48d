"""Removing a goal: pick which one, see what removing it does to the brief, confirm.

Started from the goals list with `{"project_id": int | None}` (None: the person's own goals).
A goal in a sent or signed brief version is never removed in one tap: the confirmation says the
brief changes after that version and must be signed again, and once confirmed the other side is
told, the reminders and check-ins drop the goal (`delete_goal` re-plans them), and /brief shows the brief as
changed since that version. Who may remove goals is `may_edit_goals`; ids from buttons are
re-checked against the project on every press.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Column, Row

from bot.db.models import Goal, Project
from bot.projects import load_project_for
from bot.projects.briefs import goal_standing
from bot.projects.goal_changes import remove_goal
from bot.projects.goals import find_goal, list_goals, may_edit_goals
from dialogs.states import GoalRemoval
from dialogs.widgets import Screen, T, choice_buttons, i18n_of
from ui.context import context_of
from ui.notices import tell_goals_changed

GOAL_KEY = "goal_id"
LABEL_LIMIT = 48


async def _project(manager: DialogManager) -> Project | None:
    ctx = context_of(manager)
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    project_id = start.get("project_id")
    if project_id is None:
        return None
    project, _role = await load_project_for(ctx.session, ctx.user, int(project_id))
    return project


async def _goal(manager: DialogManager, project: Project | None) -> Goal | None:
    ctx = context_of(manager)
    goal_id = manager.dialog_data.get(GOAL_KEY)
    if not isinstance(goal_id, int):
        return None
    return await find_goal(
        ctx.session,
        project_id=project.id if project else None,
        owner=ctx.user,
        goal_id=goal_id,
    )


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


async def pick_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    ctx = context_of(dialog_manager)
    project = await _project(dialog_manager)
    goals = await list_goals(
        ctx.session, project_id=project.id if project else None, owner=ctx.user
    )
    return {
        "goals": [
            (str(goal.id), f"{index}. {_short(goal.text)}") for index, goal in enumerate(goals, 1)
        ]
    }


async def confirm_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    project = await _project(dialog_manager)
    goal = await _goal(dialog_manager, project)
    if goal is None:
        return {"goal": "", "impact": i18n("goals.remove.gone")}
    impact = ""
    if project is not None:
        standing = await goal_standing(context_of(dialog_manager).session, project, goal.id)
        if standing.version is not None:
            key = "goals.remove.signed" if standing.signed else "goals.remove.sent"
            impact = i18n(key, number=standing.version)
    return {"goal": html.escape(goal.text), "impact": impact}


async def on_pick(callback: CallbackQuery, _: Any, manager: DialogManager, item_id: str) -> None:
    if not item_id.isdigit():
        return
    manager.dialog_data[GOAL_KEY] = int(item_id)
    await manager.switch_to(GoalRemoval.confirm)


async def on_confirm(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    ctx = context_of(manager)
    i18n = i18n_of(manager)
    user = ctx.user
    project = await _project(manager)
    if not may_edit_goals(project, user):
        await callback.answer(i18n("goals.read_only"), show_alert=True)
        await manager.done()
        return
    goal = await _goal(manager, project)
    if goal is None:
        await callback.answer(i18n("goals.remove.gone"), show_alert=True)
        await manager.done()
        return
    change = await remove_goal(ctx.session, project, goal, ctx.clock.now())
    await callback.answer(i18n("goals.remove.done"))
    if project is not None and change.version is not None:
        tell_goals_changed(
            ctx.notifier,
            project.client,
            project,
            removed=True,
            goal=change.text,
            version=change.version,
        )
    await manager.done()


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("goals.remove.pick"),
            choice_buttons("goal", "goals", on_pick, width=1),
            Cancel(T("common.back")),
            state=GoalRemoval.pick,
            getter=pick_getter,
            preview_data={"goals": [("1", "1. +300 подписчиков в ВК к концу квартала")]},
        ),
        Screen(
            T("goals.remove.confirm"),
            Column(
                Row(
                    Back(T("common.back")),
                    Button(T("goals.remove.yes"), id="yes", on_click=on_confirm),
                ),
            ),
            state=GoalRemoval.confirm,
            getter=confirm_getter,
            preview_data={
                "goal": "+300 подписчиков в ВК к концу квартала",
                "impact": "Она входит в подписанную версию 1 брифа.",
            },
        ),
    )
