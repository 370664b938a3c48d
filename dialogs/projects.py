"""/projects: the list of a person's projects and one project's card (progress, invite link).

Buttons carry only a list position or nothing at all; which project is meant comes from the dialog's
own stored data and is re-checked against membership on every event.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import Data, Dialog, DialogManager
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Column, Select, SwitchTo
from aiogram_dialog.widgets.text import Format

from bot.db.models import ProjectStatus, User
from bot.i18n import Translator, translator
from bot.projects import (
    close_invites,
    invite_client,
    invite_link,
    list_projects,
    load_answers,
    load_project_for,
)
from bot.projects.lifecycle import LifecycleOutcome, archive_project, restore_project
from bot.questionnaire.answers import JsonValue
from bot.questionnaire.flow import Flow
from bot.questionnaire.profile import profile_answers
from bot.roles import Role
from bot.timezones import DEFAULT_ZONE, zone_from_setting
from dialogs.states import Goals, Projects, Questionnaire
from dialogs.widgets import Screen, T, i18n_of
from ui.briefs import show_brief
from ui.context import context_of

PROJECT_KEY = "project_id"


def _project_id(manager: DialogManager) -> int:
    chosen = manager.dialog_data.get(PROJECT_KEY)
    if chosen is None and isinstance(manager.start_data, dict):
        chosen = manager.start_data.get(PROJECT_KEY)
    return int(chosen)  # type: ignore[arg-type]


async def list_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    ctx = context_of(dialog_manager)
    archived = dialog_manager.current_context().state == Projects.archived
    memberships = await list_projects(ctx.session, ctx.user, archived=archived)
    items = [
        (str(m.project.id), f"{m.project.brand[:40]} · {i18n(f'projects.role.{m.role}')}")
        for m in memberships
    ]
    return {"projects": items, "empty": not items}


async def card_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    ctx = context_of(dialog_manager)
    project, role = await load_project_for(ctx.session, ctx.user, _project_id(dialog_manager))
    answers = await load_answers(ctx.session, project.id)
    people = {Role.SPECIALIST: project.specialist, Role.CLIENT: project.client}
    missing = {r: _remaining(r, people[r], answers) for r in Role}
    client = project.client
    archived = project.status is ProjectStatus.ARCHIVED
    return {
        "brand": html.escape(project.brand),
        "active": not archived,
        "archived": archived,
        "can_archive": role is Role.SPECIALIST and not archived,
        "can_restore": role is Role.SPECIALIST and archived,
        "niche": html.escape(project.niche),
        "role": i18n(f"projects.role.{role}"),
        "client": html.escape(client.display_name) if client else i18n("projects.no_client"),
        "specialist_left": _left(i18n, missing[Role.SPECIALIST]),
        "client_left": _left(i18n, missing[Role.CLIENT]),
        "is_specialist": role is Role.SPECIALIST,
        "can_invite": role is Role.SPECIALIST and client is None and not archived,
    }


def _remaining(role: Role, person: User | None, answers: dict[str, JsonValue]) -> int:
    """The questions this side still gets asked — the count its questionnaire starts from:
    what their profile answers (zone, days, hours) is filled in, not asked."""
    known = (
        {}
        if person is None
        else profile_answers(
            role,
            timezone=person.timezone,
            work_days=person.work_days,
            work_start=person.work_start,
            work_end=person.work_end,
        )
    )
    return Flow(role, {**known, **answers}).remaining()


def _left(i18n: Translator, count: int) -> str:
    return i18n("projects.left", count=count) if count else i18n("projects.all_answered")


async def on_pick(_: CallbackQuery, __: Any, manager: DialogManager, item_id: str) -> None:
    ctx = context_of(manager)
    project, _role = await load_project_for(ctx.session, ctx.user, int(item_id))
    manager.dialog_data[PROJECT_KEY] = project.id
    await manager.switch_to(Projects.card)


async def on_continue(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await manager.start(Questionnaire.question, {PROJECT_KEY: _project_id(manager)})


async def on_goals(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    await manager.start(Goals.list, {PROJECT_KEY: _project_id(manager)})


async def on_brief(_: CallbackQuery, __: Button, manager: DialogManager) -> None:
    """What /brief sends, for this project rather than the latest one."""
    ctx = context_of(manager)
    clock = ctx.clock
    await show_brief(ctx.bot, ctx.session, ctx.user, _project_id(manager), clock.now())


async def on_invite(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    """The link goes in a message of its own, so the specialist can forward it as it is."""
    ctx = context_of(manager)
    i18n = i18n_of(manager)
    issued = await invite_client(ctx.session, ctx.user, _project_id(manager), ctx.clock.now())
    me = await ctx.bot.me()
    zone = zone_from_setting(ctx.user.timezone or DEFAULT_ZONE)
    await callback.message.answer(  # type: ignore[union-attr]
        i18n(
            "projects.invite",
            brand=html.escape(issued.project.brand),
            link=invite_link(me.username or "", issued.token),
            expires=i18n.format_datetime(issued.expires_at, zone),
        )
    )


async def on_revoke(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    ctx = context_of(manager)
    await close_invites(ctx.session, ctx.user, _project_id(manager), ctx.clock.now())
    await callback.answer(i18n_of(manager)("projects.revoked"), show_alert=True)


async def on_archive(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    ctx = context_of(manager)
    outcome = await archive_project(ctx.session, ctx.user, _project_id(manager), ctx.clock.now())
    await _lifecycle_done(callback, manager, outcome, "archived")


async def on_restore(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    ctx = context_of(manager)
    outcome = await restore_project(ctx.session, ctx.user, _project_id(manager), ctx.clock.now())
    await _lifecycle_done(callback, manager, outcome, "restored")


async def _lifecycle_done(
    callback: CallbackQuery, manager: DialogManager, outcome: LifecycleOutcome, what: str
) -> None:
    """The specialist sees it said and lands on the list; the client is told (after commit)."""
    brand = html.escape(outcome.project.brand)
    if outcome.notify is not None:
        i18n = translator(outcome.notify.language)
        context_of(manager).notifier.notify(
            outcome.notify, i18n(f"projects.{what}_notice", brand=brand)
        )
    await callback.answer(i18n_of(manager)(f"projects.{what}_done", brand=brand), show_alert=True)
    await manager.switch_to(Projects.list)


async def on_questionnaire_closed(_: Data, result: Any, manager: DialogManager) -> None:
    """When the client finishes their part, their specialist hears about it."""
    if not (isinstance(result, dict) and result.get("complete")):
        return
    ctx = context_of(manager)
    project, role = await load_project_for(ctx.session, ctx.user, _project_id(manager))
    if role is Role.CLIENT:
        specialist = project.specialist
        i18n = translator(specialist.language)
        notifier = ctx.notifier
        notifier.notify(
            specialist,
            i18n(
                "projects.client_done",
                client=html.escape(ctx.user.display_name),
                brand=html.escape(project.brand),
            ),
        )


def _project_list(widget_id: str) -> Column:
    """The live list and the archive pick a project the same way: the card opens for either."""
    return Column(
        Select(
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=lambda i: i[0],
            items="projects",
            on_click=on_pick,
        )
    )


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("projects.list"),
            T("projects.empty", when="empty"),
            _project_list("project"),
            SwitchTo(T("projects.archive_list_button"), id="archive", state=Projects.archived),
            Cancel(T("common.close")),
            state=Projects.list,
            getter=list_getter,
            preview_data={"projects": [("1", "Кофейня «Зерно» · вы специалист")], "empty": False},
        ),
        Screen(
            T("projects.card"),
            T("projects.archived_mark", when="archived"),
            Column(
                Button(T("projects.continue"), id="continue", on_click=on_continue, when="active"),
                Button(T("projects.goals"), id="goals", on_click=on_goals, when="active"),
                Button(T("signoff.card_button"), id="brief", on_click=on_brief),
                Button(
                    T("projects.invite_button"), id="invite", on_click=on_invite, when="can_invite"
                ),
                Button(
                    T("projects.revoke_button"), id="revoke", on_click=on_revoke, when="can_invite"
                ),
                SwitchTo(
                    T("projects.archive_button"),
                    id="to_archive",
                    state=Projects.archive_confirm,
                    when="can_archive",
                ),
                Button(
                    T("projects.restore_button"),
                    id="restore",
                    on_click=on_restore,
                    when="can_restore",
                ),
                SwitchTo(T("projects.to_list"), id="to_list", state=Projects.list),
            ),
            state=Projects.card,
            getter=card_getter,
            preview_data={
                "brand": "Кофейня «Зерно»",
                "niche": "кофе навынос",
                "role": "вы специалист",
                "client": "ещё не присоединился",
                "specialist_left": "осталось 3 вопроса",
                "client_left": "всё заполнено",
                "is_specialist": True,
                "can_invite": True,
                "active": True,
                "archived": False,
                "can_archive": True,
                "can_restore": False,
            },
        ),
        Screen(
            T("projects.archive_confirm"),
            Button(T("projects.archive_yes"), id="archive_yes", on_click=on_archive),
            Back(T("common.back")),
            state=Projects.archive_confirm,
            getter=card_getter,
        ),
        Screen(
            T("projects.archived_list"),
            T("projects.archived_empty", when="empty"),
            _project_list("archived_project"),
            SwitchTo(T("projects.to_list"), id="archived_to_list", state=Projects.list),
            state=Projects.archived,
            getter=list_getter,
        ),
        on_process_result=on_questionnaire_closed,
    )
