"""Brief versions and sign-off against a real SQLite file: numbering, hashes, approvals, refusals."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Approval, BriefVersion, Project, ProjectStatus, User
from bot.goals.check import Draft
from bot.projects.answers import save_answer
from bot.projects.briefs import (
    DecisionStatus,
    SendStatus,
    approve,
    brief_status,
    request_changes,
    send_for_signoff,
)
from bot.projects.goals import add_goal, delete_goal, list_goals
from bot.roles import Role
from testkit import brief_sample as sample
from tests.unit.projects.conftest import MakeProject, MakeUser


def _draft(text: str = "Продать 40 курток", target: float = 40) -> Draft:
    return Draft(text, "units_sold", target, "units", "vk", date(2026, 9, 30), 0, False)


async def _ready(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> tuple[Project, User, User]:
    anna, boris = await make_user("Анна"), await make_user("Борис")
    project = await make_project(anna, client=boris)
    for key, value in sample.answers(1).items():
        await save_answer(session, project, anna, key, value, now)
    await add_goal(
        session,
        project_id=project.id,
        owner=anna,
        draft=_draft(),
        verdict=None,
        relevance_reason=None,
        now=now,
    )
    await session.refresh(project)
    return project, anna, boris


async def test_missing_answers_goals_and_client_are_listed_and_nothing_is_stored(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    anna = await make_user("Анна")
    project = await make_project(anna)
    await save_answer(session, project, anna, "channels", ["vk"], now)

    outcome = await send_for_signoff(session, project, anna, now)

    assert outcome.status is SendStatus.INCOMPLETE and outcome.missing is not None
    assert outcome.missing.no_goals and outcome.missing.no_client
    specialist_keys = [step.key for step in outcome.missing.answers[Role.SPECIALIST]]
    assert "channel.vk.audience" in specialist_keys and "channels" not in specialist_keys
    assert "aim" in [step.key for step in outcome.missing.answers[Role.CLIENT]]
    assert await session.scalar(select(func.count(BriefVersion.id))) == 0


async def test_versions_are_numbered_and_only_made_when_the_content_changes(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    project, anna, _ = await _ready(session, make_user, make_project, now)

    first = await send_for_signoff(session, project, anna, now)
    again = await send_for_signoff(session, project, anna, now + timedelta(hours=1))
    await add_goal(
        session,
        project_id=project.id,
        owner=anna,
        draft=_draft("Ещё 10 курток", 10),
        verdict="realistic",
        relevance_reason=None,
        now=now,
    )
    second = await send_for_signoff(session, project, anna, now + timedelta(hours=2))

    assert first.status is SendStatus.CREATED and first.version is not None
    assert (first.version.number, first.previous, first.changes) == (1, None, ())
    assert project.status is ProjectStatus.SIGNOFF
    assert again.status is SendStatus.UNCHANGED and again.version is not None
    assert again.version.id == first.version.id
    assert second.status is SendStatus.CREATED and second.version is not None
    assert second.version.number == 2 and second.previous is not None
    assert second.version.content_hash != first.version.content_hash
    assert [change.path[0] for change in second.changes] == ["goals"]
    assert first.version.snapshot["goals"][0]["text"] == "Продать 40 курток"  # v1 is untouched
    assert len(first.version.snapshot["goals"]) == 1


async def test_switching_interface_language_does_not_make_a_new_version(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    project, anna, boris = await _ready(session, make_user, make_project, now)
    first = await send_for_signoff(session, project, anna, now)
    boris.language = "en"
    await session.commit()

    again = await send_for_signoff(session, project, anna, now)

    assert again.status is SendStatus.UNCHANGED
    assert first.version is not None and again.version is not None
    assert again.version.id == first.version.id


async def test_both_approvals_sign_and_an_edit_asks_both_again(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    project, anna, boris = await _ready(session, make_user, make_project, now)
    v1 = (await send_for_signoff(session, project, anna, now)).version
    assert v1 is not None

    by_client = await approve(session, boris, v1.id, now)
    by_specialist = await approve(session, anna, v1.id, now)

    assert by_client.status is DecisionStatus.RECORDED and by_client.role is Role.CLIENT
    assert by_client.state is not None and not by_client.state.signed
    assert by_specialist.status is DecisionStatus.SIGNED
    assert project.status is ProjectStatus.SIGNED
    [goal] = await list_goals(session, project_id=project.id, owner=anna)
    await delete_goal(session, goal, now)
    await add_goal(
        session,
        project_id=project.id,
        owner=anna,
        draft=_draft("Продать 60 курток", 60),
        verdict=None,
        relevance_reason=None,
        now=now,
    )
    status = await brief_status(session, project, now)
    assert status.changed and status.latest is not None and status.latest.state.signed

    # Approving the version that no longer matches the goals changes nothing.
    assert (await approve(session, boris, v1.id, now)).status is DecisionStatus.OUTDATED
    v2 = (await send_for_signoff(session, project, anna, now)).version
    assert v2 is not None and v2.number == 2
    assert (await approve(session, anna, v2.id, now)).status is DecisionStatus.RECORDED
    assert project.status is ProjectStatus.SIGNOFF
    assert (await approve(session, boris, v2.id, now)).status is DecisionStatus.SIGNED
    history = (await brief_status(session, project, now)).history
    assert [(item.version.number, item.state.signed) for item in history] == [(2, True), (1, True)]


async def test_old_twice_foreign_and_outdated_approvals_change_nothing(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    project, anna, boris = await _ready(session, make_user, make_project, now)
    v1 = (await send_for_signoff(session, project, anna, now)).version
    assert v1 is not None
    assert (await approve(session, boris, v1.id, now)).status is DecisionStatus.RECORDED
    twice = await approve(session, boris, v1.id, now)
    assert twice.status is DecisionStatus.ALREADY_APPROVED

    eve = await make_user("Ева")
    other = await make_project(eve)
    assert (await approve(session, eve, v1.id, now)).status is DecisionStatus.FOREIGN
    assert (await approve(session, anna, 999_999, now)).status is DecisionStatus.FOREIGN
    assert other.id != project.id

    await save_answer(session, project, boris, "tone", "Строго, на «вы»", now)
    outdated = await approve(session, anna, v1.id, now)
    assert outdated.status is DecisionStatus.OUTDATED
    v2 = (await send_for_signoff(session, project, anna, now)).version
    assert v2 is not None
    old = await approve(session, anna, v1.id, now)
    assert old.status is DecisionStatus.NOT_LATEST and old.latest is not None
    assert old.latest.id == v2.id
    assert await session.scalar(select(func.count(Approval.id))) == 1


async def test_a_request_for_changes_is_kept_with_its_comment_and_signs_nothing(
    session: AsyncSession, make_user: MakeUser, make_project: MakeProject, now: datetime
) -> None:
    project, anna, boris = await _ready(session, make_user, make_project, now)
    v1 = (await send_for_signoff(session, project, anna, now)).version
    assert v1 is not None

    outcome = await request_changes(session, boris, v1.id, "  Срок <позже> & мягче ", now)

    assert outcome.status is DecisionStatus.RECORDED and outcome.role is Role.CLIENT
    stored = await session.scalar(select(Approval))
    assert stored is not None and stored.comment == "Срок <позже> & мягче"
    assert outcome.state is not None and not outcome.state.approved
