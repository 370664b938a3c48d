"""/settings and /lang: time zone, working days and hours, language, reusing the onboarding
subdialogs. What it shows is the person's one profile: the same values the questionnaire's
availability answers hold and every reminder is planned by (`bot.projects.profile`)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Row, Start, SwitchTo

from bot.commands import set_chat_menu
from bot.i18n import translator
from bot.reminders.planning import set_weekly_digest
from bot.users import set_language
from dialogs.states import Settings, WorkHours, ZonePicker
from dialogs.widgets import Screen, T, i18n_of
from ui.context import context_of, use_language
from ui.profile import profile_summary


async def settings_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    user = context_of(dialog_manager).user
    return {
        **profile_summary(i18n, user),
        "language_name": i18n("settings.language_name"),
        "is_specialist": user.is_specialist,
        "digest": i18n("settings.digest_on" if user.weekly_digest else "settings.digest_off"),
    }


async def on_digest(_: Any, __: Button, manager: DialogManager) -> None:
    """The specialist's Monday summary, on or off; the menu redraws with the new state."""
    ctx = context_of(manager)
    await set_weekly_digest(ctx.session, ctx.user, not ctx.user.weekly_digest, ctx.clock.now())


async def on_language(_: Any, button: Button, manager: DialogManager) -> None:
    ctx, language = context_of(manager), str(button.widget_id)
    await set_language(ctx.session, ctx.user, language)
    use_language(manager, translator(language))  # the rest of this update speaks the new one
    await set_chat_menu(ctx.bot, ctx.user.telegram_id, language)  # ☰ Menu follows
    await manager.switch_to(Settings.menu)


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
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
                Button(
                    T("settings.digest_button"),
                    id="digest",
                    on_click=on_digest,
                    when="is_specialist",
                ),
                Cancel(T("common.close")),
            ),
            state=Settings.menu,
            getter=settings_getter,
            preview_data={
                "zone": "Москва (UTC+3)",
                "days": "пн–пт",
                "hours": "10:00–19:00",
                "language_name": "Русский",
                "is_specialist": True,
                "digest": "вкл.",
            },
        ),
        Screen(
            T("settings.pick_language"),
            Row(
                Button(T("settings.russian"), id="ru", on_click=on_language),
                Button(T("settings.english"), id="en", on_click=on_language),
            ),
            state=Settings.language,
        ),
    )
