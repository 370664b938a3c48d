"""The specialist's weekly digest: every project they run, where it stands, what is pending from
whom and how the signed goals go — the one view an agency with many clients needs on Monday.

``project_digests`` reads the projects as the database says now (archived ones are skipped);
``digest_text`` words them from the ``reminders.digest.*`` catalog. Nobody is named: pending work
is said by role («от заказчика»), so no name is declined and no gender guessed. Planned and sent
through the reminder queue (``ReminderKind.WEEKLY_DIGEST``, ``planning.plan_digest``).
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.i18n import Translator
from bot.projects.answers import load_answers
from bot.projects.projects import list_projects
from bot.questionnaire.flow import missing_required
from bot.reminders.checkins import goal_progress
from bot.reminders.goal_line import Reading
from bot.reminders.pace import PaceStatus
from bot.reminders.planning import latest_signed_version, latest_signoff, zone_of
from bot.roles import Role


class Stage(StrEnum):
    QUESTIONNAIRE = "questionnaire"
    SIGNOFF = "signoff"
    SIGNED = "signed"


class GoalState(StrEnum):
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_FIGURES = "no_figures"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class ProjectDigest:
    brand: str
    stage: Stage
    version: int | None = None
    has_client: bool = True
    open_questions: dict[Role, int] = field(default_factory=dict)
    signoff_from: frozenset[Role] = frozenset()
    goals: Counter[GoalState] = field(default_factory=Counter)


async def project_digests(session: AsyncSession, user: User, today: date) -> list[ProjectDigest]:
    """The projects this person runs as the specialist, newest first; ``today`` in their zone."""
    digests = []
    for membership in await list_projects(session, user):
        if membership.role is not Role.SPECIALIST:
            continue
        project = membership.project
        has_client = project.client is not None and project.client.forgotten_at is None
        latest = await latest_signoff(session, project.id)
        signed = await latest_signed_version(session, project.id)
        goals: Counter[GoalState] = Counter()
        if signed is not None:
            for goal in signed.goals:
                progress = await goal_progress(
                    session, project.id, signed, goal, zone_of(user), today
                )
                goals[_state(progress.reading)] += 1
        if latest is None:
            missing = missing_required(await load_answers(session, project.id))
            owed = {role: len(steps) for role, steps in missing.items() if steps}
            if not has_client:
                owed.pop(Role.CLIENT, None)
            digests.append(
                ProjectDigest(project.brand, Stage.QUESTIONNAIRE, None, has_client, owed)
            )
        elif not latest.signed:
            pending = frozenset(Role) - latest.approved
            digests.append(
                ProjectDigest(
                    project.brand,
                    Stage.SIGNOFF,
                    latest.version.number,
                    has_client,
                    signoff_from=pending,
                    goals=goals,
                )
            )
        else:
            digests.append(
                ProjectDigest(
                    project.brand, Stage.SIGNED, latest.version.number, has_client, goals=goals
                )
            )
    return digests


def _state(reading: Reading | None) -> GoalState:
    """Against the plan: the latest check-in's pace; a goal past its deadline is finished."""
    if reading is None:
        return GoalState.NO_FIGURES
    if reading.pace is None:
        return GoalState.FINISHED
    on_track = reading.pace.status is PaceStatus.ON_TRACK
    return GoalState.ON_TRACK if on_track else GoalState.BEHIND


def digest_text(i18n: Translator, digests: list[ProjectDigest]) -> str:
    """The digest in the recipient's language: a heading, a few lines per project, the way out."""
    lines = [i18n("reminders.digest.title", count=len(digests))]
    for digest in digests:
        brand = html.escape(digest.brand)
        lines.append("")
        lines.append(i18n(f"reminders.digest.{digest.stage}", brand=brand, number=digest.version))
        if not digest.has_client:
            lines.append(i18n("reminders.digest.no_client"))
        for role in Role:  # the specialist's own first
            if digest.open_questions.get(role):
                count = digest.open_questions[role]
                lines.append(i18n(f"reminders.digest.questions_{role}", count=count))
        for role in Role:
            if role in digest.signoff_from and (role is Role.SPECIALIST or digest.has_client):
                lines.append(i18n(f"reminders.digest.signoff_{role}"))
        parts = [
            i18n(f"reminders.digest.goals_{state}", count=digest.goals[state])
            for state in GoalState
            if digest.goals[state]
        ]
        if parts:
            lines.append(i18n("reminders.digest.goals", parts=", ".join(parts)))
    lines.append("")
    lines.append(i18n("reminders.digest.footer"))
    return "\n".join(lines)
