"""Buttons that only work on the screen they were drawn for.

aiogram-dialog addresses a button by dialog and widget, not by what the screen showed: one window
that asks question after question draws the same «Skip» for every question, so a press on an old
message (one whose keyboard a crash kept from being removed, or a copied one) would act on
whichever question is current. `ScreenScoped` puts a short tag of the screen (given by `tag`, e.g.
the question's key) into every button's callback data and checks it when a button is pressed: a
press from another screen runs no handler; `on_stale` tells the person, and the dialog shows the
current screen again.
"""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import CallbackQuery, InlineKeyboardButton, KeyboardButton
from aiogram_dialog import DialogManager
from aiogram_dialog.api.internal import RawKeyboard
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.widgets.kbd import Keyboard

TagOf = Callable[[DialogManager], str]
OnStale = Callable[[CallbackQuery, DialogManager], Awaitable[None]]


def screen_tag(name: str) -> str:
    """Six hex digits of a screen's name: short enough for Telegram's 64 bytes of callback data,
    long enough that two screens of one dialog practically never share one."""
    return f"{zlib.crc32(name.encode()) & 0xFFFFFF:06x}"


def _scoped(button: InlineKeyboardButton | KeyboardButton, prefix: str) -> Any:
    if isinstance(button, InlineKeyboardButton) and button.callback_data is not None:
        return button.model_copy(update={"callback_data": prefix + button.callback_data})
    return button


class ScreenScoped(Keyboard):
    def __init__(self, inner: Keyboard, tag: TagOf, on_stale: OnStale, id: str = "s") -> None:
        super().__init__(id=id)
        self._inner = inner
        self._tag = tag
        self._on_stale = on_stale

    async def _render_keyboard(self, data: dict[str, Any], manager: DialogManager) -> RawKeyboard:
        prefix = f"{self.widget_id}:{self._tag(manager)}:"
        rows = await self._inner.render_keyboard(data, manager)
        return [[_scoped(button, prefix) for button in row] for row in rows]

    def drawn_for_another_screen(self, data: str, manager: DialogManager) -> bool:
        """Whether this callback data is one of ours, drawn for a screen other than the current
        one: such a press is stale, not forged, and is answered as stale (`on_stale`)."""
        own, _, rest = data.partition(":")
        return own == self.widget_id and rest.partition(":")[0] != self._tag(manager)

    async def _process_item_callback(
        self, callback: CallbackQuery, data: str, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        tag, _, inner_data = data.partition(":")
        if tag != self._tag(manager):
            await self._on_stale(callback, manager)
            return True  # handled: the dialog shows the current screen again
        inner = callback.model_copy(update={"data": inner_data})
        return await self._inner.process_callback(inner, dialog, manager)

    def find(self, widget_id: str) -> Any:
        """The wrapped widgets stay reachable by their own ids (`manager.find("multi")`)."""
        return super().find(widget_id) or self._inner.find(widget_id)
