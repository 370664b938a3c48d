"""The questionnaire's use cases: opening it for a project and answering one question.

Each is one service call per event of the questionnaire dialog, doing every write the step needs —
the answer, the option's own words, the person's profile when the answer is their zone, days or
hours, and the re-planning of the question nudges — in the update's transaction. Nothing here
commits (see the policy in `bot/db/middleware.py`); the dialog's position is stored in the same
commit, right before the next step is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Project, User
from bot.projects.answers import clear_answers, save_answer, save_answers
from bot.projects.profile import save_person_answer
from bot.questionnaire.answers import JsonValue
from bot.questionnaire.profile import profile_answers
from bot.reminders.planning import replan_project
from bot.roles import Role


@dataclass(frozen=True, slots=True)
class OwnWords:
    """A free-text option's words: stored under ``key``, or cleared when ``text`` is None."""

    key: str
    text: str | None


async def open_questionnaire(
    session: AsyncSession,
    project: Project,
    user: User,
    role: Role,
    answers: Mapping[str, object],
    now: datetime,
) -> dict[str, JsonValue]:
    """What the person's profile already says (zone, days, hours) is not asked again: it is stored
    as their answers. Returns the answers it stored, absent from ``answers`` until now."""
    known = profile_answers(
        role,
        timezone=user.timezone,
        work_days=user.work_days,
        work_start=user.work_start,
        work_end=user.work_end,
    )
    missing = {key: value for key, value in known.items() if key not in answers}
    await save_answers(session, project, user, missing, now)
    return missing


async def answer_question(
    session: AsyncSession,
    project: Project,
    user: User,
    role: Role,
    key: str,
    value: JsonValue,
    now: datetime,
    *,
    words: OwnWords | None = None,
    plan_nudges: bool = True,
) -> bool:
    """Store one answer (and its own words); True when it moved the person's profile, so other
    answers changed too. ``plan_nudges`` false skips re-planning the project's reminders: the
    dialog re-plans at most hourly while someone keeps answering (it costs more than the rest of
    the step), and a profile move re-plans them all anyway."""
    if words is not None:  # words first, as the answer's own meaning depends on them
        if words.text:
            await save_answer(session, project, user, words.key, words.text, now)
        else:
            await clear_answers(session, project, [words.key])
    moved = await save_person_answer(session, project, user, role, key, value, now)
    if plan_nudges and not moved:
        await replan_project(session, project.id, now)
    return moved
