"""A reminder as Telegram shows it: the callback data of its buttons, its keyboard, and the
reminder sender's ``render`` (``bot.reminders.messages`` words it, this module adds the buttons).

The sender lives in the core and knows nothing of callback data; ``bot/app.py`` hands it the
``render`` built here. ``handlers/reminders.py`` answers the presses and offers the same check-in
button for /checkin. Buttons carry an action and a project id only; the handler re-checks
membership, so a forwarded or stale button does nothing.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Reminder, User
from bot.i18n import Translator, translator
from bot.limits import RowId
from bot.reminders.messages import Button, ReminderAction, ReminderText, render_reminder
from bot.reminders.sender import OutgoingMessage, Render


class ReminderCb(CallbackData, prefix="rm"):
    """A reminder's button: what to open, for which project."""

    action: ReminderAction
    project_id: RowId


def keyboard(i18n: Translator, project_id: int, *buttons: Button) -> InlineKeyboardMarkup:
    """One button a row, labels from the ``reminders.*`` catalog."""
    builder = InlineKeyboardBuilder()
    for key, action in buttons:
        builder.button(
            text=i18n(f"reminders.{key}"),
            callback_data=ReminderCb(action=action, project_id=project_id),
        )
    builder.adjust(1)
    return builder.as_markup()


def outgoing(worded: ReminderText, i18n: Translator) -> OutgoingMessage:
    project_id = worded.project_id
    markup = keyboard(i18n, project_id, *worded.buttons) if project_id and worded.buttons else None
    return OutgoingMessage(worded.text, markup)


async def render_outgoing(
    session: AsyncSession, reminder: Reminder, user: User
) -> OutgoingMessage | None:
    """The message for one due reminder, or None when it no longer applies."""
    worded = await render_reminder(session, reminder, user)
    return None if worded is None else outgoing(worded, translator(user.language))


def build_render(session_factory: async_sessionmaker[AsyncSession]) -> Render:
    """The sender's ``render``, each call in its own short session."""

    async def render(reminder: Reminder, user: User) -> OutgoingMessage | None:
        async with session_factory() as session:
            return await render_outgoing(session, reminder, user)

    return render
