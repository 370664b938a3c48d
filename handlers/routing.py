"""The command routers as one branch of the dispatcher that most updates skip with one check.

Commands come before the dialogs (a /goals typed in the middle of the questionnaire is a command,
not an answer), so every update used to walk through each command router — about fifteen
microseconds a router in aiogram, for routers that never take an answer or a dialog's button.
Under this branch they are visited only by what they can take: a message that is a command and a
button that is not a dialog's (theirs are `CallbackData` strings; a dialog's carry its intent id).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_dialog.utils import remove_intent_id


async def is_command(message: Message) -> bool:
    """What aiogram's `Command` filters could match: a text or caption that starts with "/"."""
    text = message.text or message.caption
    return text is not None and text.startswith("/")


async def is_not_a_dialogs_button(callback: CallbackQuery) -> bool:
    return remove_intent_id(callback.data or "")[0] is None


def command_routers(*routers: Router) -> Router:
    """A router holding `routers`, entered only by commands and the buttons that are no dialog's.

    A coroutine each, not magic filters: aiogram runs a filter that is not a coroutine in a worker
    thread."""
    branch = Router(name="commands")
    branch.message.filter(is_command)
    branch.callback_query.filter(is_not_a_dialogs_button)
    branch.include_routers(*routers)
    return branch
