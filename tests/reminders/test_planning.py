"""Re-planning from the database, and delivery with a moved clock: a signed brief with a deadline
gives exactly the planned reminders, each delivered inside its recipient's hours in their own zone,
through the spring DST change in Berlin (29 March 2026)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot
from sqlalchemy import select

from bot.clock import ShiftedClock
from bot.db.models import Goal, Project, ReminderStatus, User
from bot.projects import save_answer
from bot.reminders.planning import replan_project, replan_user, set_muted, snooze
from bot.reminders.rules import ReminderKind as K
from bot.reminders.sender import ReminderSender, SenderSettings
from bot.roles import Role
from testkit import FakeBotAPIClient, SimUser
from tests.reminders.conftest import Sessions, eventually, reminders
from tests.reminders.signed import GoalSpec, add_version, person, signed_project
from ui.reminders import build_render

BERLIN = ZoneInfo("Europe/Berlin")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
SIGNED = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)  # a Friday, winter time in Berlin
DEADLINE = date(2026, 3, 31)  # a Tuesday, summer time in Berlin
SPECIALIST, CLIENT = 501, 502


def at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def set_clock(clock: ShiftedClock, moment: datetime) -> None:
    clock.offset = timedelta(0)
    clock.offset = moment - clock.now()


async def make_signed(sessions: Sessions) -> tuple[int, dict[int, int]]:
    """Berlin specialist (Mon–Fri 10–19), Vladivostok client with no hours set (10–20 daily)."""
    async with sessions() as session, session.begin():
        specialist = person(
            SPECIALIST, zone="Europe/Berlin", days=[0, 1, 2, 3, 4], hours=(time(10), time(19))
        )
        client = person(CLIENT, zone="Asia/Vladivostok", language="en")
        project, goals = await signed_project(
            session,
            specialist,
            client,
            [GoalSpec("1500 подписчиков <в VK>", DEADLINE, 1500, baseline=1000)],
            SIGNED,
        )
        return project.id, {SPECIALIST: specialist.id, CLIENT: client.id, 0: goals[0].id}


async def planned(sessions: Sessions) -> set[tuple[int, K, datetime]]:
    return {
        (r.recipient_id, r.kind, r.due_at)
        for r in await reminders(sessions)
        if r.status is ReminderStatus.PLANNED
    }


def expected(ids: dict[int, int]) -> set[tuple[int, K, datetime]]:
    anna, boris = ids[SPECIALIST], ids[CLIENT]
    return {
        # Berlin, 10:00 local: 09:00Z before 29 March, 08:00Z after. The 3-day reminder falls on
        # Saturday, moves to Monday and gives way to the 1-day one already there.
        (anna, K.GOAL_DUE_7D, at(24, 9)),
        (anna, K.CHECKIN, at(27, 9)),  # weekly from Friday 20 March
        (anna, K.GOAL_DUE_1D, at(30, 8)),
        (anna, K.GOAL_DUE_TODAY, at(31, 8)),
        (anna, K.OUTCOME, at(1, 8, month=4)),
        # Vladivostok is UTC+10 all year: 10:00 local is midnight UTC, every day of the week.
        (boris, K.GOAL_DUE_7D, at(24, 0)),
        (boris, K.GOAL_DUE_3D, at(28, 0)),
        (boris, K.GOAL_DUE_1D, at(30, 0)),
        (boris, K.GOAL_DUE_TODAY, at(31, 0)),
    }


async def test_a_signed_brief_plans_exactly_these_reminders_in_each_zone(
    sessions: Sessions,
) -> None:
    project_id, ids = await make_signed(sessions)
    async with sessions() as session, session.begin():
        await replan_project(session, project_id, SIGNED)
    assert await planned(sessions) == expected(ids)

    async with sessions() as session, session.begin():  # planning again changes nothing
        change = await replan_project(session, project_id, SIGNED)
    assert not (change.to_add or change.to_cancel or change.to_reschedule)
    assert len(await reminders(sessions)) == len(expected(ids))


async def test_moved_clock_delivers_each_once_inside_the_recipients_hours(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    project_id, ids = await make_signed(sessions)
    await client.send_texts([(SimUser(id=chat), "/start") for chat in (SPECIALIST, CLIENT)])
    set_clock(clock, SIGNED)
    async with sessions() as session, session.begin():
        await replan_project(session, project_id, clock.now())
    settings = SenderSettings(poll_interval=0.02)
    sender = ReminderSender(sessions, bot, clock, build_render(sessions), "w1", settings=settings)
    sender.start()
    try:
        for due in sorted({due for _, _, due in expected(ids)}):
            set_clock(clock, due)

            async def due_ones_sent(due: datetime = due) -> bool:
                rows = await reminders(sessions)
                return all(r.status is ReminderStatus.SENT for r in rows if r.due_at <= due)

            await eventually(due_ones_sent)
    finally:
        await sender.stop()

    rows = await reminders(sessions)
    assert {(r.recipient_id, r.kind, r.due_at) for r in rows} == expected(ids)
    for row in rows:
        assert row.status is ReminderStatus.SENT and row.sent_at is not None
        if row.recipient_id == ids[SPECIALIST]:
            local = row.sent_at.astimezone(BERLIN)
            assert local.weekday() < 5 and time(10) <= local.time() < time(19), local
        else:
            local = row.sent_at.astimezone(VLADIVOSTOK)
            assert time(10) <= local.time() < time(20), local
    anna_chat = [m.text or "" for m in await client.received(SPECIALIST)]
    boris_chat = [m.text or "" for m in await client.received(CLIENT)]
    assert len(anna_chat) == 5 and len(boris_chat) == 4
    assert "1500 подписчиков &lt;в VK&gt;" in anna_chat[0]  # user text escaped for HTML
    assert "7 дней" in anna_chat[0] and "7 days" in boris_chat[0]  # each in their own language
    assert any("today is the deadline" in text for text in boris_chat)


async def test_after_downtime_overdue_reminders_wait_for_each_recipients_hours(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    project_id, ids = await make_signed(sessions)
    anna, boris = ids[SPECIALIST], ids[CLIENT]
    await client.send_texts([(SimUser(id=chat), "/start") for chat in (SPECIALIST, CLIENT)])
    async with sessions() as session, session.begin():
        await replan_project(session, project_id, SIGNED)
    # The bot was down from Monday 23 March until Saturday 28 March, 20:21 in Berlin (05:21 on
    # Sunday in Vladivostok): the start-up re-plan keeps what is overdue, held to each window.
    back = datetime(2026, 3, 28, 19, 21, tzinfo=UTC)
    set_clock(clock, back)
    async with sessions() as session, session.begin():
        await replan_project(session, project_id, back)
    assert await planned(sessions) == {
        (anna, K.GOAL_DUE_7D, at(30, 8)),  # Monday 10:00 in Berlin, not Saturday evening
        (anna, K.CHECKIN, at(30, 8)),
        (anna, K.GOAL_DUE_1D, at(30, 8)),
        (anna, K.GOAL_DUE_TODAY, at(31, 8)),
        (anna, K.OUTCOME, at(1, 8, month=4)),
        (boris, K.GOAL_DUE_7D, at(29, 0)),  # Sunday 10:00 in Vladivostok
        (boris, K.GOAL_DUE_3D, at(29, 0)),
        (boris, K.GOAL_DUE_1D, at(30, 0)),
        (boris, K.GOAL_DUE_TODAY, at(31, 0)),
    }

    settings = SenderSettings(poll_interval=0.02)
    sender = ReminderSender(sessions, bot, clock, build_render(sessions), "w1", settings=settings)
    sender.start()
    try:
        await asyncio.sleep(0.3)
        assert await client.received(SPECIALIST) == [] and await client.received(CLIENT) == []
        for due in (at(29, 0), at(30, 0), at(30, 8)):
            set_clock(clock, due)

            async def due_ones_done(due: datetime = due) -> bool:
                rows = await reminders(sessions)
                done = (ReminderStatus.SENT, ReminderStatus.CANCELLED)
                return all(r.status in done for r in rows if r.due_at <= due)

            await eventually(due_ones_done)
    finally:
        await sender.stop()

    # A 7-day reminder held onto the day a closer one says it gives way to that one.
    anna_chat = [m.text or "" for m in await client.received(SPECIALIST)]
    boris_chat = [m.text or "" for m in await client.received(CLIENT)]
    assert len(anna_chat) == 2 and "1 день" in anna_chat[1], anna_chat
    assert len(boris_chat) == 2 and "2 days" in boris_chat[0], boris_chat
    for row in await reminders(sessions):
        if row.sent_at is not None and row.recipient_id == anna:
            local = row.sent_at.astimezone(BERLIN)
            assert local.weekday() < 5 and time(10) <= local.time() < time(19), local


async def test_a_zone_change_moves_the_pending_reminders(sessions: Sessions) -> None:
    project_id, ids = await make_signed(sessions)
    async with sessions() as session, session.begin():
        await replan_project(session, project_id, SIGNED)
        boris = await session.get(User, ids[CLIENT])
        assert boris is not None
        boris.timezone = "UTC+05:00"
        await replan_user(session, boris, SIGNED)
    dues = {due for who, kind, due in await planned(sessions) if who == ids[CLIENT]}
    assert dues == {at(24, 5), at(28, 5), at(30, 5), at(31, 5)}
    assert len(await reminders(sessions)) == len(expected(ids))  # moved, not added


async def test_a_newer_unsigned_version_nudges_who_has_not_approved_it(
    sessions: Sessions,
) -> None:
    project_id, ids = await make_signed(sessions)
    sent = at(2, 9, month=4)
    async with sessions() as session, session.begin():
        project = await session.get(Project, project_id)
        goal = await session.get(Goal, ids[0])
        assert project is not None and goal is not None
        await add_version(
            session, project, [goal], number=2, created_at=sent, approved={Role.SPECIALIST: sent}
        )
        await replan_project(session, project_id, sent)
    nudges = sorted(
        (who, due) for who, kind, due in await planned(sessions) if kind is K.SIGNOFF_PENDING
    )
    # Boris only, 1, 3 and 7 days after it was sent: 19:00 in Vladivostok, inside his hours.
    assert nudges == [
        (ids[CLIENT], at(3, 9, month=4)),
        (ids[CLIENT], at(5, 9, month=4)),
        (ids[CLIENT], at(9, 9, month=4)),
    ]


async def test_questions_are_nudged_only_while_no_version_went_out(sessions: Sessions) -> None:
    start = at(1, 9)
    async with sessions() as session, session.begin():
        anna = person(SPECIALIST, zone="Europe/Berlin")
        session.add(anna)
        await session.flush()
        project = Project(specialist_id=anna.id, brand="Лавка", created_at=start)
        session.add(project)
        await session.flush()
        await replan_project(session, project.id, start)
        project_id = project.id
    rows = await planned(sessions)
    assert {kind for _, kind, _ in rows} == {K.QUESTIONS_PENDING}
    assert sorted(due for _, _, due in rows) == [at(2, 9), at(4, 9), at(8, 9)]

    answered = at(3, 12)  # an answer restarts the nudges from that moment
    async with sessions() as session:
        same = await session.get(Project, project_id)
        anna_row = await session.scalar(select(User).where(User.telegram_id == SPECIALIST))
        assert same is not None and anna_row is not None
        await save_answer(session, same, anna_row, "aim", "sell_stock", answered)
        await session.commit()
    async with sessions() as session, session.begin():
        await replan_project(session, project_id, answered)
    assert sorted(due for _, _, due in await planned(sessions)) == [
        at(4, 12),
        at(6, 12),
        at(10, 12),
    ]


async def test_mute_cancels_and_survives_replanning_until_unmuted(sessions: Sessions) -> None:
    project_id, ids = await make_signed(sessions)
    async with sessions() as session:
        await replan_project(session, project_id, SIGNED)
        boris = await session.get(User, ids[CLIENT])
        assert boris is not None
        await set_muted(session, boris, project_id, True, SIGNED)
        await replan_project(session, project_id, SIGNED)
        await session.commit()
    assert {who for who, _, _ in await planned(sessions)} == {ids[SPECIALIST]}
    cancelled = [r for r in await reminders(sessions) if r.status is ReminderStatus.CANCELLED]
    assert len(cancelled) == 4 and {r.recipient_id for r in cancelled} == {ids[CLIENT]}

    async with sessions() as session:
        boris = await session.get(User, ids[CLIENT])
        assert boris is not None
        await set_muted(session, boris, project_id, False, SIGNED)
        await session.commit()  # the update's commit: the service leaves it to the caller
    assert await planned(sessions) == expected(ids)


async def test_snooze_moves_what_is_due_within_a_day_by_a_day_and_survives_replanning(
    sessions: Sessions,
) -> None:
    project_id, ids = await make_signed(sessions)
    now = at(23, 12)  # the 7-day reminders are due within the next day
    async with sessions() as session:
        await replan_project(session, project_id, now)
        anna = await session.get(User, ids[SPECIALIST])
        assert anna is not None
        await snooze(session, anna, project_id, now)
        await replan_project(session, project_id, now)
        await session.commit()
    mine = {(kind, due) for who, kind, due in await planned(sessions) if who == ids[SPECIALIST]}
    assert (K.GOAL_DUE_7D, at(25, 9)) in mine  # Tuesday 10:00 → Wednesday 10:00
    assert (K.CHECKIN, at(27, 9)) in mine  # further than a day away: untouched
    theirs = {(kind, due) for who, kind, due in await planned(sessions) if who == ids[CLIENT]}
    assert (K.GOAL_DUE_7D, at(24, 0)) in theirs  # only the person who snoozed


async def test_nothing_is_planned_for_someone_who_blocked_the_bot(sessions: Sessions) -> None:
    project_id, ids = await make_signed(sessions)
    async with sessions() as session, session.begin():
        boris = await session.get(User, ids[CLIENT])
        assert boris is not None
        boris.blocked = True
        await replan_project(session, project_id, SIGNED)
    assert {who for who, _, _ in await planned(sessions)} == {ids[SPECIALIST]}
