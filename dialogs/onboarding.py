"""First contact: greeting, role, time zone and, for a specialist, working hours.

The time zone and hours steps are shared subdialogs, so /settings changes them with the same windows.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram_dialog import Data, Dialog, DialogManager
from aiogram_dialog.widgets.kbd import Button, Column

from bot.users import finish_onboarding, set_role
from dialogs.states import Onboarding, WorkHours, ZonePicker
from dialogs.widgets import Screen, T, i18n_of
from ui.context import context_of, optional_context
from ui.profile import profile_summary


async def name_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    ctx = optional_context(dialog_manager)  # None in aiogram-dialog's preview
    user = ctx.user if ctx is not None else None
    return {
        "name": html.escape(user.display_name) if user is not None else "",
        "specialist": bool(user is not None and user.is_specialist),
    }


async def done_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The last screen recaps what was just set, so a wrong tap is visible (and /settings fixes it)."""
    user = context_of(dialog_manager).user
    return {
        **await name_getter(dialog_manager),
        **profile_summary(i18n_of(dialog_manager), user),
    }


async def on_role(_: Any, button: Button, manager: DialogManager) -> None:
    ctx = context_of(manager)
    await set_role(ctx.session, ctx.user, specialist=button.widget_id == "specialist")
    await manager.start(ZonePicker.pick)


async def on_step_done(_: Data, result: Any, manager: DialogManager) -> None:
    """Called when the zone or hours subdialog closes; decides the next onboarding step."""
    ctx = context_of(manager)
    user = ctx.user
    if isinstance(result, dict) and "zone" in result and user.is_specialist:
        await manager.start(WorkHours.days)
        return
    if isinstance(result, dict):
        await finish_onboarding(ctx.session, user)
        await manager.switch_to(Onboarding.done)


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("onboarding.greeting"),
            T("onboarding.ask_role"),
            Column(
                Button(T("onboarding.role_specialist"), id="specialist", on_click=on_role),
                Button(T("onboarding.role_client"), id="client", on_click=on_role),
            ),
            state=Onboarding.role,
            getter=name_getter,
            preview_data={"name": "Анна", "specialist": True},
        ),
        Screen(
            T("onboarding.done_specialist", when="specialist"),
            T("onboarding.done_client", when=lambda data, *_: not data["specialist"]),
            T("onboarding.recap_specialist", when="specialist"),
            T("onboarding.recap_client", when=lambda data, *_: not data["specialist"]),
            state=Onboarding.done,
            getter=done_getter,
            preview_data={
                "name": "Анна",
                "specialist": True,
                "zone": "Москва (UTC+3)",
                "days": "пн, вт, ср, чт, пт",
                "hours": "10:00–19:00",
            },
        ),
        on_process_result=on_step_done,
    )
