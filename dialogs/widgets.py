"""Widgets shared by the dialogs: catalog-backed text."""

from __future__ import annotations

import operator
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.kbd import Group, Select
from aiogram_dialog.widgets.text import Format, Text

from bot.i18n import Translator, translator


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
