"""/forget: a person deletes their data; what the other side relies on stays, without them in it.

What goes: the profile (name, @username, zone, days, hours, role), every answer they gave, their
personal goals, their reminders and reminder settings, the invite links they issued, and every
project where they are the only member (with all its rows). What stays: projects shared with
someone else, with the brief versions both signed and the approvals on them — records the other
side relies on, like a signed contract — and the shared project's goals and check-ins. The user
row itself stays as the signer of those approvals, emptied: its Telegram id is replaced by a
negative one (no Telegram user has one), so the next message from the person meets a new, blank
profile and /start starts from scratch; renderings then show «бывший участник».

Like the other services this writes and re-plans but never commits: the update's transaction
does, in one piece, and the notices to the other side go out after it (bot/notify.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Answer,
    Approval,
    BriefVersion,
    Decision,
    Goal,
    Invite,
    Project,
    Reminder,
    ReminderPreference,
    ReminderStatus,
    User,
)
from bot.reminders.planning import replan_project


@dataclass(frozen=True, slots=True)
class SharedProject:
    """A project the other side keeps: its brand, that person, and how many signed versions."""

    project_id: int
    brand: str
    other: User
    signed_versions: int


@dataclass(frozen=True, slots=True)
class ForgetPlan:
    """What /forget will delete and what the other side keeps, counted before anything is done."""

    deleted_projects: tuple[str, ...]
    shared: tuple[SharedProject, ...]
    answers: int
    pending_reminders: int


async def forget_plan(session: AsyncSession, user: User) -> ForgetPlan:
    """Read-only: the confirmation screen shows exactly this."""
    projects = list(
        await session.scalars(
            select(Project)
            .where(or_(Project.specialist_id == user.id, Project.client_id == user.id))
            .order_by(Project.created_at, Project.id)
        )
    )
    alone: list[str] = []
    shared: list[SharedProject] = []
    for project in projects:
        other = _other(project, user)
        if other is None:
            alone.append(project.brand)
        else:
            shared.append(
                SharedProject(project.id, project.brand, other, await _signed(session, project))
            )
    answers = await session.scalar(
        select(func.count(Answer.id)).where(Answer.answered_by == user.id)
    )
    pending = await session.scalar(
        select(func.count(Reminder.id)).where(
            Reminder.recipient_id == user.id,
            Reminder.status.in_((ReminderStatus.PLANNED, ReminderStatus.CLAIMED)),
        )
    )
    return ForgetPlan(tuple(alone), tuple(shared), answers or 0, pending or 0)


async def forget_user(session: AsyncSession, user: User, now: datetime) -> ForgetPlan:
    """Delete as `forget_plan` said and return that plan: its ``shared`` are whom to tell."""
    plan = await forget_plan(session, user)
    kept = [item.project_id for item in plan.shared]
    alone = await session.scalars(
        select(Project).where(
            or_(Project.specialist_id == user.id, Project.client_id == user.id),
            Project.id.not_in(kept),
        )
    )
    for project in alone:
        await session.delete(project)  # its answers, goals, versions… go by ON DELETE CASCADE
    await session.execute(delete(Answer).where(Answer.answered_by == user.id))
    await session.execute(delete(Goal).where(Goal.owner_id == user.id, Goal.project_id.is_(None)))
    await session.execute(delete(Reminder).where(Reminder.recipient_id == user.id))
    await session.execute(delete(ReminderPreference).where(ReminderPreference.user_id == user.id))
    await session.execute(delete(Invite).where(Invite.created_by == user.id))
    user.telegram_id = -user.id
    user.first_name = ""
    user.username = None
    user.timezone = None
    user.work_days = None
    user.work_start = None
    user.work_end = None
    user.is_specialist = False
    user.onboarded = False
    user.blocked = True
    user.forgotten_at = now
    await session.flush()
    for project_id in kept:
        await replan_project(session, project_id, now)
    return plan


def _other(project: Project, user: User) -> User | None:
    other = project.client if project.specialist_id == user.id else project.specialist
    if other is None or other.forgotten_at is not None:
        return None
    return other


async def _signed(session: AsyncSession, project: Project) -> int:
    """Versions that carry an approval by each role: what both signed."""
    approvals = (
        select(Approval.version_id)
        .join(BriefVersion, BriefVersion.id == Approval.version_id)
        .where(BriefVersion.project_id == project.id, Approval.decision == Decision.APPROVE)
        .group_by(Approval.version_id)
        .having(func.count(func.distinct(Approval.role)) >= 2)
    )
    return len(list(await session.scalars(approvals)))
