"""The durable reminder queue: planned rows in, claimed rows out, each delivered once.

Every reminder is a row keyed by the rules' deterministic key, so planning the same thing
twice updates one row instead of adding a second. A sender *claims* due rows with one atomic
statement (``UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING``; on PostgreSQL the inner select
takes ``FOR UPDATE SKIP LOCKED``), so two senders never get the same row.

The lease: a claim not renewed for ``lease`` (default 60 s) is taken to belong to a process that
died, and the row becomes claimable again. A live sender renews its claims well within the lease,
so the only reminder that can reach someone twice is the one in flight at the instant a process
was killed: it was maybe sent and not yet marked. We choose a rare repeat over silence — a lost
reminder is the failure the product promises never to have.

The functions run inside the caller's transaction and never commit; they never send anything,
never word a reminder and never read the clock (``now`` is always passed in).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningUpdate

from bot.db.dialect import insert_for
from bot.db.models import Project, Reminder, ReminderStatus, User
from bot.reminders.rules import PlanChange, PlannedReminder, ReminderKind, diff_plan

LEASE = timedelta(seconds=60)
BLOCKED = "blocked"
# SQLite allows 32 766 bound values per statement; a row binds 10.
_INSERT_CHUNK = 500
# A re-plan may revive a cancelled reminder (a deadline moved back); sent, failed and in-flight
# rows are never touched by planning.
_REPLANNABLE = (ReminderStatus.PLANNED, ReminderStatus.CANCELLED)
_PENDING = (ReminderStatus.PLANNED, ReminderStatus.CLAIMED)


async def apply_plan(
    session: AsyncSession, project_id: int, planned: Sequence[PlannedReminder], now: datetime
) -> PlanChange:
    """Make the project's stored reminders match ``planned`` (the full wanted set from `rules`)."""
    if any(r.project_id != project_id for r in planned):
        raise ValueError(f"every planned reminder must belong to project {project_id}")
    rows = await session.execute(
        select(Reminder.key, Reminder.due_at, Reminder.status).where(
            Reminder.project_id == project_id
        )
    )
    existing: dict[str, datetime] = {}
    sent: set[str] = set()
    for key, due_at, status in rows:
        if status in _PENDING:
            existing[key] = due_at
        elif status is ReminderStatus.SENT:
            sent.add(key)
    change = diff_plan(existing, planned, sent=sent)
    await upsert_planned(session, [*change.to_add, *change.to_reschedule], now)
    await cancel_planned(session, change.to_cancel)
    return change


async def waiting_keys(session: AsyncSession, project_id: int) -> set[str]:
    """Keys of the project's reminders planned and not yet claimed: overdue ones among them are
    still owed (see ``rules.plan_reminders``)."""
    rows = await session.scalars(
        select(Reminder.key).where(
            Reminder.project_id == project_id, Reminder.status == ReminderStatus.PLANNED
        )
    )
    return set(rows)


async def cancel_digests(
    session: AsyncSession, user_id: int, *, after: datetime, keep: str | None
) -> None:
    """Cancel the person's planned digests due after ``after`` except ``keep`` (one planned
    for another zone, or all of them once the digest is turned off)."""
    statement = (
        update(Reminder)
        .where(
            Reminder.recipient_id == user_id,
            Reminder.kind == ReminderKind.WEEKLY_DIGEST,
            Reminder.status == ReminderStatus.PLANNED,
            Reminder.due_at > after,
        )
        .values(status=ReminderStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    if keep is not None:
        statement = statement.where(Reminder.key != keep)
    await session.execute(statement)


async def hold_claimed(
    session: AsyncSession, worker_id: str, held: Iterable[tuple[int, datetime]]
) -> None:
    """Hand overdue claims back, each due at the time its recipient may get it."""
    for reminder_id, until in held:
        await _update_claimed(
            session,
            [reminder_id],
            worker_id,
            status=ReminderStatus.PLANNED,
            due_at=until,
            claimed_by=None,
            claimed_at=None,
        )


async def upsert_planned(
    session: AsyncSession, reminders: Iterable[PlannedReminder], now: datetime
) -> None:
    """Insert new keys; move planned (or revive cancelled) ones; leave the rest alone."""
    statement = _upsert_statement(session.get_bind().dialect.name)
    for chunk in _batched(reminders, _INSERT_CHUNK):
        await session.execute(statement, [_row(r, now) for r in chunk])


@functools.cache
def _upsert_statement(dialect_name: str) -> Any:
    """Built once per dialect and run with the rows as parameters (SQLAlchemy batches them into
    multi-row INSERTs): building an upsert costs more than running it on SQLite."""
    insert = insert_for(dialect_name)(Reminder.__table__)
    new = insert.excluded
    return insert.on_conflict_do_update(
        index_elements=[Reminder.key],
        set_={
            "recipient_id": new.recipient_id,
            "kind": new.kind,
            "project_id": new.project_id,
            "goal_id": new.goal_id,
            "due_at": new.due_at,
            "status": ReminderStatus.PLANNED,
            "attempts": 0,
            "last_error": None,
        },
        # Spelled out rather than IN: an expanding IN cannot run as an executemany.
        where=or_(*(Reminder.status == status for status in _REPLANNABLE)),
    )


async def cancel_planned(session: AsyncSession, keys: Iterable[str]) -> int:
    """Cancel reminders no longer wanted; one already claimed is in flight and goes out."""
    cancelled = 0
    for chunk in _batched(keys, _INSERT_CHUNK):
        result = await session.execute(
            update(Reminder)
            .where(Reminder.key.in_(chunk), Reminder.status == ReminderStatus.PLANNED)
            .values(status=ReminderStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )
        cancelled += _rowcount(result)
    return cancelled


def claim_statement(
    dialect: str, worker_id: str, now: datetime, limit: int, lease: timedelta = LEASE
) -> ReturningUpdate[Reminder]:
    """The one statement that claims up to ``limit`` due rows, earliest first."""
    claimable = or_(
        and_(Reminder.status == ReminderStatus.PLANNED, Reminder.due_at <= now),
        and_(Reminder.status == ReminderStatus.CLAIMED, Reminder.claimed_at < now - lease),
    )
    pick = select(Reminder.id).where(claimable).order_by(Reminder.due_at, Reminder.id).limit(limit)
    if dialect == "postgresql":
        # Without SKIP LOCKED a second replica would wait for the first one's rows and then
        # find them no longer claimable; with it, it takes the next ones at once.
        pick = pick.with_for_update(skip_locked=True)
    return (
        update(Reminder)
        .where(Reminder.id.in_(pick))
        .values(status=ReminderStatus.CLAIMED, claimed_by=worker_id, claimed_at=now)
        .returning(Reminder)
        .execution_options(synchronize_session=False)
    )


async def claim_due(
    session: AsyncSession, worker_id: str, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[Reminder]:
    """Claim due (or abandoned) rows for ``worker_id``; they come back detached, earliest first.

    Call it as the first statement of its transaction: on SQLite the write lock is then taken
    before anything is read, so concurrent claimers queue on the busy timeout instead of failing.
    """
    statement = claim_statement(session.get_bind().dialect.name, worker_id, now, limit, lease)
    claimed: list[Reminder] = list((await session.execute(statement)).scalars())
    for row in claimed:
        session.expunge(row)
    return sorted(claimed, key=lambda r: (r.due_at, r.id))


async def renew_claims(
    session: AsyncSession, worker_id: str, ids: Iterable[int], now: datetime
) -> int:
    """Keep these claims alive: a sender that is still running is not abandoned."""
    return await _update_claimed(session, ids, worker_id, claimed_at=now)


async def release_claims(session: AsyncSession, worker_id: str, ids: Iterable[int]) -> int:
    """Hand unsent claims back (a clean stop), so nobody waits out the lease for them."""
    return await _update_claimed(
        session,
        ids,
        worker_id,
        status=ReminderStatus.PLANNED,
        claimed_by=None,
        claimed_at=None,
    )


async def cancel_claimed(
    session: AsyncSession, worker_id: str, ids: Iterable[int], reason: str
) -> int:
    return await _update_claimed(
        session, ids, worker_id, status=ReminderStatus.CANCELLED, last_error=reason
    )


async def mark_sent(
    session: AsyncSession, reminder_id: int, now: datetime, message_id: int | None = None
) -> bool:
    """Record a delivery; False when the row was already marked sent (a repeat delivery).
    ``message_id``: the delivered message, when it carries buttons a later nudge should retire.

    It does not ask who holds the claim: the message went out, so ``sent`` is the truth even if
    the row was cancelled or re-claimed meanwhile.
    """
    result = await session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status != ReminderStatus.SENT)
        .values(status=ReminderStatus.SENT, sent_at=now, message_id=message_id)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def live_messages_before(session: AsyncSession, reminder: Reminder) -> list[tuple[int, int]]:
    """(reminder id, message id) of earlier deliveries of the same series (recipient, project,
    kind) whose buttons are still live — the ones a newer nudge takes over from."""
    rows = await session.execute(
        select(Reminder.id, Reminder.message_id).where(
            Reminder.recipient_id == reminder.recipient_id,
            Reminder.project_id == reminder.project_id,
            Reminder.kind == reminder.kind,
            Reminder.id != reminder.id,
            Reminder.message_id.is_not(None),
        )
    )
    return [(row_id, message_id) for row_id, message_id in rows if message_id is not None]


async def forget_messages(session: AsyncSession, reminder_ids: Sequence[int]) -> None:
    """Their buttons are gone (or cannot be reached any more): nothing left to retire."""
    if reminder_ids:
        await session.execute(
            update(Reminder)
            .where(Reminder.id.in_(list(reminder_ids)))
            .values(message_id=None)
            .execution_options(synchronize_session=False)
        )


async def record_failure(
    session: AsyncSession,
    worker_id: str,
    reminder_id: int,
    error: str,
    now: datetime,
    *,
    give_up: bool,
) -> None:
    """Count a failed attempt; the row stays claimed for a retry unless this was the last one."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.claimed_by == worker_id,
            Reminder.status == ReminderStatus.CLAIMED,
        )
        .values(
            attempts=Reminder.attempts + 1,
            last_error=error,
            claimed_at=now,
            status=ReminderStatus.FAILED if give_up else ReminderStatus.CLAIMED,
        )
        .execution_options(synchronize_session=False)
    )


async def block_recipient(session: AsyncSession, user_id: int) -> int:
    """The user blocked the bot: mark them and cancel everything still pending for them.

    A later re-plan revives the cancelled reminders, which is what should happen once they
    unblock the bot and are marked unblocked again.
    """
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(blocked=True)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(
        update(Reminder)
        .where(Reminder.recipient_id == user_id, Reminder.status.in_(_PENDING))
        .values(status=ReminderStatus.CANCELLED, last_error=BLOCKED)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def load_recipients(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, User]:
    users = (await session.execute(select(User).where(User.id.in_(set(user_ids))))).scalars()
    found = {user.id: user for user in users}
    for user in found.values():
        session.expunge(user)
    return found


async def _update_claimed(
    session: AsyncSession, ids: Iterable[int], worker_id: str, **values: Any
) -> int:
    changed = 0
    for chunk in _batched(ids, _INSERT_CHUNK):
        result = await session.execute(
            update(Reminder)
            .where(
                Reminder.id.in_(chunk),
                Reminder.claimed_by == worker_id,
                Reminder.status == ReminderStatus.CLAIMED,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        changed += _rowcount(result)
    return changed


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _row(reminder: PlannedReminder, now: datetime) -> dict[str, Any]:
    return {
        "key": reminder.key,
        "recipient_id": reminder.recipient_id,
        "kind": reminder.kind,
        "project_id": reminder.project_id,
        "goal_id": reminder.goal_id,
        "due_at": reminder.due_utc,
        "status": ReminderStatus.PLANNED,
        "attempts": 0,
        "created_at": now,
    }


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


async def upcoming(
    session: AsyncSession, recipient_id: int, now: datetime, limit: int
) -> list[tuple[Reminder, str]]:
    """The next planned reminders of one person, soonest first, each with its project's brand."""
    rows = await session.execute(
        select(Reminder, Project.brand)
        .join(Project, Project.id == Reminder.project_id)
        .where(
            Reminder.recipient_id == recipient_id,
            Reminder.status == ReminderStatus.PLANNED,
            Reminder.due_at >= now,
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    return [(reminder, brand) for reminder, brand in rows]


async def planned_checkins(
    session: AsyncSession, project_ids: Iterable[int], now: datetime
) -> list[Reminder]:
    """The check-ins still ahead for these projects, soonest first (the calendar file's)."""
    rows = await session.scalars(
        select(Reminder)
        .where(
            Reminder.project_id.in_(set(project_ids)),
            Reminder.kind == ReminderKind.CHECKIN,
            Reminder.status == ReminderStatus.PLANNED,
            Reminder.due_at >= now,
        )
        .order_by(Reminder.due_at)
    )
    return list(rows)
