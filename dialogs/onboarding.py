"""First contact: greeting, role, time zone and, for a specialist, working days and hours.

The time zone and hours steps are shared subdialogs, so /settings changes them with the same windows.
Here each answered step leaves a one-line record in the chat and the next comes as a new message
(the history reads as asked and answered); the end recaps everything in one message.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram_dialog import Data, Dialog, DialogManager
from aiogram_dialog.widgets.kbd import Button, Column

from bot.users import finish_onboarding, set_role
from dialogs.states import Onboarding, WorkHours, ZonePicker
from dialogs.widgets import RECORD_FLAG, Screen, T, i18n_of, leave_record
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
    """The last screen recaps what was just set — role, language, zone, days and hours — so a
    wrong tap is visible (and /settings fixes it)."""
    i18n = i18n_of(dialog_manager)
    user = context_of(dialog_manager).user
    return {
        **await name_getter(dialog_manager),
        **profile_summary(i18n, user),
        "language": i18n("onboarding.language_name"),
    }


async def on_role(_: Any, button: Button, manager: DialogManager) -> None:
    """The greeting stays in the chat with the answer under it; the zone comes as a new message."""
    ctx = context_of(manager)
    specialist = button.widget_id == "specialist"
    await set_role(ctx.session, ctx.user, specialist=specialist)
    i18n = i18n_of(manager)
    greeting = i18n("onboarding.greeting", name=html.escape(ctx.user.display_name))
    answered = i18n(f"onboarding.role_answered_{'specialist' if specialist else 'client'}")
    await leave_record(manager, f"{greeting}\n\n{answered}")
    await manager.start(ZonePicker.pick, {RECORD_FLAG: True})


async def on_step_done(_: Data, result: Any, manager: DialogManager) -> None:
    """Called when the zone or hours subdialog closes; decides the next onboarding step."""
    ctx = context_of(manager)
    user = ctx.user
    if isinstance(result, dict) and "zone" in result and user.is_specialist:
        await manager.start(WorkHours.days, {RECORD_FLAG: True})
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
            state=Onboarding.done,
            getter=done_getter,
            preview_data={
                "name": "Анна",
                "specialist": True,
                "zone": "Москва (UTC+3)",
                "days": "пн–пт",
                "hours": "10:00–19:00",
                "language": "русский",
            },
        ),
        on_process_result=on_step_done,
    )
