"""The project picker: one button per project, for every command that works on one project.

/checkin, /goals and /brief ask «which project?» the same way when a person has several, so
nobody acts on the wrong client's project because it happened to be the newest. Each command
brings its own callback data (what a press opens); the handler behind it re-checks membership.
Callers pass the projects already filtered (archived ones are never in ``list_projects``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import Project
from bot.limits import cut_plain

#: More would push the chat away; the newest come first, the rest are in /projects.
PROJECT_BUTTONS = 8
#: A button label is plain text; a long brand is cut so the keyboard stays one column.
BUTTON_BRAND_LIMIT = 32


def project_picker(
    projects: Sequence[Project], press: Callable[[int], CallbackData]
) -> InlineKeyboardMarkup:
    """A button per project in the order given (newest first), each carrying ``press(id)``."""
    builder = InlineKeyboardBuilder()
    for project in projects[:PROJECT_BUTTONS]:
        builder.button(
            text=cut_plain(project.brand, BUTTON_BRAND_LIMIT), callback_data=press(project.id)
        )
    builder.adjust(1)
    return builder.as_markup()
