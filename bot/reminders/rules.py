"""Reminder planning: from a project's state to the full list of reminders it should have.

Planning is a pure function of the brief and "now", so re-planning after any change (a re-signed
version, a moved deadline, new hours or zone) gives the complete wanted set, and ``diff_plan``
turns it into rows to add, cancel and reschedule. Each reminder has a deterministic key, so a
reminder is never planned twice.

The rules:

* Deadline reminders go to every participant 7, 3 and 1 days before a goal's deadline and on the
  day, each anchored at the opening of the recipient's window on that local date and then moved
  into a window (a non-working day moves it forward). When moving makes two of them land at the
  same time, only the closer one is kept, and none is sent after the deadline's local date.
* The outcome goes to the specialist at the opening of their window the day after each deadline
  (they enter the final value; the result is then shared by the service that records it).
* Check-ins go to the specialist every period after the signed date (weekly: 7 days, biweekly:
  14 days, monthly: the same day of the month, or the month's last day), while the latest goal
  deadline is still ahead of that date.
* Sign-off and unanswered-question nudges go to each person who owes something, 1, 3 and 7 days
  after it was asked of them, then stop. Sign-off nudges restart for each new version; question
  nudges restart when the person's ``since`` moves (they answered something).
* Nothing whose delivery time is already past is planned — except a reminder still waiting in
  the queue (the bot was down, or the clock jumped ahead): it is still owed, and is held to its
  recipient's next window (``windows.catch_up_time``) instead of arriving at once, at any hour.

Goals and reporting come from the latest *signed* version; pass none while nothing is signed.
This module never stores, sends or words reminders.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from bot.reminders.windows import Availability, catch_up_time
from bot.roles import Role

NUDGE_DELAYS: tuple[timedelta, ...] = (timedelta(days=1), timedelta(days=3), timedelta(days=7))


class ReminderKind(StrEnum):
    GOAL_DUE_7D = "goal_due_7d"
    GOAL_DUE_3D = "goal_due_3d"
    GOAL_DUE_1D = "goal_due_1d"
    GOAL_DUE_TODAY = "goal_due_today"
    CHECKIN = "checkin"
    OUTCOME = "outcome"
    SIGNOFF_PENDING = "signoff_pending"
    QUESTIONS_PENDING = "questions_pending"
    WEEKLY_DIGEST = "weekly_digest"


# Closest first: a reminder moved onto a closer one's time gives way to it.
_DEADLINE_STEPS: tuple[tuple[ReminderKind, int], ...] = (
    (ReminderKind.GOAL_DUE_TODAY, 0),
    (ReminderKind.GOAL_DUE_1D, 1),
    (ReminderKind.GOAL_DUE_3D, 3),
    (ReminderKind.GOAL_DUE_7D, 7),
)


def deadline_reminder_moot(kind: ReminderKind, days_left: int) -> bool:
    """A deadline reminder that goes out late (held after downtime) with no more days left than
    the next closer reminder's step repeats what that one says — or the deadline has passed and
    the outcome reminder takes over. On-time planning never produces one (see the rules above)."""
    if days_left < 0:
        return True
    steps = [days for _, days in _DEADLINE_STEPS]
    mine = next(days for step_kind, days in _DEADLINE_STEPS if step_kind is kind)
    closer = [days for days in steps if days < mine]
    return bool(closer) and days_left <= max(closer)


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class Participant:
    user_id: int
    role: Role
    availability: Availability


@dataclass(frozen=True, slots=True)
class GoalDeadline:
    goal_id: int
    deadline: date


@dataclass(frozen=True, slots=True)
class Reporting:
    cadence: Cadence
    start: date  # the date the brief was signed


@dataclass(frozen=True, slots=True)
class PendingSignoff:
    since: datetime  # when the current version was sent for sign-off
    user_ids: frozenset[int]  # who has not approved it yet


@dataclass(frozen=True, slots=True)
class OpenQuestions:
    user_id: int
    count: int
    since: datetime  # when the oldest open question became theirs, or their last answer


@dataclass(frozen=True, slots=True)
class PlanInput:
    project_id: int
    version: int
    participants: tuple[Participant, ...]
    goals: tuple[GoalDeadline, ...] = ()
    reporting: Reporting | None = None
    signoff: PendingSignoff | None = None
    questions: tuple[OpenQuestions, ...] = ()

    def __post_init__(self) -> None:
        if len({p.user_id for p in self.participants}) != len(self.participants):
            raise ValueError("each participant appears once")
        if len({g.goal_id for g in self.goals}) != len(self.goals):
            raise ValueError("each goal appears once")
        if len({q.user_id for q in self.questions}) != len(self.questions):
            raise ValueError("each person's open questions come as one entry")


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    key: str
    recipient_id: int
    kind: ReminderKind
    project_id: int | None  # None: about all of a person's projects (the weekly digest)
    goal_id: int | None
    due_utc: datetime


@dataclass(frozen=True, slots=True)
class PlanChange:
    to_add: tuple[PlannedReminder, ...]
    to_cancel: tuple[str, ...]
    to_reschedule: tuple[PlannedReminder, ...]


def plan_reminders(
    brief: PlanInput, now_utc: datetime, waiting: Set[str] = frozenset()
) -> list[PlannedReminder]:
    """Every reminder the project should still get, earliest first.

    ``waiting``: keys stored and not yet delivered. One of them whose time has passed is kept,
    at the time it may now go; any other past reminder is dropped.
    """
    if now_utc.utcoffset() is None:
        raise ValueError("now_utc must be timezone-aware")
    planned = [
        *_deadline_reminders(brief),
        *_outcomes(brief),
        *_checkins(brief),
        *_signoff_nudges(brief),
        *_question_nudges(brief),
    ]
    kept = [r for r in planned if r.due_utc >= now_utc]
    for overdue in (r for r in planned if r.due_utc < now_utc and r.key in waiting):
        availability = _participant(brief, overdue.recipient_id).availability
        due = catch_up_time(availability, overdue.due_utc, now_utc)
        kept.append(replace(overdue, due_utc=due))
    return sorted(kept, key=lambda r: (r.due_utc, r.key))


def next_digest(user_id: int, availability: Availability, now_utc: datetime) -> PlannedReminder:
    """The specialist's next weekly digest: at the opening of their window on the coming Monday
    of their zone (moved to their next working day when Monday is not one); once this Monday's
    has come due, next Monday's. Keyed by the Monday, so planning it again changes nothing."""
    today = now_utc.astimezone(availability.zone).date()
    monday = today + timedelta(days=-today.weekday() % 7)
    while (due := availability.next_delivery(availability.opening_on(monday))) <= now_utc:
        monday += timedelta(weeks=1)
    key = f"digest:{monday:%Y%m%d}:u{user_id}"
    return PlannedReminder(key, user_id, ReminderKind.WEEKLY_DIGEST, None, None, due)


def diff_plan(
    existing_keys_with_due: Mapping[str, datetime],
    planned: Sequence[PlannedReminder],
    *,
    sent: Set[str] = frozenset(),
) -> PlanChange:
    """What to change in the stored reminders so they match ``planned``.

    ``existing_keys_with_due`` are the stored reminders not yet sent; ``sent`` are keys already
    delivered, which are never added or moved again (a later zone can put a sent reminder's
    time back in the future).
    """
    keys = [r.key for r in planned]
    if len(set(keys)) != len(keys):
        raise ValueError("planned reminders must have distinct keys")
    wanted = [r for r in planned if r.key not in sent]
    return PlanChange(
        to_add=tuple(r for r in wanted if r.key not in existing_keys_with_due),
        to_cancel=tuple(sorted(existing_keys_with_due.keys() - set(keys))),
        to_reschedule=tuple(
            r
            for r in wanted
            if r.key in existing_keys_with_due and existing_keys_with_due[r.key] != r.due_utc
        ),
    )


def _deadline_reminders(brief: PlanInput) -> Iterator[PlannedReminder]:
    for goal in brief.goals:
        for person in brief.participants:
            availability = person.availability
            closer_due: datetime | None = None
            for kind, days_before in _DEADLINE_STEPS:
                due = availability.next_delivery(
                    availability.opening_on(goal.deadline - timedelta(days=days_before))
                )
                if due.astimezone(availability.zone).date() > goal.deadline:
                    continue
                if closer_due is not None and due >= closer_due:
                    continue
                closer_due = due
                key = _goal_key(brief, goal, f"due{days_before}", person.user_id)
                yield PlannedReminder(
                    key, person.user_id, kind, brief.project_id, goal.goal_id, due
                )


def _outcomes(brief: PlanInput) -> Iterator[PlannedReminder]:
    for goal in brief.goals:
        for person in _specialists(brief):
            availability = person.availability
            due = availability.next_delivery(
                availability.opening_on(goal.deadline + timedelta(days=1))
            )
            key = _goal_key(brief, goal, "outcome", person.user_id)
            yield PlannedReminder(
                key, person.user_id, ReminderKind.OUTCOME, brief.project_id, goal.goal_id, due
            )


def _checkins(brief: PlanInput) -> Iterator[PlannedReminder]:
    if brief.reporting is None or not brief.goals:
        return
    last_deadline = max(g.deadline for g in brief.goals)
    for day in _checkin_days(brief.reporting, last_deadline):
        for person in _specialists(brief):
            availability = person.availability
            due = availability.next_delivery(availability.opening_on(day))
            key = f"p{brief.project_id}:checkin:{day:%Y%m%d}:u{person.user_id}"
            yield PlannedReminder(
                key, person.user_id, ReminderKind.CHECKIN, brief.project_id, None, due
            )


def _checkin_days(reporting: Reporting, before: date) -> Iterator[date]:
    period = 1
    while (day := _step(reporting, period)) < before:
        yield day
        period += 1


def _step(reporting: Reporting, periods: int) -> date:
    start = reporting.start
    if reporting.cadence is Cadence.WEEKLY:
        return start + timedelta(weeks=periods)
    if reporting.cadence is Cadence.BIWEEKLY:
        return start + timedelta(weeks=2 * periods)
    year, month = divmod(start.month - 1 + periods, 12)
    year += start.year
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def _signoff_nudges(brief: PlanInput) -> Iterator[PlannedReminder]:
    if brief.signoff is None:
        return
    for user_id in sorted(brief.signoff.user_ids):
        availability = _participant(brief, user_id).availability
        for number, delay in enumerate(NUDGE_DELAYS, start=1):
            due = availability.next_delivery(brief.signoff.since + delay)
            key = f"p{brief.project_id}:v{brief.version}:signoff{number}:u{user_id}"
            yield PlannedReminder(
                key, user_id, ReminderKind.SIGNOFF_PENDING, brief.project_id, None, due
            )


def _question_nudges(brief: PlanInput) -> Iterator[PlannedReminder]:
    for owed in brief.questions:
        if owed.count <= 0:
            continue
        availability = _participant(brief, owed.user_id).availability
        stamp = owed.since.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
        for number, delay in enumerate(NUDGE_DELAYS, start=1):
            due = availability.next_delivery(owed.since + delay)
            key = f"p{brief.project_id}:questions:{stamp}:{number}:u{owed.user_id}"
            yield PlannedReminder(
                key, owed.user_id, ReminderKind.QUESTIONS_PENDING, brief.project_id, None, due
            )


def _goal_key(brief: PlanInput, goal: GoalDeadline, what: str, user_id: int) -> str:
    # The deadline is part of the key: a moved deadline deserves fresh reminders.
    return f"p{brief.project_id}:g{goal.goal_id}:{goal.deadline:%Y%m%d}:{what}:u{user_id}"


def _specialists(brief: PlanInput) -> list[Participant]:
    return [p for p in brief.participants if p.role is Role.SPECIALIST]


def _participant(brief: PlanInput, user_id: int) -> Participant:
    for person in brief.participants:
        if person.user_id == user_id:
            return person
    raise ValueError(f"user {user_id} is not a participant of project {brief.project_id}")
