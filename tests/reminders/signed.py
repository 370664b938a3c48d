"""Signed briefs made straight from rows (version, snapshot goals, both approvals), for tests that
care about what happens after signing rather than about signing itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Approval, BriefVersion, Decision, Goal, Project, ProjectStatus, User
from bot.roles import Role


@dataclass(frozen=True)
class GoalSpec:
    text: str
    deadline: date
    target: float
    baseline: float | None = None
    metric: str = "followers"
    unit: str | None = "people"
    target_is_gain: bool = False


def person(
    telegram_id: int,
    *,
    zone: str | None = None,
    days: list[int] | None = None,
    hours: tuple[time, time] | None = None,
    language: str = "ru",
    name: str = "",
) -> User:
    start, end = hours if hours is not None else (None, None)
    return User(
        telegram_id=telegram_id,
        first_name=name or f"u{telegram_id}",
        language=language,
        timezone=zone,
        work_days=days,
        work_start=start,
        work_end=end,
        onboarded=True,
    )


async def add_version(
    session: AsyncSession,
    project: Project,
    goals: list[Goal],
    *,
    number: int,
    created_at: datetime,
    approved: dict[Role, datetime],
    cadence: str | None = "weekly",
) -> BriefVersion:
    """A version whose snapshot holds ``goals`` and the cadence, approved by the given roles."""
    snapshot: dict[str, Any] = {
        "format": 2,
        "version": number,
        "answers": {} if cadence is None else {"report_frequency": cadence},
        "goals": [
            {
                "id": goal.id,
                "text": goal.text,
                "metric": goal.metric,
                "target": goal.target,
                "unit": goal.unit,
                "channel": None,
                "deadline": goal.deadline.isoformat(),
                "baseline": goal.baseline,
                "target_is_gain": goal.target_is_gain,
            }
            for goal in goals
        ],
    }
    version = BriefVersion(
        project_id=project.id,
        number=number,
        snapshot=snapshot,
        content_hash=f"{number:064x}",
        created_at=created_at,
        created_by=project.specialist_id,
    )
    session.add(version)
    await session.flush()
    people = {Role.SPECIALIST: project.specialist_id, Role.CLIENT: project.client_id}
    for role, at in approved.items():
        user_id = people[role]
        assert user_id is not None
        session.add(
            Approval(
                version_id=version.id, user_id=user_id, role=role, decision=Decision.APPROVE, at=at
            )
        )
    await session.flush()
    return version


async def signed_project(
    session: AsyncSession,
    specialist: User,
    client: User | None,
    specs: list[GoalSpec],
    signed_at: datetime,
    *,
    brand: str = "Зерно",
    cadence: str | None = "weekly",
) -> tuple[Project, list[Goal]]:
    """A project whose version 1 both sides approved at ``signed_at``."""
    session.add(specialist)
    if client is not None:
        session.add(client)
    await session.flush()
    project = Project(
        specialist_id=specialist.id,
        client_id=None if client is None else client.id,
        brand=brand,
        status=ProjectStatus.SIGNED,
    )
    session.add(project)
    await session.flush()
    goals = [
        Goal(
            project_id=project.id,
            owner_id=specialist.id,
            text=spec.text,
            metric=spec.metric,
            target=spec.target,
            unit=spec.unit,
            deadline=spec.deadline,
            baseline=spec.baseline,
            target_is_gain=spec.target_is_gain,
        )
        for spec in specs
    ]
    session.add_all(goals)
    await session.flush()
    approved = {Role.SPECIALIST: signed_at}
    if client is not None:
        approved[Role.CLIENT] = signed_at
    await add_version(
        session, project, goals, number=1, created_at=signed_at, approved=approved, cadence=cadence
    )
    await session.refresh(project)
    return project, goals
