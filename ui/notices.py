"""Messages to the other person of a project about a change one side made.

Each notice is one small function that words the message in the recipient's language and queues
it on the update's notifier (`bot.notify`), which sends it after the update has committed — or
not at all if the update fails — and tells the actor when the other side has blocked the bot.
They never decide anything: callers have already made the change and know who the other side is.
Shared by ``dialogs/goals.py`` and ``dialogs/goal_removal.py``, which must not import each other.
"""

from __future__ import annotations

import html

from bot.db.models import Project, User
from bot.i18n import translator
from bot.notify import Notifier


def tell_goals_changed(
    notifier: Notifier,
    other: User | None,
    project: Project,
    *,
    removed: bool,
    goal: str,
    version: int,
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
    notifier.notify(other, text)
