"""Re-planning a project's reminders from what the database says now.

``replan_project`` gathers the pure rules' input (`bot.reminders.rules`) — both people with their delivery windows,
the goals and reporting cadence of the latest *signed* brief version, the sign-off still owed on
a newer unsigned version, the required questions each side still owes while no version has gone
out yet — runs
``bot.reminders.rules.plan_reminders`` and stores the result through ``queue.apply_plan``, which
adds, moves and cancels rows so the queue matches the plan. Call it after anything that changes
the plan: a version sent or signed, answers given, goals edited, a person's zone, days or hours
changed (``replan_user``), a mute or snooze.

Each person's say is applied to the rules' output, never to the rows, so it survives every
re-plan: a muted project plans nothing for that person, a snooze moves what was due before its
end by a day (into the person's next window), and nothing is planned for someone who blocked the
bot.

These functions run in the caller's transaction and never commit, except the two preference use
cases (``set_muted``, ``snooze``), which are complete actions of their own. They never send or
word anything; ``now`` is always passed in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Answer,
    Approval,
    BriefVersion,
    Decision,
    Goal,
    Invite,
    Project,
    ProjectStatus,
    ReminderPreference,
    User,
)
from bot.projects.answers import load_answers
from bot.questionnaire.flow import missing_required
from bot.reminders import queue
from bot.reminders.goal_line import SignedGoal
from bot.reminders.rules import (
    Cadence,
    GoalDeadline,
    OpenQuestions,
    Participant,
    PendingSignoff,
    PlanChange,
    PlanInput,
    PlannedReminder,
    Reporting,
    next_digest,
    plan_reminders,
)
from bot.reminders.windows import DEFAULT_DAYS, DEFAULT_END, DEFAULT_START, Availability
from bot.roles import Role
from bot.timezones import DEFAULT_ZONE, zone_from_setting
from bot.users import clean_work_days

log = logging.getLogger(__name__)

SNOOZE = timedelta(days=1)
REPORT_FREQUENCY = "report_frequency"


@dataclass(frozen=True, slots=True)
class SignedVersion:
    version: BriefVersion
    signed_at: datetime  # the last approval that completed it
    live_goals: frozenset[int] | None = None
    """Ids of the project's goals that still exist; ``None`` keeps every signed goal."""

    @property
    def goals(self) -> tuple[SignedGoal, ...]:
        """The signed goals still in the project: a goal deleted after signing gets no more
        deadline reminders or check-in steps, while its signed version stays as it was."""
        goals = (SignedGoal.from_snapshot(item) for item in self.version.snapshot["goals"])
        return tuple(
            goal for goal in goals if self.live_goals is None or goal.goal_id in self.live_goals
        )

    @property
    def cadence(self) -> Cadence | None:
        answer = self.version.snapshot.get("answers", {}).get(REPORT_FREQUENCY)
        return Cadence(answer) if answer in {c.value for c in Cadence} else None


@dataclass(frozen=True, slots=True)
class VersionSignoff:
    """Who approved the latest version (``approved`` holds their roles)."""

    version: BriefVersion
    approved: frozenset[Role]

    @property
    def signed(self) -> bool:
        return self.approved >= frozenset(Role)


def zone_of(user: User) -> tzinfo:
    """The person's zone; one nobody can load (a hand-edited row) is logged and read as the
    default, so one bad profile never stops planning for everyone."""
    try:
        return zone_from_setting(user.timezone or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        log.warning(
            "user %s: unreadable time zone %r, using %s", user.id, user.timezone, DEFAULT_ZONE
        )
        return zone_from_setting(DEFAULT_ZONE)


def local_date(user: User, moment: datetime) -> date:
    return moment.astimezone(zone_of(user)).date()


def availability_of(user: User) -> Availability:
    """Profile days are ``date.weekday()`` numbers (0 = Monday); windows take ISO ones. Values no
    weekday has are logged and dropped (none left: every day)."""
    valid = clean_work_days(user.work_days)
    if user.work_days is not None and valid != user.work_days:
        log.warning("user %s: ignoring working days %r", user.id, user.work_days)
    days = frozenset(day + 1 for day in valid) or DEFAULT_DAYS
    start, end = user.work_start, user.work_end
    if start is None or end is None:
        start, end = DEFAULT_START, DEFAULT_END
    return Availability(zone_of(user), days, start, end)


async def latest_signed_version(session: AsyncSession, project_id: int) -> SignedVersion | None:
    """The newest version both sides approved; a newer unsigned one does not unsign it."""
    versions = await _versions(session, project_id)
    approvals = await _approvals(session, [v.id for v in versions])
    for version in versions:
        mine = approvals.get(version.id, [])
        if {a.role for a in mine} >= set(Role):
            live = await session.scalars(select(Goal.id).where(Goal.project_id == project_id))
            return SignedVersion(version, max(a.at for a in mine), frozenset(live))
    return None


async def latest_signoff(session: AsyncSession, project_id: int) -> VersionSignoff | None:
    versions = await _versions(session, project_id, limit=1)
    if not versions:
        return None
    approvals = await _approvals(session, [versions[0].id])
    return VersionSignoff(versions[0], frozenset(a.role for a in approvals.get(versions[0].id, [])))


async def plan_input(session: AsyncSession, project: Project, now: datetime) -> PlanInput:
    """What the rules need to know about one project, as the rows say it right now."""
    people = _people(project)
    participants = tuple(
        Participant(user.id, role, availability_of(user)) for role, user in people.items()
    )
    if project.status is ProjectStatus.ARCHIVED:
        return PlanInput(project.id, 0, participants)
    latest = await latest_signoff(session, project.id)
    # No version at all (every project still in its questionnaire): none is signed either.
    signed = None if latest is None else await latest_signed_version(session, project.id)
    goals: tuple[GoalDeadline, ...] = ()
    reporting = None
    if signed is not None:
        goals = tuple(GoalDeadline(goal.goal_id, goal.deadline) for goal in signed.goals)
        cadence = signed.cadence
        if cadence is not None:
            reporting = Reporting(cadence, local_date(project.specialist, signed.signed_at))
    signoff = None
    if latest is not None and not latest.signed:
        owing = frozenset(user.id for role, user in people.items() if role not in latest.approved)
        if owing:
            signoff = PendingSignoff(latest.version.created_at, owing)
    return PlanInput(
        project_id=project.id,
        version=0 if latest is None else latest.version.number,
        participants=participants,
        goals=goals,
        reporting=reporting,
        signoff=signoff,
        # Once a version went out the sign-off nudges take over: questions matter before that.
        questions=() if latest is not None else await _open_questions(session, project, people),
    )


async def replan_project(session: AsyncSession, project_id: int, now: datetime) -> PlanChange:
    """Make the project's stored reminders what the plan says now; a gone project plans nothing."""
    project = await session.get(Project, project_id)
    if project is None:
        return await queue.apply_plan(session, project_id, [], now)
    waiting = await queue.waiting_keys(session, project_id)
    planned = plan_reminders(await plan_input(session, project, now), now, waiting)
    wanted = await _apply_preferences(session, project, planned)
    change = await queue.apply_plan(session, project_id, wanted, now)
    await plan_digest(session, project.specialist, now)  # a first project starts the digest
    return change


async def replan_user(session: AsyncSession, user: User, now: datetime) -> None:
    """Every project of this person, after their zone, days or hours changed (an archived one
    plans nothing whatever the windows)."""
    projects = await session.scalars(
        select(Project.id).where(
            or_(Project.specialist_id == user.id, Project.client_id == user.id),
            Project.status != ProjectStatus.ARCHIVED,
        )
    )
    for project_id in list(projects):
        await replan_project(session, project_id, now)
    await plan_digest(session, user, now)


async def set_weekly_digest(session: AsyncSession, user: User, on: bool, now: datetime) -> None:
    """The /settings toggle: stored on the person, and their next digest planned or cancelled.
    Runs in the update's transaction."""
    user.weekly_digest = on
    await session.flush()
    await plan_digest(session, user, now)


def wants_digest(user: User) -> bool:
    """A specialist gets the Monday digest unless they turned it off (or left, or blocked us)."""
    return (
        user.is_specialist and user.weekly_digest and not user.blocked and user.forgotten_at is None
    )


async def plan_digest(session: AsyncSession, user: User, now: datetime) -> None:
    """Keep exactly the person's next weekly digest planned (none when they do not want it).
    One already overdue stays: it is still owed and the sender holds it to their window."""
    wanted = next_digest(user.id, availability_of(user), now) if wants_digest(user) else None
    if wanted is not None:
        await queue.upsert_planned(session, [wanted], now)
    await queue.cancel_digests(
        session, user.id, after=now, keep=None if wanted is None else wanted.key
    )


async def replan_all(session: AsyncSession, now: datetime) -> int:
    """Every project that is not archived; the start-up sweep, so nothing depends on a hook
    having been called. A project that cannot be planned (a row no code expects) is logged with
    its id and skipped. Returns how many projects were planned."""
    ids = list(
        await session.scalars(select(Project.id).where(Project.status != ProjectStatus.ARCHIVED))
    )
    planned = 0
    for project_id in ids:
        try:
            async with session.begin_nested():  # a failure undoes this project's changes only
                await replan_project(session, project_id, now)
        except Exception as error:
            log.warning("project %s: not re-planned (%r); the others go on", project_id, error)
            continue
        planned += 1
    return planned


async def preferences_of(session: AsyncSession, user: User) -> dict[int, ReminderPreference]:
    rows = await session.scalars(
        select(ReminderPreference).where(ReminderPreference.user_id == user.id)
    )
    return {row.project_id: row for row in rows}


async def set_muted(
    session: AsyncSession, user: User, project_id: int, muted: bool, now: datetime
) -> None:
    """Mute cancels the person's pending reminders of the project; unmute plans them again."""
    preference = await _preference(session, user, project_id)
    preference.muted = muted
    await session.flush()
    await replan_project(session, project_id, now)


async def snooze(session: AsyncSession, user: User, project_id: int, now: datetime) -> None:
    """What was due for this person in the coming day moves a day later."""
    preference = await _preference(session, user, project_id)
    preference.snoozed_until = now + SNOOZE
    await session.flush()
    await replan_project(session, project_id, now)


async def _preference(session: AsyncSession, user: User, project_id: int) -> ReminderPreference:
    found = await session.scalar(
        select(ReminderPreference).where(
            ReminderPreference.user_id == user.id, ReminderPreference.project_id == project_id
        )
    )
    if found is None:
        found = ReminderPreference(user_id=user.id, project_id=project_id, muted=False)
        session.add(found)
    return found


async def _apply_preferences(
    session: AsyncSession, project: Project, planned: Sequence[PlannedReminder]
) -> list[PlannedReminder]:
    people = {user.id: user for user in _people(project).values()}
    rows = await session.scalars(
        select(ReminderPreference).where(ReminderPreference.project_id == project.id)
    )
    preferences = {row.user_id: row for row in rows}
    wanted: list[PlannedReminder] = []
    for reminder in planned:
        person = people[reminder.recipient_id]
        preference = preferences.get(person.id)
        if person.blocked or (preference is not None and preference.muted):
            continue
        until = None if preference is None else preference.snoozed_until
        if until is not None and reminder.due_utc < until:
            moved = availability_of(person).next_delivery(reminder.due_utc + SNOOZE)
            reminder = replace(reminder, due_utc=moved)
        wanted.append(reminder)
    return wanted


def _people(project: Project) -> dict[Role, User]:
    """Who gets reminders: a member who has used /forget is nobody to remind."""
    people = {Role.SPECIALIST: project.specialist}
    if project.client is not None:
        people[Role.CLIENT] = project.client
    return {role: user for role, user in people.items() if user.forgotten_at is None}


async def _open_questions(
    session: AsyncSession, project: Project, people: dict[Role, User]
) -> tuple[OpenQuestions, ...]:
    """Each person's count of required questions still open, since they joined or last answered
    (so an answer restarts the nudges instead of nudging about the ones just answered)."""
    missing = missing_required(await load_answers(session, project.id))
    owed: list[OpenQuestions] = []
    for role, user in people.items():
        steps = missing[role]
        if not steps:
            continue
        joined = project.created_at
        if role is Role.CLIENT:
            used = await session.scalar(
                select(func.max(Invite.used_at)).where(
                    Invite.project_id == project.id, Invite.used_by == user.id
                )
            )
            joined = used or joined
        answered = await session.scalar(
            select(func.max(Answer.answered_at)).where(
                Answer.project_id == project.id, Answer.answered_by == user.id
            )
        )
        since = max(joined, answered) if answered is not None else joined
        owed.append(OpenQuestions(user.id, len(steps), since))
    return tuple(owed)


async def _versions(
    session: AsyncSession, project_id: int, limit: int | None = None
) -> list[BriefVersion]:
    statement = (
        select(BriefVersion)
        .where(BriefVersion.project_id == project_id)
        .order_by(BriefVersion.number.desc())
    )
    if limit is not None:
        statement = statement.limit(limit)
    return list(await session.scalars(statement))


async def _approvals(session: AsyncSession, version_ids: list[int]) -> dict[int, list[Approval]]:
    if not version_ids:
        return {}
    rows = await session.scalars(
        select(Approval).where(
            Approval.version_id.in_(version_ids), Approval.decision == Decision.APPROVE
        )
    )
    grouped: dict[int, list[Approval]] = {}
    for approval in rows:
        grouped.setdefault(approval.version_id, []).append(approval)
    return grouped
