"""Time zone picker: a button, a typed offset or city, or a shared location.

Started as a subdialog by onboarding and settings; returns `{"zone": <setting>}`.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Cancel

from bot.reminders.planning import refresh_user
from bot.timezones import (
    COMMON_ZONES,
    OffsetOutOfRange,
    find_city,
    parse_offset,
    zone_from_location,
    zone_label,
)
from bot.users import set_timezone
from dialogs.states import ZonePicker
from dialogs.widgets import T, choice_buttons, i18n_of, start_flag
from ui.context import context_of, optional_context


async def zones_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    ctx = optional_context(dialog_manager)  # None in aiogram-dialog's preview
    user = ctx.user if ctx is not None else None
    current = user.timezone if user is not None and user.timezone else None
    return {
        "zones": [(str(i), zone_label(zone, i18n.language)) for i, zone in enumerate(COMMON_ZONES)],
        "current": html.escape(zone_label(current, i18n.language)) if current else "",
        "has_current": current is not None,
        "can_cancel": start_flag(dialog_manager, "can_cancel"),
    }


async def _save(manager: DialogManager, zone: str) -> None:
    ctx = context_of(manager)
    await set_timezone(ctx.session, ctx.user, zone)
    await refresh_user(ctx.session, ctx.user, ctx.clock.now())  # reminders follow
    await manager.done({"zone": zone})


async def on_zone_button(_: Any, __: Any, manager: DialogManager, item_id: str) -> None:
    await _save(manager, COMMON_ZONES[int(item_id)])


async def on_zone_text(message: Message, _: MessageInput, manager: DialogManager) -> None:
    i18n = i18n_of(manager)
    text = message.text or ""
    try:
        zone = parse_offset(text) or find_city(text)
    except OffsetOutOfRange:
        await message.answer(i18n("timezone.error.offset_range"))
        return
    if zone is None:
        await message.answer(i18n("timezone.error.unknown"))
        return
    await _save(manager, zone)


async def on_location(message: Message, _: MessageInput, manager: DialogManager) -> None:
    location = message.location
    zone = zone_from_location(location.latitude, location.longitude) if location else None
    if zone is None:
        await message.answer(i18n_of(manager)("timezone.error.location"))
        return
    await _save(manager, zone)


async def on_other_content(message: Message, _: MessageInput, manager: DialogManager) -> None:
    await message.answer(i18n_of(manager)("timezone.error.content"))


def build_dialog() -> Dialog:
    return Dialog(
        Window(
            T("timezone.prompt"),
            T("timezone.current", when="has_current"),
            choice_buttons("zone", "zones", on_zone_button),
            Cancel(T("common.back"), when="can_cancel"),
            MessageInput(on_zone_text, content_types=ContentType.TEXT),
            MessageInput(on_location, content_types=ContentType.LOCATION),
            MessageInput(on_other_content),
            state=ZonePicker.pick,
            getter=zones_getter,
            preview_data={"zones": [("0", "Москва (UTC+3)")], "current": "", "has_current": False},
        ),
    )
