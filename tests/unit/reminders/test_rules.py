from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.rules import (
    Cadence,
    GoalDeadline,
    OpenQuestions,
    Participant,
    PendingSignoff,
    PlanInput,
    PlannedReminder,
    ReminderKind,
    Reporting,
    deadline_reminder_moot,
    diff_plan,
    next_digest,
    plan_reminders,
)
from bot.reminders.windows import Availability
from bot.roles import Role

MOSCOW = ZoneInfo("Europe/Moscow")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
WEEKDAYS = frozenset({1, 2, 3, 4, 5})

SPECIALIST = Participant(1, Role.SPECIALIST, Availability(MOSCOW, WEEKDAYS, time(10), time(19)))
CLIENT = Participant(2, Role.CLIENT, Availability(VLADIVOSTOK))  # default 10:00–20:00 daily
FRIDAY_DEADLINE = GoalDeadline(3, date(2026, 3, 20))
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def utc(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def brief(**changes: object) -> PlanInput:
    base = PlanInput(
        project_id=7, version=2, participants=(SPECIALIST, CLIENT), goals=(FRIDAY_DEADLINE,)
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def by_kind(plan: list[PlannedReminder], user_id: int) -> dict[ReminderKind, datetime]:
    mine = [r for r in plan if r.recipient_id == user_id]
    assert len({r.kind for r in mine}) == len(mine)
    return {r.kind: r.due_utc for r in mine}


def stored(plan: list[PlannedReminder]) -> dict[str, datetime]:
    return {r.key: r.due_utc for r in plan}


# --- goal deadlines ---------------------------------------------------------------------------


def test_deadline_reminders_open_each_recipients_window() -> None:
    plan = plan_reminders(brief(), NOW)
    assert by_kind(plan, SPECIALIST.user_id) == {
        ReminderKind.GOAL_DUE_7D: utc(3, 13, 7),  # Friday 10:00 MSK
        ReminderKind.GOAL_DUE_3D: utc(3, 17, 7),
        ReminderKind.GOAL_DUE_1D: utc(3, 19, 7),
        ReminderKind.GOAL_DUE_TODAY: utc(3, 20, 7),
        ReminderKind.OUTCOME: utc(3, 23, 7),  # Saturday is off: Monday 10:00 MSK
    }
    assert by_kind(plan, CLIENT.user_id) == {
        ReminderKind.GOAL_DUE_7D: utc(3, 13),  # 10:00 in Vladivostok is midnight UTC
        ReminderKind.GOAL_DUE_3D: utc(3, 17),
        ReminderKind.GOAL_DUE_1D: utc(3, 19),
        ReminderKind.GOAL_DUE_TODAY: utc(3, 20),
    }
    assert all(r.goal_id == 3 and r.project_id == 7 for r in plan)


def test_plan_is_sorted_and_keys_are_deterministic_and_unique() -> None:
    plan = plan_reminders(brief(), NOW)
    assert plan == plan_reminders(brief(), NOW)
    assert len({r.key for r in plan}) == len(plan)
    assert plan == sorted(plan, key=lambda r: (r.due_utc, r.key))
    keys = {r.key for r in plan if r.recipient_id == 1}
    assert "p7:g3:20260320:due7:u1" in keys
    assert "p7:g3:20260320:due0:u1" in keys
    assert "p7:g3:20260320:outcome:u1" in keys


def test_past_reminders_are_not_planned() -> None:
    plan = plan_reminders(brief(), utc(3, 17, 8))  # after the specialist's 3-day reminder
    kinds = by_kind(plan, SPECIALIST.user_id)
    assert ReminderKind.GOAL_DUE_7D not in kinds
    assert ReminderKind.GOAL_DUE_3D not in kinds
    assert kinds[ReminderKind.GOAL_DUE_1D] == utc(3, 19, 7)


def test_reminder_moved_onto_a_closer_one_gives_way() -> None:
    monday = GoalDeadline(3, date(2026, 3, 23))
    kinds = by_kind(plan_reminders(brief(goals=(monday,)), NOW), SPECIALIST.user_id)
    # "1 day before" is a Sunday; moved to Monday it would duplicate the reminder on the day.
    assert ReminderKind.GOAL_DUE_1D not in kinds
    assert kinds[ReminderKind.GOAL_DUE_TODAY] == utc(3, 23, 7)
    assert kinds[ReminderKind.GOAL_DUE_3D] == utc(3, 20, 7)
    assert kinds[ReminderKind.GOAL_DUE_7D] == utc(3, 16, 7)


def test_no_deadline_reminder_lands_after_the_deadline() -> None:
    sunday = GoalDeadline(3, date(2026, 3, 22))
    kinds = by_kind(plan_reminders(brief(goals=(sunday,)), NOW), SPECIALIST.user_id)
    assert ReminderKind.GOAL_DUE_TODAY not in kinds
    assert ReminderKind.GOAL_DUE_1D not in kinds
    assert kinds[ReminderKind.GOAL_DUE_3D] == utc(3, 19, 7)  # Thursday
    assert kinds[ReminderKind.GOAL_DUE_7D] == utc(3, 16, 7)  # Sunday moved to Monday


def test_outcome_goes_to_specialists_only() -> None:
    plan = plan_reminders(brief(), NOW)
    assert {r.recipient_id for r in plan if r.kind is ReminderKind.OUTCOME} == {1}


def test_nothing_about_goals_without_goals() -> None:
    reporting = Reporting(Cadence.WEEKLY, date(2026, 3, 2))
    assert plan_reminders(brief(goals=(), reporting=reporting), NOW) == []


# --- check-ins --------------------------------------------------------------------------------


def checkins(plan: list[PlannedReminder]) -> list[PlannedReminder]:
    return [r for r in plan if r.kind is ReminderKind.CHECKIN]


def test_weekly_checkins_go_to_the_specialist_until_the_deadline() -> None:
    reporting = Reporting(Cadence.WEEKLY, date(2026, 3, 2))
    rows = checkins(plan_reminders(brief(reporting=reporting), NOW))
    assert [(r.recipient_id, r.due_utc, r.goal_id) for r in rows] == [
        (1, utc(3, 9, 7), None),
        (1, utc(3, 16, 7), None),
    ]
    assert rows[0].key == "p7:checkin:20260309:u1"


def test_biweekly_checkins() -> None:
    goal = GoalDeadline(3, date(2026, 4, 1))
    reporting = Reporting(Cadence.BIWEEKLY, date(2026, 3, 2))
    rows = checkins(plan_reminders(brief(goals=(goal,), reporting=reporting), NOW))
    assert [r.due_utc for r in rows] == [utc(3, 16, 7), utc(3, 30, 7)]


def test_monthly_checkins_keep_the_day_or_take_the_months_last() -> None:
    every_day = replace(SPECIALIST, availability=Availability(MOSCOW))
    goal = GoalDeadline(3, date(2028, 5, 1))
    reporting = Reporting(Cadence.MONTHLY, date(2028, 1, 31))
    plan = plan_reminders(
        brief(participants=(every_day,), goals=(goal,), reporting=reporting),
        utc(1, 1, year=2028),
    )
    assert [r.due_utc for r in checkins(plan)] == [
        utc(2, 29, 7, year=2028),
        utc(3, 31, 7, year=2028),
        utc(4, 30, 7, year=2028),
    ]


def test_monthly_checkins_cross_the_year() -> None:
    every_day = replace(SPECIALIST, availability=Availability(MOSCOW))
    goal = GoalDeadline(3, date(2027, 2, 1))
    reporting = Reporting(Cadence.MONTHLY, date(2026, 11, 15))
    plan = plan_reminders(brief(participants=(every_day,), goals=(goal,), reporting=reporting), NOW)
    assert [r.due_utc for r in checkins(plan)] == [utc(12, 15, 7), utc(1, 15, 7, year=2027)]


# --- sign-off and questions -------------------------------------------------------------------


def test_signoff_nudges_repeat_three_times_inside_the_window() -> None:
    pending = PendingSignoff(since=utc(3, 2, 12), user_ids=frozenset({2}))
    plan = plan_reminders(brief(goals=(), signoff=pending), NOW)
    # +1, +3, +7 days land at 22:00 in Vladivostok, so each waits for 10:00 the next morning.
    assert [(r.key, r.due_utc) for r in plan] == [
        ("p7:v2:signoff1:u2", utc(3, 4)),
        ("p7:v2:signoff2:u2", utc(3, 6)),
        ("p7:v2:signoff3:u2", utc(3, 10)),
    ]
    assert {r.kind for r in plan} == {ReminderKind.SIGNOFF_PENDING}


def test_signoff_nudges_restart_for_a_new_version() -> None:
    pending = PendingSignoff(since=utc(3, 2, 12), user_ids=frozenset({2}))
    old = {r.key for r in plan_reminders(brief(goals=(), signoff=pending), NOW)}
    new = {r.key for r in plan_reminders(brief(goals=(), signoff=pending, version=3), NOW)}
    assert old.isdisjoint(new)


def test_question_nudges() -> None:
    owed = OpenQuestions(user_id=1, count=4, since=utc(3, 2, 9))  # Monday 12:00 MSK
    plan = plan_reminders(brief(goals=(), questions=(owed,)), NOW)
    assert [(r.key, r.due_utc, r.kind) for r in plan] == [
        ("p7:questions:20260302T090000:1:u1", utc(3, 3, 9), ReminderKind.QUESTIONS_PENDING),
        ("p7:questions:20260302T090000:2:u1", utc(3, 5, 9), ReminderKind.QUESTIONS_PENDING),
        ("p7:questions:20260302T090000:3:u1", utc(3, 9, 9), ReminderKind.QUESTIONS_PENDING),
    ]


def test_no_question_nudges_when_nothing_is_owed() -> None:
    owed = OpenQuestions(user_id=1, count=0, since=utc(3, 2, 9))
    assert plan_reminders(brief(goals=(), questions=(owed,)), NOW) == []


def test_nudges_for_strangers_are_refused() -> None:
    pending = PendingSignoff(since=utc(3, 2, 12), user_ids=frozenset({99}))
    with pytest.raises(ValueError, match="99"):
        plan_reminders(brief(signoff=pending), NOW)


@pytest.mark.parametrize(
    "changes",
    [
        {"participants": (SPECIALIST, SPECIALIST)},
        {"goals": (FRIDAY_DEADLINE, FRIDAY_DEADLINE)},
        {"questions": (OpenQuestions(1, 1, NOW), OpenQuestions(1, 2, NOW))},
    ],
)
def test_duplicates_in_the_input_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"once|one entry"):
        brief(**changes)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_reminders(brief(), datetime(2026, 3, 1))


# --- re-planning ------------------------------------------------------------------------------


def test_first_plan_adds_everything() -> None:
    plan = plan_reminders(brief(), NOW)
    change = diff_plan({}, plan)
    assert change.to_add == tuple(plan)
    assert not (change.to_cancel or change.to_reschedule)


def test_replanning_the_same_brief_changes_nothing() -> None:
    plan = plan_reminders(brief(), NOW)
    change = diff_plan(stored(plan), plan_reminders(brief(), NOW))
    assert not (change.to_add or change.to_cancel or change.to_reschedule)


def test_re_signed_version_with_same_goals_keeps_goal_reminders() -> None:
    plan = plan_reminders(brief(), NOW)
    change = diff_plan(stored(plan), plan_reminders(brief(version=3), NOW))
    assert not (change.to_add or change.to_cancel or change.to_reschedule)


def test_new_time_zone_reschedules_without_duplicates() -> None:
    plan = plan_reminders(brief(), NOW)
    moved = replace(SPECIALIST, availability=replace(SPECIALIST.availability, zone=VLADIVOSTOK))
    change = diff_plan(stored(plan), plan_reminders(brief(participants=(moved, CLIENT)), NOW))
    assert not (change.to_add or change.to_cancel)
    assert {r.recipient_id for r in change.to_reschedule} == {1}
    assert len(change.to_reschedule) == 5
    today = next(r for r in change.to_reschedule if r.kind is ReminderKind.GOAL_DUE_TODAY)
    assert today.due_utc == utc(3, 20)


def test_moved_deadline_cancels_old_reminders_and_adds_new_ones() -> None:
    plan = plan_reminders(brief(), NOW)
    later = GoalDeadline(3, date(2026, 3, 27))
    replanned = plan_reminders(brief(goals=(later,)), NOW)
    change = diff_plan(stored(plan), replanned)
    assert set(change.to_cancel) == set(stored(plan))
    assert change.to_add == tuple(replanned)
    assert change.to_reschedule == ()


def test_sent_reminders_are_never_added_or_moved_again() -> None:
    plan = plan_reminders(brief(), NOW)
    first, second, *rest = plan
    pending = {r.key: r.due_utc for r in rest}
    pending[second.key] = utc(1, 1)  # stale time for a row that was sent meanwhile
    change = diff_plan(pending, plan, sent={first.key, second.key})
    assert not (change.to_add or change.to_cancel or change.to_reschedule)


def test_diff_plan_refuses_duplicate_keys() -> None:
    plan = plan_reminders(brief(), NOW)
    with pytest.raises(ValueError, match="distinct"):
        diff_plan({}, [plan[0], plan[0]])


# --- reminders the bot noticed late -----------------------------------------------------------


def test_an_overdue_reminder_still_waiting_is_held_to_the_next_window_not_dropped() -> None:
    on_time = plan_reminders(brief(), NOW)
    week_before = next(
        r
        for r in on_time
        if r.recipient_id == SPECIALIST.user_id and r.kind is ReminderKind.GOAL_DUE_7D
    )
    assert week_before.due_utc == utc(3, 13, 7)  # Friday 10:00 MSK
    saturday_evening = utc(3, 14, 17, 21)  # 20:21 MSK, the bot back after downtime

    replanned = plan_reminders(brief(), saturday_evening, waiting={week_before.key})
    held = [r for r in replanned if r.key == week_before.key]
    assert held == [replace(week_before, due_utc=utc(3, 16, 7))]  # Monday 10:00 MSK
    # Overdue reminders nobody stored (already sent, or cancelled) are not planned again.
    assert all(r.due_utc >= saturday_evening for r in replanned)
    assert week_before.key not in {r.key for r in plan_reminders(brief(), saturday_evening)}


def test_a_deadline_reminder_held_onto_a_closer_ones_day_is_moot() -> None:
    assert deadline_reminder_moot(ReminderKind.GOAL_DUE_7D, 1)  # the 1-day one says it
    assert deadline_reminder_moot(ReminderKind.GOAL_DUE_7D, 3)
    assert not deadline_reminder_moot(ReminderKind.GOAL_DUE_7D, 4)
    assert not deadline_reminder_moot(ReminderKind.GOAL_DUE_3D, 2)
    assert deadline_reminder_moot(ReminderKind.GOAL_DUE_1D, 0)
    assert not deadline_reminder_moot(ReminderKind.GOAL_DUE_TODAY, 0)
    assert deadline_reminder_moot(ReminderKind.GOAL_DUE_TODAY, -1)  # the outcome's turn


# --- the weekly digest ------------------------------------------------------------------------


def test_the_digest_comes_at_the_opening_of_the_specialists_monday_window() -> None:
    office = SPECIALIST.availability  # Moscow, Monday to Friday, 10:00–19:00
    saturday_evening = utc(3, 14, 17, 21)
    digest = next_digest(1, office, saturday_evening)
    assert (digest.key, digest.due_utc) == ("digest:20260316:u1", utc(3, 16, 7))
    assert (digest.kind, digest.project_id, digest.recipient_id) == (
        ReminderKind.WEEKLY_DIGEST,
        None,
        1,
    )
    assert next_digest(1, office, utc(3, 16, 6)) == digest  # Monday 09:00: this Monday's
    later = next_digest(1, office, utc(3, 16, 7, 1))  # once it came due: next Monday's
    assert (later.key, later.due_utc) == ("digest:20260323:u1", utc(3, 23, 7))


def test_a_specialist_off_on_mondays_gets_the_digest_on_their_next_working_day() -> None:
    tuesday_to_saturday = Availability(MOSCOW, frozenset({2, 3, 4, 5, 6}), time(10), time(19))
    digest = next_digest(1, tuesday_to_saturday, utc(3, 14, 17, 21))
    assert (digest.key, digest.due_utc) == ("digest:20260316:u1", utc(3, 17, 7))
