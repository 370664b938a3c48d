"""Wording reminders and check-in results: the sender's ``render`` and the texts the check-in
dialog and the client summary share.

``render_reminder`` re-reads the project when the reminder is about to go out, so what is sent
is true at that moment: a reminder whose project is gone, whose recipient left it or muted it,
whose goal is no longer in the signed brief, whose version got approved or whose questions got
answered since planning, or a deadline reminder held so late that a closer one says it (or the
deadline passed) renders as None, which the sender records as "nothing to send".

Text comes from the ``reminders.*`` and ``checkin.*`` catalogs in the recipient's language; user
text (brands, goals) is escaped here. A reminder's buttons are plain data here (a label key and a
:class:`ReminderAction`); ``ui/reminders.py`` turns them into a keyboard, and its handler re-checks
membership, so a forwarded or stale button does nothing. No aiogram in here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.briefs.view import format_amount
from bot.db.models import Project, Reminder, ReminderPreference, User
from bot.i18n import Translator, translator
from bot.projects.access import role_in
from bot.projects.answers import load_answers
from bot.questionnaire.flow import missing_required
from bot.reminders.checkins import GoalProgress, goal_progress
from bot.reminders.digest import digest_text, project_digests
from bot.reminders.goal_line import PERCENT, SignedGoal
from bot.reminders.planning import (
    SignedVersion,
    latest_signed_version,
    latest_signoff,
    wants_digest,
    zone_of,
)
from bot.reminders.rules import ReminderKind, deadline_reminder_moot
from bot.roles import Role

GOAL_NAME_LIMIT = 200
DUE_KINDS = frozenset(
    {
        ReminderKind.GOAL_DUE_7D,
        ReminderKind.GOAL_DUE_3D,
        ReminderKind.GOAL_DUE_1D,
        ReminderKind.GOAL_DUE_TODAY,
    }
)


class ReminderAction(StrEnum):
    """What a reminder's button opens (short: it travels in Telegram's 64-byte callback data)."""

    CHECKIN = "ci"
    NEXT_BRIEF = "nx"
    BRIEF = "br"
    QUESTIONS = "q"


#: A button: the label's key in the ``reminders.*`` catalog and what it opens.
Button = tuple[str, ReminderAction]


@dataclass(frozen=True, slots=True)
class ReminderText:
    """A worded reminder: its text and buttons, all for one project."""

    text: str
    project_id: int | None  # None: about all of a person's projects (the weekly digest)
    buttons: tuple[Button, ...] = ()


def goal_name(goal: SignedGoal) -> str:
    text = (
        goal.text if len(goal.text) <= GOAL_NAME_LIMIT else goal.text[: GOAL_NAME_LIMIT - 1] + "…"
    )
    return html.escape(text)


def amount(i18n: Translator, goal: SignedGoal, value: float) -> str:
    """A value of the goal's metric; a percent *gain* is measured in the metric's own count."""
    unit = None if goal.target_is_gain and goal.unit == PERCENT else goal.unit
    return str(format_amount(i18n, round(value, 2), unit))


def reading_text(i18n: Translator, progress: GoalProgress) -> str:
    """One line for the goal's latest value: pace before the deadline, outcome from it on."""
    goal, latest = progress.goal, progress.latest
    assert latest is not None, "a reading needs a value"
    name, value = goal_name(goal), amount(i18n, goal, latest)
    reading, line = progress.reading, progress.line
    if reading is None or line is None:
        return i18n("checkin.recorded_no_line", goal=name, value=value)
    if reading.outcome is not None:
        result = i18n(f"checkin.outcome.{reading.outcome}", target=amount(i18n, goal, line.target))
        return i18n("checkin.outcome_line", goal=name, value=value, result=result)
    pace = reading.pace
    assert pace is not None
    return i18n(
        "checkin.progress",
        goal=name,
        value=value,
        done=i18n.format_number(round(pace.percent_done)),
        expected=i18n.format_number(round(pace.expected_percent)),
        status=i18n(f"checkin.status.{pace.status}"),
    )


async def render_reminder(
    session: AsyncSession, reminder: Reminder, user: User
) -> ReminderText | None:
    if reminder.kind is ReminderKind.WEEKLY_DIGEST:
        return await _digest(session, user, reminder.due_at.astimezone(zone_of(user)).date())
    project = (
        None if reminder.project_id is None else await session.get(Project, reminder.project_id)
    )
    role = None if project is None else role_in(project, user)
    if project is None or role is None or await _muted(session, user, project.id):
        return None
    i18n = translator(user.language)
    brand = html.escape(project.brand)
    kind = reminder.kind
    if kind is ReminderKind.SIGNOFF_PENDING:
        latest = await latest_signoff(session, project.id)
        if latest is None or latest.signed or role in latest.approved:
            return None
        text = i18n("reminders.signoff_pending", brand=brand, number=latest.version.number)
        return ReminderText(text, project.id, (("brief_button", ReminderAction.BRIEF),))
    if kind is ReminderKind.QUESTIONS_PENDING:
        owed = missing_required(await load_answers(session, project.id))[role]
        if not owed:
            return None
        text = i18n("reminders.questions_pending", brand=brand, count=len(owed))
        return ReminderText(text, project.id, (("questions_button", ReminderAction.QUESTIONS),))
    signed = await latest_signed_version(session, project.id)
    if signed is None:
        return None
    if kind is ReminderKind.CHECKIN:
        text = i18n("reminders.checkin", brand=brand)
        return ReminderText(text, project.id, (("checkin_button", ReminderAction.CHECKIN),))
    goal = next((g for g in signed.goals if g.goal_id == reminder.goal_id), None)
    if goal is None:
        return None
    today = reminder.due_at.astimezone(zone_of(user)).date()
    if kind in DUE_KINDS:
        if deadline_reminder_moot(kind, (goal.deadline - today).days):
            return None
        return _due(i18n, brand, project.id, goal, today, role)
    return await _outcome(session, i18n, brand, project, signed, goal, today)


def _due(
    i18n: Translator, brand: str, project_id: int, goal: SignedGoal, today: date, role: Role
) -> ReminderText:
    days = (goal.deadline - today).days
    name = goal_name(goal)
    if days <= 0:
        text = i18n("reminders.goal_due_today", brand=brand, goal=name)
    else:
        deadline = i18n.format_date(goal.deadline)
        text = i18n("reminders.goal_due", brand=brand, goal=name, count=days, deadline=deadline)
    if role is not Role.SPECIALIST:
        return ReminderText(text, project_id)
    text += "\n" + i18n("reminders.goal_due_specialist")
    return ReminderText(text, project_id, (("checkin_button", ReminderAction.CHECKIN),))


async def _outcome(
    session: AsyncSession,
    i18n: Translator,
    brand: str,
    project: Project,
    signed: SignedVersion,
    goal: SignedGoal,
    today: date,
) -> ReminderText:
    zone = zone_of(project.specialist)
    progress = await goal_progress(session, project.id, signed, goal, zone, today)
    name = goal_name(goal)
    line, reading = progress.line, progress.reading
    if line is not None and reading is not None and reading.outcome is not None:
        result = i18n(
            "checkin.outcome_line",
            goal=name,
            value=amount(i18n, goal, reading.value),
            result=i18n(
                f"checkin.outcome.{reading.outcome}", target=amount(i18n, goal, line.target)
            ),
        )
        text = i18n("reminders.outcome_done", brand=brand, goal=name, result=result)
    else:
        text = i18n("reminders.outcome_pending", brand=brand, goal=name)
    text += "\n\n" + i18n("reminders.next_brief_offer")
    buttons = (
        ("final_button", ReminderAction.CHECKIN),
        ("next_brief_button", ReminderAction.NEXT_BRIEF),
    )
    return ReminderText(text, project.id, buttons)


async def _digest(session: AsyncSession, user: User, today: date) -> ReminderText | None:
    """Nothing to send to someone who turned it off since, or who runs no project now."""
    if not wants_digest(user):
        return None
    digests = await project_digests(session, user, today)
    if not digests:
        return None
    return ReminderText(digest_text(translator(user.language), digests), None)


async def _muted(session: AsyncSession, user: User, project_id: int) -> bool:
    muted = await session.scalar(
        select(ReminderPreference.muted).where(
            ReminderPreference.user_id == user.id, ReminderPreference.project_id == project_id
        )
    )
    return bool(muted)
