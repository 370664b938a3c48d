"""Every use case writes, re-plans and audits in the caller's transaction and never commits it.

The update commits (right before it shows anything, `bot/db/middleware.py`); a service that
committed on its own would split one user action over several transactions, so a crash between
them would leave half of it stored. Here each user action runs in turn on one session with a
listener that records commits: none may happen, and a rollback afterwards leaves no trace.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Answer,
    Approval,
    BriefVersion,
    CheckIn,
    Goal,
    Invite,
    Project,
    Reminder,
    ReminderPreference,
    User,
)
from bot.forget import forget_user
from bot.goals.check import Draft
from bot.projects.answering import OwnWords, answer_question, open_questionnaire
from bot.projects.briefs import DecisionStatus, approve, request_changes, send_for_signoff
from bot.projects.goal_changes import remove_goal, save_goal
from bot.projects.goals import list_goals
from bot.projects.invites import accept_invite, close_invites, invite_client
from bot.projects.lifecycle import archive_project, restore_project
from bot.projects.profile import change_work_days, change_work_hours, change_zone
from bot.projects.projects import create_project
from bot.reminders.checkins import record_checkin
from bot.reminders.planning import set_muted, snooze
from bot.roles import Role
from bot.users import set_language
from testkit import brief_sample as sample
from tests.unit.projects.conftest import MakeUser

TABLES = (Project, Answer, Goal, Invite, BriefVersion, Approval, CheckIn, Reminder)


def _draft(text: str, target: float) -> Draft:
    return Draft(text, "units_sold", target, "units", "vk", date(2026, 9, 30), 0, False)


async def _counts(session: AsyncSession) -> dict[str, int]:
    return {
        model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
        for model in TABLES
    }


async def test_no_use_case_commits_and_a_rollback_undoes_them_all(
    session: AsyncSession, make_user: MakeUser, now: datetime
) -> None:
    anna, boris = await make_user("Анна"), await make_user("Борис")
    await session.commit()  # the people exist before the actions under test
    anna_id = anna.id
    commits: list[str] = []
    current = ["setup"]

    def on_commit(_: Any) -> None:
        commits.append(current[0])

    event.listen(session.sync_session, "after_commit", on_commit)

    async def act(name: str, action: Callable[[], Awaitable[Any]]) -> Any:
        current[0] = name
        return await action()

    project = await act(
        "create project",
        lambda: create_project(session, anna, brand="Зерно", niche="кофе", now=now),
    )
    await act(
        "open questionnaire",
        lambda: open_questionnaire(session, project, anna, Role.SPECIALIST, {}, now),
    )
    for key, value in sample.answers(1).items():
        await act(
            "answer",
            lambda key=key, value=value: answer_question(  # type: ignore[misc]
                session, project, anna, Role.SPECIALIST, key, value, now
            ),
        )
    await act(
        "answer with words",
        lambda: answer_question(
            session,
            project,
            anna,
            Role.SPECIALIST,
            "aim",
            "sell_stock",
            now,
            words=OwnWords("aim.words", "распродать зиму"),
        ),
    )
    for text, target in (("Продать 40 курток", 40), ("Продать 10 шапок", 10)):
        await act(
            "add goal",
            lambda text=text, target=target: save_goal(  # type: ignore[misc]
                session,
                project,
                anna,
                _draft(text, target),
                verdict=None,
                relevance_reason=None,
                now=now,
            ),
        )
    await act("close invites", lambda: close_invites(session, anna, project.id, now))
    issued = await act("issue invite", lambda: invite_client(session, anna, project.id, now))
    await act("accept invite", lambda: accept_invite(session, issued.token, boris, now))
    version = (await act("send", lambda: send_for_signoff(session, project, anna, now))).version
    await act(
        "request changes",
        lambda: request_changes(session, boris, version.id, "А сроки?", now),
    )
    assert (await act("approve", lambda: approve(session, boris, version.id, now))).status in (
        DecisionStatus.RECORDED,
        DecisionStatus.SIGNED,
    )
    await act("approve", lambda: approve(session, anna, version.id, now))
    goals = await list_goals(session, project_id=project.id, owner=anna)
    await act("check-in", lambda: record_checkin(session, project.id, goals[0].id, 5, anna, now))
    await act("remove goal", lambda: remove_goal(session, project, goals[1], now))
    await act("mute", lambda: set_muted(session, boris, project.id, True, now))
    await act("snooze", lambda: snooze(session, anna, project.id, now))
    await act("archive", lambda: archive_project(session, anna, project.id, now))
    await act("restore", lambda: restore_project(session, anna, project.id, now))
    await act("zone", lambda: change_zone(session, anna, "Asia/Yekaterinburg", now))
    await act("days", lambda: change_work_days(session, anna, [0, 1, 2], now))
    await act("hours", lambda: change_work_hours(session, anna, time(9), time(18), now))
    await act("language", lambda: set_language(session, anna, "en"))
    await act("forget", lambda: forget_user(session, boris, now + timedelta(days=1)))
    before_rollback = await _counts(session)

    assert commits == []
    assert all(before_rollback[table] > 0 for table in ("projects", "answers", "goals", "invites"))
    assert before_rollback["brief_versions"] == 1 and before_rollback["approvals"] == 3
    assert before_rollback["checkins"] == 1 and before_rollback["reminders"] > 0
    await session.rollback()
    assert await _counts(session) == dict.fromkeys(before_rollback, 0)
    assert await session.scalar(select(func.count()).select_from(ReminderPreference)) == 0
    stored = await session.get(User, anna_id)
    assert stored is not None and stored.timezone is None and stored.language != "en"
