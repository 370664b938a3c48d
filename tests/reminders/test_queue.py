"""The durable queue on a real SQLite file (and PostgreSQL where marked `both_databases`): planning upserts, stale cancels, atomic claims, leases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from bot.clock import ShiftedClock
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import ReminderStatus
from bot.reminders import queue
from bot.reminders.rules import PlannedReminder, ReminderKind
from tests.reminders.conftest import Sessions, add_people, add_reminders, ago, reminders
from tests.servers import both_databases


def planned(key: str, user: int, due_in_days: float, clock: ShiftedClock) -> PlannedReminder:
    due = clock.now() + timedelta(days=due_in_days)
    return PlannedReminder(key, user, ReminderKind.GOAL_DUE_1D, 1, 7, due)


@both_databases
async def test_planning_twice_keeps_one_row_per_key(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11, 12])
    plan = [planned("a", users[11], 1, clock), planned("b", users[12], 2, clock)]
    async with sessions() as session, session.begin():
        first = await queue.apply_plan(session, 1, plan, clock.now())
    async with sessions() as session, session.begin():
        second = await queue.apply_plan(session, 1, plan, clock.now())
        await queue.upsert_planned(session, plan, clock.now())  # even a blind upsert adds none

    assert len(first.to_add) == 2
    assert second.to_add == second.to_reschedule == ()
    assert second.to_cancel == ()
    rows = await reminders(sessions)
    assert [(r.key, r.status, r.goal_id) for r in rows] == [
        ("a", ReminderStatus.PLANNED, 7),
        ("b", ReminderStatus.PLANNED, 7),
    ]


@both_databases
async def test_replanning_moves_adds_and_cancels_stale_but_never_touches_sent(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11])
    user = users[11]
    async with sessions() as session, session.begin():
        await queue.apply_plan(
            session,
            1,
            [planned(k, user, d, clock) for k, d in [("a", 1), ("b", 2), ("sent", 3)]],
            clock.now(),
        )
        rows = await queue.claim_due(session, "w", clock.now() + timedelta(days=3.5), 3)
        [sent_id] = [r.id for r in rows if r.key == "sent"]
        await queue.mark_sent(session, sent_id, clock.now())
        await queue.release_claims(session, "w", [r.id for r in rows if r.id != sent_id])
    moved = planned("b", user, 5, clock)
    async with sessions() as session, session.begin():
        change = await queue.apply_plan(
            session,
            1,
            [moved, planned("c", user, 4, clock), planned("sent", user, 9, clock)],
            clock.now(),
        )

    assert [r.key for r in change.to_add] == ["c"]
    assert change.to_reschedule == (moved,)
    by_key = {r.key: r for r in await reminders(sessions)}
    assert by_key["a"].status is ReminderStatus.CANCELLED
    assert by_key["b"].due_at == moved.due_utc
    assert by_key["c"].status is ReminderStatus.PLANNED
    assert change.to_cancel == ("a",)
    assert by_key["sent"].status is ReminderStatus.SENT
    assert by_key["sent"].due_at < moved.due_utc


async def test_a_cancelled_reminder_planned_again_comes_back(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11])
    wanted = planned("a", users[11], 1, clock)
    async with sessions() as session, session.begin():
        await queue.apply_plan(session, 1, [wanted], clock.now())
    async with sessions() as session, session.begin():
        await queue.apply_plan(session, 1, [], clock.now())
    assert (await reminders(sessions))[0].status is ReminderStatus.CANCELLED
    async with sessions() as session, session.begin():
        await queue.apply_plan(session, 1, [wanted], clock.now())
    assert (await reminders(sessions))[0].status is ReminderStatus.PLANNED


async def test_claimed_and_failed_rows_are_not_replanned(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11])
    await add_reminders(
        sessions, [(users[11], ago(clock, 5)), (users[11], ago(clock, 4))], clock.now()
    )
    async with sessions() as session, session.begin():
        first, second = await queue.claim_due(session, "w", clock.now(), 2)
        await queue.record_failure(session, "w", second.id, "boom", clock.now(), give_up=True)
    later = clock.now() + timedelta(days=1)
    replanned = [
        PlannedReminder(r.key, r.recipient_id, r.kind, 1, None, later) for r in (first, second)
    ]
    async with sessions() as session, session.begin():
        await queue.upsert_planned(session, replanned, clock.now())
    rows = await reminders(sessions)
    assert [(r.status, r.due_at < clock.now()) for r in rows] == [
        (ReminderStatus.CLAIMED, True),
        (ReminderStatus.FAILED, True),
    ]
    assert (rows[1].attempts, rows[1].last_error) == (1, "boom")


async def test_plan_rows_must_belong_to_the_project(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    other = PlannedReminder("x", 1, ReminderKind.CHECKIN, 2, None, clock.now())
    async with sessions() as session:
        with pytest.raises(ValueError):
            await queue.apply_plan(session, 1, [other], clock.now())


@both_databases
async def test_claims_only_due_rows_earliest_first_and_never_the_same_row_twice(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11])
    user = users[11]
    due = [(user, ago(clock, 10)), (user, ago(clock, 30)), (user, ago(clock, -60))]
    await add_reminders(sessions, due, clock.now())
    async with sessions() as session, session.begin():
        claimed = await queue.claim_due(session, "w1", clock.now(), 5)
    async with sessions() as session, session.begin():
        again = await queue.claim_due(session, "w2", clock.now(), 5)

    assert [r.key for r in claimed] == ["p1:test:1:u1", "p1:test:0:u1"]
    assert all(r.claimed_by == "w1" and r.status is ReminderStatus.CLAIMED for r in claimed)
    assert again == []


@both_databases
async def test_concurrent_claimers_on_separate_engines_split_the_rows(
    sessions: Sessions, clock: ShiftedClock, database_url: str
) -> None:
    users = await add_people(sessions, None, [11])
    await add_reminders(sessions, [(users[11], ago(clock, n)) for n in range(200)], clock.now())
    engines = [create_engine(database_url) for _ in range(4)]
    factories = [create_session_factory(e) for e in engines]

    async def claim_all(worker: str, factory: Sessions) -> list[int]:
        got: list[int] = []
        while True:
            async with factory() as session, session.begin():
                batch = await queue.claim_due(session, worker, clock.now(), 7)
            if not batch:
                return got
            got += [r.id for r in batch]
            await asyncio.sleep(0)

    results = await asyncio.gather(*(claim_all(f"w{n}", f) for n, f in enumerate(factories)))
    for engine in engines:
        await engine.dispose()
    every = [rid for ids in results for rid in ids]
    assert sorted(every) == sorted(set(every)) and len(every) == 200
    assert sum(1 for ids in results if ids) > 1


async def test_an_abandoned_claim_is_claimable_after_the_lease_and_not_before(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11])
    await add_reminders(sessions, [(users[11], ago(clock, 1))], clock.now())
    async with sessions() as session, session.begin():
        await queue.claim_due(session, "killed", clock.now(), 1)
    clock.advance(timedelta(seconds=59))
    async with sessions() as session, session.begin():
        assert await queue.claim_due(session, "alive", clock.now(), 1) == []
    clock.advance(timedelta(seconds=2))
    async with sessions() as session, session.begin():
        [row] = await queue.claim_due(session, "alive", clock.now(), 1)
    assert row.claimed_by == "alive"


async def test_renewed_claims_are_not_taken_over(sessions: Sessions, clock: ShiftedClock) -> None:
    users = await add_people(sessions, None, [11])
    await add_reminders(sessions, [(users[11], ago(clock, 1))], clock.now())
    async with sessions() as session, session.begin():
        [row] = await queue.claim_due(session, "busy", clock.now(), 1)
    clock.advance(timedelta(seconds=40))
    async with sessions() as session, session.begin():
        assert await queue.renew_claims(session, "busy", [row.id], clock.now()) == 1
    clock.advance(timedelta(seconds=40))
    async with sessions() as session, session.begin():
        assert await queue.claim_due(session, "other", clock.now(), 1) == []


async def test_released_claims_go_back_to_planned(sessions: Sessions, clock: ShiftedClock) -> None:
    users = await add_people(sessions, None, [11])
    await add_reminders(sessions, [(users[11], ago(clock, 1))], clock.now())
    async with sessions() as session, session.begin():
        [row] = await queue.claim_due(session, "w", clock.now(), 1)
        assert await queue.release_claims(session, "someone else", [row.id]) == 0
        assert await queue.release_claims(session, "w", [row.id]) == 1
    [stored] = await reminders(sessions)
    assert (stored.status, stored.claimed_by, stored.claimed_at) == (
        ReminderStatus.PLANNED,
        None,
        None,
    )


async def test_marking_sent_twice_reports_the_repeat(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11])
    await add_reminders(sessions, [(users[11], ago(clock, 1))], clock.now())
    async with sessions() as session, session.begin():
        [row] = await queue.claim_due(session, "w", clock.now(), 1)
        assert await queue.mark_sent(session, row.id, clock.now()) is True
        assert await queue.mark_sent(session, row.id, clock.now()) is False
    [stored] = await reminders(sessions)
    assert stored.status is ReminderStatus.SENT and stored.sent_at is not None


async def test_blocking_marks_the_user_and_cancels_what_is_pending_for_them(
    sessions: Sessions, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [11, 12])
    due = [(users[11], ago(clock, 2)), (users[11], ago(clock, -99)), (users[12], ago(clock, 1))]
    await add_reminders(sessions, due, clock.now())
    async with sessions() as session, session.begin():
        await queue.claim_due(session, "w", clock.now(), 1)
        assert await queue.block_recipient(session, users[11]) == 2
        recipients = await queue.load_recipients(session, users.values())
    assert recipients[users[11]].blocked and not recipients[users[12]].blocked
    statuses = [(r.status, r.last_error) for r in await reminders(sessions)]
    assert statuses == [
        (ReminderStatus.CANCELLED, queue.BLOCKED),
        (ReminderStatus.CANCELLED, queue.BLOCKED),
        (ReminderStatus.PLANNED, None),
    ]


def test_postgresql_claims_skip_locked_rows_and_sqlite_needs_no_lock() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    on_pg = queue.claim_statement("postgresql", "w", now, 10)
    on_sqlite = queue.claim_statement("sqlite", "w", now, 10)
    pg_dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    assert "FOR UPDATE SKIP LOCKED" in str(on_pg.compile(dialect=pg_dialect))
    sqlite_sql = str(on_sqlite.compile(dialect=sqlite.dialect()))
    assert "FOR UPDATE" not in sqlite_sql and "RETURNING" in sqlite_sql
