"""Working days and hours: when the bot may write to this person.

Started as a subdialog by onboarding and settings; returns `{"hours": {...}}`; with `RECORD_FLAG`
(onboarding) each answered step leaves a one-line record and the next comes as a new message. Days are kept as
`date.weekday()` numbers (0 = Monday), the same shape the questionnaire stores.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Group, Multiselect, Row
from aiogram_dialog.widgets.text import Format

from bot.projects.profile import change_work_days, change_work_hours
from bot.questionnaire.answers import AnswerError
from bot.questionnaire.hours import Hours, parse_hours
from bot.users import clean_work_days
from dialogs.states import WorkHours
from dialogs.widgets import (
    RECORD_FLAG,
    MessageOf,
    Screen,
    T,
    choice_buttons,
    i18n_of,
    leave_record,
    start_flag,
)
from ui.context import context_of
from ui.profile import profile_summary

DEFAULT_DAYS = ("0", "1", "2", "3", "4")
QUICK_HOURS = (Hours(time(9), time(18)), Hours(time(10), time(19)), Hours(time(10), time(20)))
HOURS_EXAMPLE = "10-19"


async def on_start(_: Any, manager: DialogManager) -> None:
    user = context_of(manager).user
    days = manager.find("days")
    stored = clean_work_days(user.work_days)
    for day in [str(d) for d in stored] if stored else DEFAULT_DAYS:
        await days.set_checked(day, True)  # type: ignore[union-attr]


async def days_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    names = i18n_of(dialog_manager).locale.days["format"]["abbreviated"]
    return {
        "days": [(str(day), names[day]) for day in range(7)],
        "can_cancel": start_flag(dialog_manager, "can_cancel"),
    }


async def hours_getter(**_: Any) -> dict[str, Any]:
    return {
        "quick": [(str(i), f"{h.start:%H:%M}–{h.end:%H:%M}") for i, h in enumerate(QUICK_HOURS)]
    }


async def on_days_next(callback: CallbackQuery, _: Button, manager: DialogManager) -> None:
    checked = manager.find("days").get_checked()  # type: ignore[union-attr]
    # Ticks are dialog state and may predate the screen's check of what it offers.
    days = clean_work_days(int(day) for day in checked if day.isdigit() and len(day) == 1)
    if not days:
        await callback.answer(i18n_of(manager)("hours.days_empty"), show_alert=True)
        return
    ctx = context_of(manager)
    await change_work_days(ctx.session, ctx.user, days, ctx.clock.now())
    if start_flag(manager, RECORD_FLAG):
        i18n = i18n_of(manager)
        days_text = profile_summary(i18n, ctx.user)["days"]
        await leave_record(manager, i18n("hours.days_record", days=days_text))
    await manager.next()


async def _save(manager: DialogManager, hours: Hours) -> None:
    ctx = context_of(manager)
    # The projects' answers and the reminders follow the profile.
    await change_work_hours(ctx.session, ctx.user, hours.start, hours.end, ctx.clock.now())
    if start_flag(manager, RECORD_FLAG):
        i18n = i18n_of(manager)
        shown = profile_summary(i18n, ctx.user)["hours"]
        await leave_record(manager, i18n("hours.hours_record", hours=shown))
    await manager.done({"hours": hours.to_json()})


async def on_quick(_: CallbackQuery, __: Any, manager: DialogManager, item_id: str) -> None:
    await _save(manager, QUICK_HOURS[int(item_id)])


async def on_hours_text(message: Message, _: MessageInput, manager: DialogManager) -> None:
    parsed = parse_hours(message.text or "")
    if isinstance(parsed, AnswerError):
        i18n = i18n_of(manager)
        await message.answer(
            i18n(f"questionnaire.error.{parsed.code}", **parsed.params, example=HOURS_EXAMPLE)
        )
        return
    await _save(manager, parsed)


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("hours.error_content"))


def build_dialog() -> Dialog:
    return Dialog(
        Screen(
            T("hours.days_prompt"),
            Group(
                Multiselect(
                    Format("✅ {item[1]}"),
                    Format("{item[1]}"),
                    id="days",
                    item_id_getter=lambda item: item[0],
                    items="days",
                ),
                width=4,
            ),
            Row(
                Cancel(T("common.back"), when="can_cancel"),
                Button(T("common.next"), id="next", on_click=on_days_next),
            ),
            MessageInput(on_other_content),
            state=WorkHours.days,
            getter=days_getter,
            preview_data={
                "days": [
                    (str(d), n) for d, n in enumerate(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))
                ]
            },
        ),
        Screen(
            T("hours.hours_prompt"),
            choice_buttons("quick", "quick", on_quick, width=3),
            Back(T("common.back")),
            MessageOf(on_hours_text, ContentType.TEXT),
            MessageInput(on_other_content),
            state=WorkHours.hours,
            getter=hours_getter,
            preview_data={"quick": [("0", "09:00–18:00")]},
        ),
        on_start=on_start,
    )
