"""Messages to the other person of a project about a change one side made.

Each notice is one small function taking the bot, the person to tell and plain values, so the
lead can route them through a shared notifier later without touching the dialogs that call them.
They never decide anything: callers have already made the change and know who the other side is.
"""

from __future__ import annotations

import html
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError

from bot.db.models import Project, User
from bot.i18n import translator

log = logging.getLogger(__name__)


async def tell_goals_changed(
    bot: Bot, other: User | None, project: Project, *, removed: bool, goal: str, version: int
) -> None:
    """The brief's goals moved after version `version` went out: the other side learns what
    changed and that the brief will come back for signing (their old signature does not cover it)."""
    if other is None:
        return
    i18n = translator(other.language)
    text = i18n(
        "goals.notice.removed" if removed else "goals.notice.added",
        brand=html.escape(project.brand),
        goal=html.escape(goal),
        number=version,
    )
    try:
        await bot.send_message(other.telegram_id, text)
    except (TelegramForbiddenError, TelegramBadRequest):
        log.warning("goal change notice not delivered to user %s", other.id)
