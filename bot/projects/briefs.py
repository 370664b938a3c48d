"""A project's brief as the database holds it: numbered versions, approvals, and who still must sign.

Snapshots are built from the rows (answers, goals, both people's profiles) by the pure
`bot.briefs.snapshot`; this module numbers and stores them, and records decisions on them. A
version is immutable: sending after an edit makes a new one (only if the content hash differs),
and approvals always belong to one version, so an edit asks both sides to approve again.

Services: an `AsyncSession` first, never a commit (the update's, see `bot.db.middleware`),
models and dataclasses out; sending and approving re-plan the reminders in the same transaction. They never talk to Telegram and never word anything. Version ids arrive from buttons and are
never trusted: decisions re-check membership through `access.load_project_for` here.
`send_for_signoff` expects a project its caller loaded for the specialist role.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.briefs.snapshot import (
    GoalInfo,
    PersonInfo,
    ProjectInfo,
    brief_hash,
    build_snapshot,
    without_former,
)
from bot.briefs.snapshot import brief_changes as snapshot_changes
from bot.briefs.versioning import Approval as SignedApproval
from bot.briefs.versioning import Change, SignoffState, signoff_state
from bot.briefs.view import Signature
from bot.db.dialect import dialect_insert
from bot.db.models import Approval, BriefVersion, Decision, Goal, Project, ProjectStatus, User
from bot.projects.access import AccessDenied, load_project_for
from bot.projects.answers import load_answers
from bot.projects.goals import list_goals
from bot.questionnaire.flow import Step, missing_required
from bot.reminders import planning
from bot.roles import Role

COMMENT_MAX_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Missing:
    """What stands between the project and a brief both sides can sign."""

    answers: Mapping[Role, tuple[Step, ...]]
    no_goals: bool
    no_client: bool

    def __bool__(self) -> bool:
        return self.no_goals or self.no_client or any(self.answers.values())


class SendStatus(StrEnum):
    CREATED = "created"
    UNCHANGED = "unchanged"  # the latest version already says exactly this
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: SendStatus
    version: BriefVersion | None = None
    previous: BriefVersion | None = None
    changes: tuple[Change, ...] = ()
    missing: Missing | None = None


class DecisionStatus(StrEnum):
    OPEN = "open"  # this person may decide on this version now
    RECORDED = "recorded"
    SIGNED = "signed"  # this approval was the last one missing
    ALREADY_APPROVED = "already_approved"
    NOT_LATEST = "not_latest"
    OUTDATED = "outdated"  # the answers or goals changed after this version was sent
    FOREIGN = "foreign"  # no such version, or not of a project this person is in


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    status: DecisionStatus
    version: BriefVersion | None = None
    project: Project | None = None
    role: Role | None = None
    latest: BriefVersion | None = None
    state: SignoffState | None = None


@dataclass(frozen=True, slots=True)
class VersionStatus:
    version: BriefVersion
    state: SignoffState
    approvals: tuple[Approval, ...]


@dataclass(frozen=True, slots=True)
class BriefStatus:
    """``history`` is newest first and starts with the latest version; ``changed`` says whether
    the answers or goals moved on since it was sent (so it needs sending again)."""

    history: tuple[VersionStatus, ...]
    changed: bool

    @property
    def latest(self) -> VersionStatus | None:
        return self.history[0] if self.history else None


async def current_snapshot(
    session: AsyncSession, project: Project, *, number: int, now: datetime
) -> dict[str, Any]:
    """The brief as the rows say it right now, numbered as the next version would be."""
    answers = await load_answers(session, project.id)
    goals = await list_goals(session, project_id=project.id, owner=project.specialist)
    return build_snapshot(
        project=ProjectInfo(brand=project.brand, niche=project.niche),
        specialist=_person(project.specialist),
        client=None if project.client is None else _person(project.client),
        answers=answers,
        goals=[_goal(goal) for goal in goals],
        version=number,
        created_at=now,
    )


async def missing_for_signoff(session: AsyncSession, project: Project) -> Missing:
    answers = await load_answers(session, project.id)
    goals = await list_goals(session, project_id=project.id, owner=project.specialist)
    return Missing(
        answers=missing_required(answers),
        no_goals=not goals,
        no_client=project.client_id is None,
    )


async def send_for_signoff(
    session: AsyncSession, project: Project, user: User, now: datetime
) -> SendOutcome:
    """A new version when the content differs from the latest one; refuses while anything is missing."""
    missing = await missing_for_signoff(session, project)
    if missing:
        return SendOutcome(SendStatus.INCOMPLETE, missing=missing)
    previous = await latest_version(session, project.id)
    number = 1 if previous is None else previous.number + 1
    snapshot = await current_snapshot(session, project, number=number, now=now)
    content_hash = brief_hash(snapshot)
    if previous is not None and previous.content_hash == content_hash:
        return SendOutcome(SendStatus.UNCHANGED, version=previous)
    values = {
        "project_id": project.id,
        "number": number,
        "snapshot": snapshot,
        "content_hash": content_hash,
        "created_at": now,
        "created_by": user.id,
    }
    created = await _insert_once(
        session, BriefVersion, values, [BriefVersion.project_id, BriefVersion.number]
    )
    version = await latest_version(session, project.id)
    assert version is not None
    if not created:
        # Another tap numbered the same version first; what it stored is the answer.
        return SendOutcome(SendStatus.UNCHANGED, version=version)
    project.status = ProjectStatus.SIGNOFF
    await planning.replan_project(session, project.id, now)  # sign-off nudges
    changes = () if previous is None else tuple(brief_changes(previous, version))
    return SendOutcome(SendStatus.CREATED, version=version, previous=previous, changes=changes)


@dataclass(frozen=True, slots=True)
class Preview:
    """The brief as sending it now would make it: numbered as the next version, not stored."""

    snapshot: dict[str, Any]
    content_hash: str
    missing: Missing


async def preview(session: AsyncSession, project: Project, now: datetime) -> Preview:
    """What the specialist would send, readable before anyone else sees it. Nothing is stored:
    previewing twice, or previewing and then editing, leaves no version behind."""
    previous = await latest_version(session, project.id)
    number = 1 if previous is None else previous.number + 1
    snapshot = await current_snapshot(session, project, number=number, now=now)
    missing = await missing_for_signoff(session, project)
    return Preview(snapshot, brief_hash(snapshot), missing)


@dataclass(frozen=True, slots=True)
class GoalStanding:
    """Where a goal stands in the brief: the newest version that holds it, and whether that
    version is signed. A goal in no version is a draft anyone may drop without ceremony."""

    version: int | None
    signed: bool


async def goal_standing(session: AsyncSession, project: Project, goal_id: int) -> GoalStanding:
    """Newest version first; the goal's id is what the snapshot keeps (``goals[].id``)."""
    versions = await session.scalars(
        select(BriefVersion)
        .where(BriefVersion.project_id == project.id)
        .order_by(BriefVersion.number.desc())
    )
    for version in versions:
        if any(item.get("id") == goal_id for item in version.snapshot.get("goals", [])):
            return GoalStanding(version.number, (await version_state(session, version)).signed)
    return GoalStanding(None, False)


def brief_changes(old: BriefVersion, new: BriefVersion) -> list[Change]:
    return snapshot_changes(old.snapshot, new.snapshot)


async def latest_version(session: AsyncSession, project_id: int) -> BriefVersion | None:
    found: BriefVersion | None = await session.scalar(
        select(BriefVersion)
        .where(BriefVersion.project_id == project_id)
        .order_by(BriefVersion.number.desc())
        .limit(1)
    )
    return found


async def load_version_for(
    session: AsyncSession, user: User, version_id: int
) -> tuple[BriefVersion, Project, Role]:
    """Any version of a project the person is in (old ones stay readable); else AccessDenied."""
    version = await session.get(BriefVersion, version_id)
    if version is None:
        raise AccessDenied
    project, role = await load_project_for(session, user, version.project_id)
    return version, project, role


async def decision_target(session: AsyncSession, user: User, version_id: int) -> DecisionOutcome:
    """OPEN when this person may approve or comment on this version: it is theirs and the latest."""
    try:
        version, project, role = await load_version_for(session, user, version_id)
    except AccessDenied:
        return DecisionOutcome(DecisionStatus.FOREIGN)
    latest = await latest_version(session, project.id)
    status = DecisionStatus.OPEN
    if latest is None or latest.id != version.id:
        status = DecisionStatus.NOT_LATEST
    return DecisionOutcome(status, version, project, role, latest)


async def approve(
    session: AsyncSession, user: User, version_id: int, now: datetime
) -> DecisionOutcome:
    """Records one approval; a version edited since, an old one, or a second tap changes nothing."""
    target = await decision_target(session, user, version_id)
    if target.status is not DecisionStatus.OPEN:
        return target
    version, project, role = target.version, target.project, target.role
    assert version is not None and project is not None and role is not None
    current = await current_snapshot(session, project, number=version.number, now=now)
    if brief_hash(current) != version.content_hash:
        return _with(target, DecisionStatus.OUTDATED)
    values = {
        "version_id": version.id,
        "user_id": user.id,
        "role": role,
        "decision": Decision.APPROVE,
        "at": now,
    }
    recorded = await _insert_once(
        session,
        Approval,
        values,
        [Approval.version_id, Approval.user_id],
        where=Approval.decision == Decision.APPROVE,
    )
    state = await version_state(session, version)
    if not recorded:
        return _with(target, DecisionStatus.ALREADY_APPROVED, state)
    if state.signed:
        project.status = ProjectStatus.SIGNED
    await planning.replan_project(session, project.id, now)  # signed: deadlines and check-ins
    return _with(target, DecisionStatus.SIGNED if state.signed else DecisionStatus.RECORDED, state)


async def request_changes(
    session: AsyncSession, user: User, version_id: int, comment: str, now: datetime
) -> DecisionOutcome:
    """A comment for the other side on the latest version; approvals stay as they are, because
    only an edit (a new version) changes what there is to sign."""
    target = await decision_target(session, user, version_id)
    if target.status is not DecisionStatus.OPEN:
        return target
    assert target.version is not None and target.role is not None
    session.add(
        Approval(
            version_id=target.version.id,
            user_id=user.id,
            role=target.role,
            decision=Decision.CHANGES,
            comment=comment.strip()[:COMMENT_MAX_LENGTH],
            at=now,
        )
    )
    return _with(target, DecisionStatus.RECORDED, await version_state(session, target.version))


async def version_state(session: AsyncSession, version: BriefVersion) -> SignoffState:
    """Who approved this version; approvals of other versions never count for it."""
    approvals = await _approvals(session, [version.id])
    return _state(version, approvals.get(version.id, ()))


async def brief_status(session: AsyncSession, project: Project, now: datetime) -> BriefStatus:
    versions = list(
        await session.scalars(
            select(BriefVersion)
            .where(BriefVersion.project_id == project.id)
            .order_by(BriefVersion.number.desc())
        )
    )
    approvals = await _approvals(session, [version.id for version in versions])
    history = tuple(
        VersionStatus(
            version,
            _state(version, approvals.get(version.id, ())),
            approvals.get(version.id, ()),
        )
        for version in versions
    )
    changed = False
    if versions:
        latest = versions[0]
        current = await current_snapshot(session, project, number=latest.number, now=now)
        changed = brief_hash(current) != latest.content_hash
    return BriefStatus(history, changed)


def shown_snapshot(version: BriefVersion, project: Project) -> dict[str, Any]:
    """The version as it is rendered now: a member who used /forget is «бывший участник»."""
    people = {Role.SPECIALIST: project.specialist, Role.CLIENT: project.client}
    former = {role.value for role, user in people.items() if user and user.forgotten_at}
    return without_former(version.snapshot, former)


async def version_signatures(session: AsyncSession, version: BriefVersion) -> list[Signature]:
    """The approvals of this one version with each signer as their profile says now (name,
    @username, zone), oldest first: the audit trail the brief's chat, HTML and PDF print."""
    approvals = (await _approvals(session, [version.id])).get(version.id, ())
    if not approvals:
        return []
    users = {
        user.id: user
        for user in await session.scalars(
            select(User).where(User.id.in_({approval.user_id for approval in approvals}))
        )
    }
    return [
        Signature(
            role=Role(approval.role.value),
            # empty once the signer used /forget: rendered «бывший участник»
            name=""
            if users[approval.user_id].forgotten_at
            else users[approval.user_id].display_name,
            username=users[approval.user_id].username,
            at=approval.at,
            timezone=users[approval.user_id].timezone,
        )
        for approval in approvals
        if approval.user_id in users
    ]


def _state(version: BriefVersion, approvals: Sequence[Approval]) -> SignoffState:
    return signoff_state(
        version.content_hash,
        (SignedApproval(approval.role, version.content_hash) for approval in approvals),
    )


async def _approvals(
    session: AsyncSession, version_ids: Sequence[int]
) -> dict[int, tuple[Approval, ...]]:
    """Approve decisions (not comments) per version, oldest first."""
    if not version_ids:
        return {}
    rows = await session.scalars(
        select(Approval)
        .where(Approval.version_id.in_(version_ids), Approval.decision == Decision.APPROVE)
        .order_by(Approval.at, Approval.id)
    )
    grouped: dict[int, list[Approval]] = {}
    for approval in rows:
        grouped.setdefault(approval.version_id, []).append(approval)
    return {version_id: tuple(items) for version_id, items in grouped.items()}


async def _insert_once(
    session: AsyncSession,
    model: type[BriefVersion | Approval],
    values: Mapping[str, object],
    index: Sequence[InstrumentedAttribute[Any]],
    where: ColumnElement[bool] | None = None,
) -> bool:
    """Insert unless the unique index already holds the row; True if this call inserted it.

    One statement rather than check-then-insert, so two taps racing each other cannot both win,
    and no savepoint (which SQLite's driver handles poorly) is needed to survive the loser.
    """
    statement = (
        dialect_insert(session)(model)
        .values(dict(values))
        .on_conflict_do_nothing(index_elements=list(index), index_where=where)
    )
    result = cast("CursorResult[Any]", await session.execute(statement))
    return result.rowcount == 1


def _with(
    target: DecisionOutcome, status: DecisionStatus, state: SignoffState | None = None
) -> DecisionOutcome:
    return DecisionOutcome(
        status, target.version, target.project, target.role, target.latest, state
    )


def _person(user: User) -> PersonInfo:
    return PersonInfo(
        name="" if user.forgotten_at else user.display_name,
        username=user.username,
        timezone=user.timezone,
        work_days=user.work_days,
        work_start=user.work_start,
        work_end=user.work_end,
    )


def _goal(goal: Goal) -> GoalInfo:
    return GoalInfo(
        id=goal.id,
        text=goal.text,
        metric=goal.metric,
        target=goal.target,
        deadline=goal.deadline,
        unit=goal.unit,
        channel=goal.channel,
        baseline=goal.baseline,
        target_is_gain=goal.target_is_gain,
        kind=goal.kind,
        period=goal.period,
        verdict=goal.verdict,
        relevance_reason=goal.relevance_reason,
    )
