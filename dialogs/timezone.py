"""Time zone picker: a button, a typed offset or city, or a shared location.

A typed offset ("+5", "МСК+4", "UTC-3:30") is turned into the city zone it most likely means, and
the person confirms it with a tap after seeing the city and its local time — an offset names a
moment's difference, not a place, so the guess is shown before it is stored.
Started as a subdialog by onboarding and settings; returns `{"zone": <IANA name>}`. Started
with `RECORD_FLAG` (onboarding), it leaves «Часовой пояс: …» in place of its message.
"""

from __future__ import annotations

import html
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row, SwitchTo

from bot.projects.profile import change_zone
from bot.timezones import (
    COMMON_ZONES,
    DEFAULT_ZONE,
    NoZoneAtOffset,
    OffsetOutOfRange,
    find_city,
    is_iana_zone,
    parse_offset,
    zone_from_location,
    zone_from_setting,
    zone_label,
)
from dialogs.states import ZonePicker
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
from ui.context import context_of, optional_context
from ui.profile import profile_summary

#: dialog_data key of the zone a typed offset was read as, waiting for the person's yes.
GUESS_KEY = "zone_guess"


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


async def guess_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_of(dialog_manager)
    zone = str(dialog_manager.dialog_data.get(GUESS_KEY) or DEFAULT_ZONE)
    now = context_of(dialog_manager).clock.now()
    return {
        "zone": html.escape(zone_label(zone, i18n.language)),
        "now": i18n.format_datetime(now, zone_from_setting(zone)),
    }


async def _save(manager: DialogManager, zone: str) -> None:
    ctx = context_of(manager)
    # The projects' answers and the reminders follow the profile.
    await change_zone(ctx.session, ctx.user, zone, ctx.clock.now())
    if start_flag(manager, RECORD_FLAG):
        i18n = i18n_of(manager)
        await leave_record(
            manager, i18n("timezone.record", zone=profile_summary(i18n, ctx.user)["zone"])
        )
    await manager.done({"zone": zone})


async def on_zone_button(_: Any, __: Any, manager: DialogManager, item_id: str) -> None:
    await _save(manager, COMMON_ZONES[int(item_id)])


async def on_zone_text(message: Message, _: MessageInput, manager: DialogManager) -> None:
    i18n = i18n_of(manager)
    text = message.text or ""
    try:
        guess = parse_offset(text, context_of(manager).clock.now())
    except NoZoneAtOffset:
        await message.answer(i18n("timezone.error.no_such_offset"))
        return
    except OffsetOutOfRange:
        await message.answer(i18n("timezone.error.offset_range"))
        return
    if guess is not None:
        manager.dialog_data[GUESS_KEY] = guess
        await manager.switch_to(ZonePicker.confirm)
        return
    zone = find_city(text)
    if zone is None:
        await message.answer(i18n("timezone.error.unknown"))
        return
    await _save(manager, zone)


async def on_accept_guess(_: Any, __: Button, manager: DialogManager) -> None:
    guess = manager.dialog_data.pop(GUESS_KEY, None)
    if isinstance(guess, str) and is_iana_zone(guess):
        await _save(manager, guess)
    else:
        await manager.switch_to(ZonePicker.pick)


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
        Screen(
            T("timezone.prompt"),
            T("timezone.current", when="has_current"),
            choice_buttons("zone", "zones", on_zone_button),
            Cancel(T("common.back"), when="can_cancel"),
            MessageOf(on_zone_text, ContentType.TEXT),
            MessageOf(on_location, ContentType.LOCATION),
            MessageInput(on_other_content),
            state=ZonePicker.pick,
            getter=zones_getter,
            preview_data={"zones": [("0", "Москва (UTC+3)")], "current": "", "has_current": False},
        ),
        Screen(
            T("timezone.confirm"),
            Row(
                Button(T("timezone.accept"), id="accept", on_click=on_accept_guess),
                SwitchTo(T("timezone.other"), id="other", state=ZonePicker.pick),
            ),
            MessageOf(on_zone_text, ContentType.TEXT),
            MessageOf(on_location, ContentType.LOCATION),
            MessageInput(on_other_content),
            state=ZonePicker.confirm,
            getter=guess_getter,
            preview_data={"zone": "Екатеринбург (UTC+5)", "now": "3 декабря 2026, 14:05"},
        ),
    )
