"""Widgets shared by the dialogs: catalog-backed text, choice buttons, and the window every dialog
uses, which acts only on the buttons it offers."""

from __future__ import annotations

import logging
import operator
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, Window
from aiogram_dialog.api.entities import MarkupVariant
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.input.base import MessageHandlerFunc
from aiogram_dialog.widgets.kbd import Group, Select
from aiogram_dialog.widgets.text import Format, Text

from bot.i18n import Translator, translator
from dialogs.drawn_keyboards import KEY as DRAWN_KEY
from dialogs.drawn_keyboards import DrawnKeyboards
from dialogs.screen_scoped import ScreenScoped
from ui.context import context_of

log = logging.getLogger(__name__)
#: How much of a refused button's data goes into the log (Telegram allows 64 bytes anyway).
LOGGED_DATA = 64


def i18n_of(manager: DialogManager) -> Translator:
    """The user's translator; the default one where there is no user (aiogram-dialog-preview)."""
    found = manager.middleware_data.get("i18n")
    return found if isinstance(found, Translator) else translator("ru")


class T(Text):
    """A catalog key rendered with the window's data as format parameters.

    Getters pass user text already HTML-escaped, so the catalog stays free of escaping concerns.
    """

    def __init__(self, key: str, when: WhenCondition = None) -> None:
        super().__init__(when=when)
        self.key = key

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return i18n_of(manager)(self.key, **data)


class _ContentTypes(Filter):
    def __init__(self, content_types: tuple[str, ...]) -> None:
        self._content_types = frozenset(content_types)

    async def __call__(self, message: Message) -> bool:
        return message.content_type in self._content_types


class MessageOf(MessageInput):
    """`MessageInput` for messages of the given content types, checked in a coroutine.

    MessageInput's own `content_types` check is a magic filter, and aiogram runs every filter that
    is not a coroutine in a worker thread: a thread hop, and a wake-up of the event loop, on every
    typed answer."""

    def __init__(self, func: MessageHandlerFunc, *content_types: str) -> None:
        super().__init__(func, filter=_ContentTypes(content_types))


#: Start-data flag of the zone and hours subdialogs: leave a record of each answer (onboarding),
#: rather than edit one message on from step to step (/settings, which shows the values anyway).
RECORD_FLAG = "leave_record"


def start_flag(manager: DialogManager, name: str) -> bool:
    """A boolean passed in `start_data` by whoever started the dialog (e.g. `can_cancel`)."""
    data = manager.start_data
    return isinstance(data, dict) and bool(data.get(name))


def choice_buttons(
    widget_id: str, items: str, on_click: Any, *, width: int = 2, when: WhenCondition = None
) -> Group:
    """Buttons for a list of `(id, label)` pairs from the getter; pressing one calls `on_click`
    with the id. Ids are short keys or list positions, never anything to trust on their own."""
    return Group(
        Select(
            Format("{item[1]}"),
            id=widget_id,
            item_id_getter=operator.itemgetter(0),
            items=items,
            on_click=on_click,
        ),
        width=width,
        when=when,
    )


async def leave_record(manager: DialogManager, text: str) -> None:
    """Turn the dialog's message into a record of the answer just given (``text``, no buttons)
    and have the next screen sent as a new message, so the chat keeps what was asked and
    answered instead of one message edited from step to step (onboarding).

    The edit itself commits what was answered first (`CommitBeforeShowing`)."""
    message_id = manager.current_stack().last_message_id
    ctx = context_of(manager)
    if message_id is not None:
        try:
            await ctx.bot.edit_message_text(
                text=text, chat_id=ctx.user.telegram_id, message_id=message_id
            )
        except TelegramBadRequest as error:  # deleted or too old: the next screen comes anyway
            log.info("no record left in place of message %s: %s", message_id, error.message)
    manager.show_mode = ShowMode.SEND


class Screen(Window):
    """A window that acts only on the buttons it offers.

    aiogram-dialog hands a press to the widget whose id starts the callback data and passes the rest
    on as it came: a forged `days:99999999999999999999` ticks a day that does not exist, `zone:-1`
    picks a zone by a negative index, and a button hidden by `when` still works. So before any
    handler runs, the keyboard is drawn again from the window's getter — the same items, the same
    `when` conditions the person was shown — and a press whose data is not on it changes nothing:
    the person gets a short alert, and the current screen is shown again unless the press came from
    it (an edit that changes nothing is refused by Telegram).
    """

    async def render_kbd(self, data: dict[str, Any], manager: DialogManager) -> MarkupVariant:
        """aiogram-dialog's, remembering what was drawn (see `dialogs.drawn_keyboards`)."""
        rows = await self.keyboard.render_keyboard(data, manager)
        drawn = _drawn_keyboards(manager)
        if drawn is not None:
            drawn.remember(_screen(self, manager), rows)
        return await self.markup_factory.render_markup(data, manager, rows)

    async def process_callback(
        self, callback: CallbackQuery, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        data = callback.data or ""
        if self._from_another_screen(data, manager) or await self._offers(data, dialog, manager):
            return await super().process_callback(callback, dialog, manager)
        log.warning(
            "refused a button %s does not offer: user %s, data %r",
            self.state.state,
            callback.from_user.id,
            (callback.data or "")[:LOGGED_DATA],
        )
        await callback.answer(i18n_of(manager)("common.not_offered"), show_alert=True)
        on_show = manager.current_stack().last_message_id
        if callback.message is not None and callback.message.message_id == on_show:
            manager.show_mode = ShowMode.NO_UPDATE  # the screen is there, unchanged: no edit
        return False  # otherwise (an older message) aiogram-dialog shows the current screen

    def _from_another_screen(self, data: str, manager: DialogManager) -> bool:
        """A button of a `ScreenScoped` keyboard drawn for an earlier screen of this window: it
        says so itself (and shows the current step), which is kinder than "not offered"."""
        return any(
            isinstance(widget, ScreenScoped) and widget.drawn_for_another_screen(data, manager)
            for widget in self._keyboards()
        )

    def _keyboards(self) -> list[Any]:
        keyboard = self.keyboard
        if keyboard is None:
            return []
        return [keyboard, *getattr(keyboard, "buttons", ())]

    async def _offers(self, data: str, dialog: DialogProtocol, manager: DialogManager) -> bool:
        """Whether the screen as it was drawn, here and last, has a button with this data; if it
        was not drawn here, whether the keyboard drawn now has one."""
        drawn = _drawn_keyboards(manager)
        offered = drawn.offered(_screen(self, manager)) if drawn is not None else None
        if offered is not None:
            return data in offered
        return await self.offers(data, dialog, manager)

    async def offers(self, data: str, dialog: DialogProtocol, manager: DialogManager) -> bool:
        """Whether the keyboard this window draws now has a button with this callback data (the
        dialog's intent id already removed)."""
        if not self.keyboard:
            return False
        rows = await self.keyboard.render_keyboard(await self.load_data(dialog, manager), manager)
        return any(getattr(button, "callback_data", None) == data for row in rows for button in row)


def _drawn_keyboards(manager: DialogManager) -> DrawnKeyboards | None:
    """None in aiogram-dialog's preview, which runs no middleware."""
    found = manager.middleware_data.get(DRAWN_KEY)
    return found if isinstance(found, DrawnKeyboards) else None


def _screen(window: Window, manager: DialogManager) -> tuple[str, str]:
    return manager.current_context().id, window.get_state().state or ""
