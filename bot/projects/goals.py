"""Goals of a project (1–5) and a specialist's personal goals: storing what the dialog agreed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Goal, Project, User
from bot.goals.check import (
    MAX_GOALS_PER_PROJECT,
    Draft,
    ProjectFacts,
    pace_from_notes,
    stock_from_notes,
)
from bot.numbers import Money
from bot.reminders import planning


class TooManyGoals(Exception):
    """A project already holds the most goals a brief can keep in focus."""


async def list_goals(session: AsyncSession, *, project_id: int | None, owner: User) -> list[Goal]:
    """A project's goals, or (project_id None) the person's own goals outside any project."""
    query = select(Goal).order_by(Goal.id)
    if project_id is None:
        query = query.where(Goal.project_id.is_(None), Goal.owner_id == owner.id)
    else:
        query = query.where(Goal.project_id == project_id)
    return list(await session.scalars(query))


async def add_goal(
    session: AsyncSession,
    *,
    project_id: int | None,
    owner: User,
    draft: Draft,
    verdict: str | None,
    relevance_reason: str | None,
    now: datetime,
) -> Goal:
    """Adds the goal and, for a project's goal, re-plans the project's reminders and check-ins."""
    if draft.metric is None or draft.target is None or draft.deadline is None:
        raise ValueError("a goal needs a metric, a target and a deadline")
    count = await session.scalar(
        select(func.count(Goal.id)).where(
            Goal.project_id == project_id
            if project_id is not None
            else (Goal.project_id.is_(None) & (Goal.owner_id == owner.id))
        )
    )
    if (count or 0) >= MAX_GOALS_PER_PROJECT:
        raise TooManyGoals
    goal = Goal(
        project_id=project_id,
        owner_id=owner.id,
        text=draft.text,
        metric=draft.metric,
        target=draft.target,
        unit=draft.unit,
        channel=draft.channel,
        deadline=draft.deadline,
        baseline=draft.baseline,
        target_is_gain=draft.target_is_gain,
        kind=draft.quantity.value if draft.quantity else None,
        period=draft.period.value if draft.period else None,
        verdict=verdict,
        relevance_reason=relevance_reason,
    )
    session.add(goal)
    if project_id is not None:
        await session.flush()
        await planning.replan_project(session, project_id, now)
    return goal


def may_edit_goals(project: Project | None, user: User) -> bool:
    """Who may change what: a project's goals are the specialist's to add and remove (they answer
    for the SMART check); the client reads them and asks for changes through the brief's
    «Discuss» button. Personal goals (no project) belong to their owner alone."""
    return project is None or project.specialist_id == user.id


async def find_goal(
    session: AsyncSession, *, project_id: int | None, owner: User, goal_id: int
) -> Goal | None:
    """The goal with this id if it is in this scope (a project, or the person's own goals);
    ids arrive from buttons, so a goal of another project is simply not found."""
    goals = await list_goals(session, project_id=project_id, owner=owner)
    return next((goal for goal in goals if goal.id == goal_id), None)


async def delete_goal(session: AsyncSession, goal: Goal, now: datetime) -> None:
    """Removes the goal; a project's reminders and check-ins drop it at once."""
    await session.delete(goal)
    if goal.project_id is not None:
        await session.flush()
        await planning.replan_project(session, goal.project_id, now)


def facts_from_answers(answers: Mapping[str, object]) -> ProjectFacts:
    """The questionnaire answers a goal check needs (shapes: `bot.questionnaire.answers`)."""
    channels = answers.get("channels")
    chosen = tuple(str(c) for c in channels) if isinstance(channels, list) else ()
    budget = answers.get("ad_budget")
    amount = budget.get("amount") if isinstance(budget, dict) else None
    currency = budget.get("currency") if isinstance(budget, dict) else None
    aim, words, success = answers.get("aim"), answers.get("aim.words"), answers.get("aim_success")
    notes = answers.get("constraints")
    return ProjectFacts(
        aim=aim if isinstance(aim, str) else None,
        aim_words=words if isinstance(words, str) else None,
        success=success if isinstance(success, str) else None,
        channels=chosen,
        audience=_per_channel(answers, chosen, "audience"),
        posts_per_week=_per_channel(answers, chosen, "posts_per_week"),
        # Rows saved before currencies were kept are roubles: the question's only currency then.
        budget=Money(float(amount), currency if isinstance(currency, str) else "RUB")
        if isinstance(amount, int | float) and amount > 0
        else None,
        stock=stock_from_notes(notes if isinstance(notes, str) else None),
        sales_pace=pace_from_notes(notes if isinstance(notes, str) else None),
    )


def _per_channel(
    answers: Mapping[str, object], channels: tuple[str, ...], key: str
) -> dict[str, float]:
    values = {channel: answers.get(f"channel.{channel}.{key}") for channel in channels}
    return {channel: float(v) for channel, v in values.items() if isinstance(v, int | float)}
