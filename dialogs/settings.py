"""/settings and /lang: time zone, working hours and language, reusing the onboarding subdialogs."""

from __future__ import annotations

import html
from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Row, Start, SwitchTo

from bot.i18n import translator
from bot.timezones import zone_label
from bot.users import set_language
from dialogs.states import Settings, WorkHours, ZonePicker
from dialogs.widgets import T, i18n_of
from ui.context import context_of, use_language


async def settings_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    user = context_of(dialog_manager).user
    hours = (
        i18n(
            "settings.hours_value",
            start=user.work_start.strftime("%H:%M"),
            end=user.work_end.strftime("%H:%M"),
        )
        if user.work_start and user.work_end
        else i18n("settings.not_set")
    )
    return {
        "zone": html.escape(zone_label(user.timezone, i18n.language))
        if user.timezone
        else i18n("settings.not_set"),
        "hours": hours,
        "language_name": i18n("settings.language_name"),
    }


async def on_language(_: Any, button: Button, manager: DialogManager) -> None:
    ctx, language = context_of(manager), str(button.widget_id)
    await set_language(ctx.session, ctx.user, language)
    use_language(manager, translator(language))  # the rest of this update speaks the new one
    await manager.switch_to(Settings.menu)


def build_dialog() -> Dialog:
    return Dialog(
        Window(
            T("settings.menu"),
            Column(
                Start(
                    T("settings.change_zone"),
                    id="zone",
                    state=ZonePicker.pick,
                    data={"can_cancel": True},
                ),
                Start(
                    T("settings.change_hours"),
                    id="hours",
                    state=WorkHours.days,
                    data={"can_cancel": True},
                ),
                SwitchTo(T("settings.change_language"), id="lang", state=Settings.language),
                Cancel(T("common.close")),
            ),
            state=Settings.menu,
            getter=settings_getter,
            preview_data={
                "zone": "Москва (UTC+3)",
                "hours": "10:00–19:00",
                "language_name": "Русский",
            },
        ),
        Window(
            T("settings.pick_language"),
            Row(
                Button(T("settings.russian"), id="ru", on_click=on_language),
                Button(T("settings.english"), id="en", on_click=on_language),
            ),
            state=Settings.language,
        ),
    )
