"""The sender against the fake Bot API: exactly once, at Telegram's pace, through 429 and 403."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import ShiftedClock
from bot.db.engine import create_engine, create_session_factory
from bot.db.models import Reminder, ReminderStatus, User
from bot.reminders import queue
from bot.reminders.ratelimit import LocalLimiter, RateLimiter
from bot.reminders.rules import PlannedReminder, ReminderKind
from bot.reminders.sender import (
    NOTHING_TO_SEND,
    SUPERSEDED,
    OutgoingMessage,
    ReminderSender,
    SenderSettings,
    default_worker_id,
)
from testkit import FakeBotAPIClient
from testkit.client import Call
from tests.reminders.conftest import (
    Sessions,
    add_people,
    add_reminders,
    ago,
    eventually,
    reminders,
    render,
)

FAST = SenderSettings(poll_interval=0.05, backoff=0.05)


def sender(
    sessions: Sessions,
    bot: Bot,
    clock: ShiftedClock,
    worker: str = "w1",
    *,
    settings: SenderSettings = FAST,
    limiter: RateLimiter | None = None,
    render_with: Any = render,
) -> ReminderSender:
    shared = None if limiter is None else LocalLimiter(limiter)
    return ReminderSender(
        sessions, bot, clock, render_with, worker, limiter=shared, settings=settings
    )


def all_done(sessions: Sessions, count: int | None = None) -> Any:
    async def check() -> bool:
        rows = await reminders(sessions)
        done = [r for r in rows if r.status not in (ReminderStatus.PLANNED, ReminderStatus.CLAIMED)]
        return len(done) == (len(rows) if count is None else count)

    return check


async def sends(client: FakeBotAPIClient) -> list[Call]:
    return [c for c in await client.calls() if c.method == "sendMessage"]


def most_in_any_second(stamps: list[float]) -> int:
    stamps = sorted(stamps)
    return max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps)


def gaps(stamps: list[float]) -> Iterator[float]:
    ordered = sorted(stamps)
    return (b - a for a, b in itertools.pairwise(ordered))


async def test_due_reminders_are_delivered_once_with_the_rendered_text_and_marked_sent(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501, 502])
    due = [
        (users[501], ago(clock, 5)),
        (users[502], ago(clock, 1)),
        (users[502], ago(clock, -3600)),
    ]
    await add_reminders(sessions, due, clock.now())
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions, 2))
    await worker.stop()

    rows = await reminders(sessions)
    assert [r.status for r in rows] == [
        ReminderStatus.SENT,
        ReminderStatus.SENT,
        ReminderStatus.PLANNED,
    ]
    assert all(r.sent_at is not None and r.sent_at >= r.due_at for r in rows[:2])
    assert [m.text for m in await client.received(501)] == [f"checkin #{rows[0].id}"]
    assert [m.text for m in await client.received(502)] == [f"checkin #{rows[1].id}"]


async def test_nudges_of_one_series_that_came_due_together_go_out_once(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    due = [(users[501], ago(clock, days * 86_400 + 5)) for days in (6, 4, 0)]
    await add_reminders(sessions, due, clock.now(), kind=ReminderKind.SIGNOFF_PENDING)
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()

    rows = await reminders(sessions)
    assert [r.status for r in rows] == [
        ReminderStatus.CANCELLED,
        ReminderStatus.CANCELLED,
        ReminderStatus.SENT,
    ]
    assert [r.last_error for r in rows[:2]] == [SUPERSEDED, SUPERSEDED]
    assert [m.text for m in await client.received(501)] == [f"signoff_pending #{rows[2].id}"]


async def test_a_reminder_that_waited_for_its_turn_is_worded_again_and_dropped_if_moot(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(
        sessions, [(users[501], ago(clock, 2)), (users[501], ago(clock, 1))], clock.now()
    )
    worded: Counter[int] = Counter()

    async def moot_by_its_turn(reminder: Reminder, user: User) -> OutgoingMessage | None:
        worded[reminder.id] += 1  # the second wording finds nothing left to say (say, signed)
        return None if worded[reminder.id] > 1 else await render(reminder, user)

    settings = replace(FAST, fresh_for=0.5)  # the chat's second message waits a second
    worker = sender(sessions, bot, clock, settings=settings, render_with=moot_by_its_turn)
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()

    first, second = await reminders(sessions)
    assert (first.status, second.status) == (ReminderStatus.SENT, ReminderStatus.CANCELLED)
    assert second.last_error == NOTHING_TO_SEND
    assert worded == {first.id: 1, second.id: 2}
    assert [m.text for m in await client.received(501)] == [f"checkin #{first.id}"]


async def test_moving_the_clock_makes_a_reminder_due_without_sleeping(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], clock.now() + timedelta(days=3))], clock.now())
    worker = sender(sessions, bot, clock)
    worker.start()
    await asyncio.sleep(0.2)
    assert await client.received(501) == []
    clock.advance(timedelta(days=3))
    await eventually(all_done(sessions), within=2.0)
    await worker.stop()
    assert len(await client.received(501)) == 1


async def test_two_senders_on_separate_engines_deliver_every_reminder_exactly_once(
    sessions: Sessions,
    bot: Bot,
    client: FakeBotAPIClient,
    clock: ShiftedClock,
    database_url: str,
) -> None:
    chats = list(range(1000, 1040))
    users = await add_people(sessions, client, chats)
    await add_reminders(
        sessions, [(users[chat], ago(clock, n)) for n, chat in enumerate(chats * 2)], clock.now()
    )
    shared = RateLimiter()  # one bot token: the two share Telegram's limits
    engines = [create_engine(database_url) for _ in range(2)]
    settings = SenderSettings(poll_interval=0.05, batch_size=6)
    workers = [
        sender(create_session_factory(e), bot, clock, f"w{n}", settings=settings, limiter=shared)
        for n, e in enumerate(engines)
    ]
    for worker in workers:
        worker.start()
    await eventually(all_done(sessions), within=15.0)
    for worker in workers:
        await worker.stop()
    for engine in engines:
        await engine.dispose()

    rows = await reminders(sessions)
    assert {r.status for r in rows} == {ReminderStatus.SENT}
    assert {r.claimed_by for r in rows} == {"w0", "w1"}
    delivered = Counter[str]()
    for chat in chats:
        delivered.update(str(m.text) for m in await client.received(chat))
    assert delivered == Counter(f"checkin #{r.id}" for r in rows)


async def test_overall_and_per_chat_rates_are_never_exceeded(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    chats = list(range(2000, 2030))
    users = await add_people(sessions, client, chats)
    due = [(users[chat], ago(clock, 1)) for chat in chats * 2] + [
        (users[chats[0]], ago(clock, 1)) for _ in range(3)
    ]
    await add_reminders(sessions, due, clock.now())
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions), within=15.0)
    await worker.stop()

    calls = await sends(client)
    assert len(calls) == len(due) and {c.status for c in calls} == {200}
    assert most_in_any_second([c.at for c in calls]) == 30
    for chat in chats:
        assert min(gaps([c.at for c in calls if c.chat_id == chat])) >= 1.0


async def test_a_429_makes_everyone_wait_retry_after_and_the_message_still_goes_once(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501, 502])
    await add_reminders(
        sessions, [(users[501], ago(clock, 2)), (users[502], ago(clock, 1))], clock.now()
    )
    await client.fail("sendMessage", "flood", count=1, retry_after=1)
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()

    calls = await sends(client)
    flood = [c for c in calls if c.status == 429]
    assert len(flood) == 1
    assert all(c.at - flood[0].at >= 1.0 for c in calls if c.status == 200)
    assert [len(await client.received(chat)) for chat in (501, 502)] == [1, 1]
    assert all(r.attempts == 0 for r in await reminders(sessions))


async def test_a_403_marks_the_user_blocked_and_cancels_their_reminders(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501, 502])
    due = [
        (users[501], ago(clock, 3)),
        (users[501], ago(clock, 2)),
        (users[501], ago(clock, -86400)),
        (users[502], ago(clock, 1)),
    ]
    await add_reminders(sessions, due, clock.now())
    await client.fail("sendMessage", "blocked", count=None, chat_id=501)
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions, 4))
    clock.advance(timedelta(days=2))
    await asyncio.sleep(0.2)
    await worker.stop()

    rows = await reminders(sessions)
    assert [(r.status, r.last_error) for r in rows] == [
        (ReminderStatus.CANCELLED, queue.BLOCKED),
        (ReminderStatus.CANCELLED, queue.BLOCKED),
        (ReminderStatus.CANCELLED, queue.BLOCKED),
        (ReminderStatus.SENT, None),
    ]
    assert [c.chat_id for c in await sends(client) if c.status == 403] == [501]
    async with sessions() as session:
        blocked = await queue.load_recipients(session, users.values())
    assert blocked[users[501]].blocked and not blocked[users[502]].blocked


async def test_blocked_users_are_skipped_without_a_request(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], ago(clock, 1))], clock.now())
    async with sessions() as session, session.begin():
        user = await session.get(User, users[501])
        assert user is not None
        user.blocked = True
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()
    assert [(r.status, r.last_error) for r in await reminders(sessions)] == [
        (ReminderStatus.CANCELLED, queue.BLOCKED)
    ]
    assert await sends(client) == []


async def test_other_errors_back_off_and_give_up_after_the_last_attempt(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, None, [777])  # the chat does not exist: 400 every time
    await add_reminders(sessions, [(users[777], ago(clock, 1))], clock.now())
    settings = SenderSettings(poll_interval=0.05, backoff=0.1, max_attempts=3)
    worker = sender(sessions, bot, clock, settings=settings, limiter=RateLimiter(window=0.01))
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()

    [row] = await reminders(sessions)
    assert (row.status, row.attempts) == (ReminderStatus.FAILED, 3)
    assert row.last_error is not None and "chat not found" in row.last_error
    waits = list(gaps([c.at for c in await sends(client)]))
    assert len(waits) == 2 and waits[0] >= 0.1 and waits[1] >= 0.2


class FailOnce(BaseRequestMiddleware):
    """The network drops the first sendMessage."""

    def __init__(self) -> None:
        self.failed = False

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not self.failed:
            self.failed = True
            raise TelegramNetworkError(method, "connection reset")
        return await make_request(bot, method)


async def test_a_passing_error_is_retried_and_the_reminder_delivered(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], ago(clock, 1))], clock.now())
    bot.session.middleware(FailOnce())
    worker = sender(sessions, bot, clock, limiter=RateLimiter(window=0.01))
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()
    [row] = await reminders(sessions)
    assert (row.status, row.attempts) == (ReminderStatus.SENT, 1)
    assert row.last_error is not None and "connection reset" in row.last_error
    assert len(await client.received(501)) == 1


async def test_nothing_to_render_cancels_and_a_failing_render_is_retried_then_failed(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501, 502])
    await add_reminders(
        sessions, [(users[501], ago(clock, 2)), (users[502], ago(clock, 1))], clock.now()
    )
    tries = Counter[int]()

    async def picky(reminder: Reminder, user: User) -> OutgoingMessage | None:
        tries[user.telegram_id] += 1
        if user.telegram_id == 502:
            raise LookupError("goal is gone")
        return None

    settings = SenderSettings(poll_interval=0.05, backoff=0.05, max_attempts=2)
    worker = sender(sessions, bot, clock, settings=settings, render_with=picky)
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()
    assert [(r.status, r.last_error) for r in await reminders(sessions)] == [
        (ReminderStatus.CANCELLED, NOTHING_TO_SEND),
        (ReminderStatus.FAILED, "render: LookupError('goal is gone')"),
    ]
    assert tries == {501: 1, 502: 2}
    assert await sends(client) == []


async def test_a_killed_senders_claims_are_sent_after_the_lease(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], ago(clock, 1))], clock.now())
    async with sessions() as session, session.begin():
        await queue.claim_due(session, "killed", clock.now(), 10)
    worker = sender(sessions, bot, clock, "alive")
    worker.start()
    await asyncio.sleep(0.2)
    assert await client.received(501) == []
    clock.advance(queue.LEASE + timedelta(seconds=1))
    await eventually(all_done(sessions), within=2.0)
    await worker.stop()
    [row] = await reminders(sessions)
    assert (row.status, row.claimed_by) == (ReminderStatus.SENT, "alive")
    assert len(await client.received(501)) == 1


async def test_a_live_sender_keeps_its_claims_past_the_lease(
    sessions: Sessions,
    bot: Bot,
    client: FakeBotAPIClient,
    clock: ShiftedClock,
    database_url: str,
) -> None:
    """Three reminders for one chat take two seconds; the lease is 0.3 s, so without renewals
    the second sender would take over the waiting ones and send them again."""
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], ago(clock, n)) for n in (3, 2, 1)], clock.now())
    shared = RateLimiter()
    short = SenderSettings(poll_interval=0.05, lease=timedelta(seconds=0.3))
    engine = create_engine(database_url)
    first = sender(sessions, bot, clock, "first", settings=short, limiter=shared)
    first.start()
    await eventually(lambda: _claimed(sessions, 3))
    second = sender(
        create_session_factory(engine), bot, clock, "second", settings=short, limiter=shared
    )
    second.start()
    await eventually(all_done(sessions), within=5.0)
    await first.stop()
    await second.stop()
    await engine.dispose()
    assert len(await client.received(501)) == 3
    assert {r.claimed_by for r in await reminders(sessions)} == {"first"}


async def _claimed(sessions: Sessions, count: int) -> bool:
    rows = await reminders(sessions)
    return sum(1 for r in rows if r.status is not ReminderStatus.PLANNED) == count


async def test_stopping_hands_unsent_claims_back(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], ago(clock, n)) for n in (3, 2, 1)], clock.now())
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions, 1))
    await worker.stop()
    rows = await reminders(sessions)
    assert [(r.status, r.claimed_by) for r in rows] == [
        (ReminderStatus.SENT, "w1"),
        (ReminderStatus.PLANNED, None),
        (ReminderStatus.PLANNED, None),
    ]
    assert len(await client.received(501)) == 1


async def test_a_delivery_is_marked_even_when_the_database_hiccups(
    sessions: Sessions,
    bot: Bot,
    client: FakeBotAPIClient,
    clock: ShiftedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], ago(clock, 1))], clock.now())
    real_mark_sent = queue.mark_sent
    hiccups = [RuntimeError("database is locked")]

    async def flaky(
        session: AsyncSession, reminder_id: int, now: datetime, message_id: int | None = None
    ) -> bool:
        if hiccups:
            raise hiccups.pop()
        return await real_mark_sent(session, reminder_id, now, message_id)

    monkeypatch.setattr(queue, "mark_sent", flaky)
    worker = sender(sessions, bot, clock)
    worker.start()
    await eventually(all_done(sessions))
    await worker.stop()
    assert [r.status for r in await reminders(sessions)] == [ReminderStatus.SENT]
    assert hiccups == [] and len(await client.received(501)) == 1


def test_worker_ids_name_the_process_and_differ_between_starts() -> None:
    first, second = default_worker_id(), default_worker_id()
    assert first != second and f":{os.getpid()}:" in first


async def with_button(reminder: Reminder, user: User) -> OutgoingMessage:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Внести цифры", callback_data="rm:ci:1")]]
    )
    return OutgoingMessage(f"{reminder.kind.value} #{reminder.id}", keyboard)


async def test_a_new_checkin_nudge_takes_the_buttons_off_the_previous_one(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501, 502])
    await add_reminders(
        sessions,
        [(users[501], ago(clock, 5)), (users[502], ago(clock, 5))],
        clock.now(),
    )
    worker = sender(sessions, bot, clock, render_with=with_button)
    worker.start()
    await eventually(all_done(sessions))
    first = await client.received(501)
    assert [bool(m.reply_markup) for m in first] == [True]

    # A week later the next check-in of the series arrives: only it keeps live buttons.
    async with sessions() as session, session.begin():
        await queue.upsert_planned(
            session,
            [
                PlannedReminder(
                    "p1:test:next:u501", users[501], ReminderKind.CHECKIN, 1, None, ago(clock, 1)
                )
            ],
            clock.now(),
        )
    await eventually(all_done(sessions))
    await eventually(lambda: _buttons_of(client, 501, [False, True]))
    await worker.stop()
    # Another person's series is theirs alone: their nudge keeps its buttons.
    assert [bool(m.reply_markup) for m in await client.received(502)] == [True]
    rows = await reminders(sessions)
    assert [r.message_id is not None for r in rows] == [False, True, True]


async def _buttons_of(client: FakeBotAPIClient, chat: int, expected: list[bool]) -> bool:
    return [bool(m.reply_markup) for m in await client.received(chat)] == expected


async def test_a_reminder_noticed_on_saturday_evening_waits_for_the_recipients_monday(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    async with sessions() as session, session.begin():
        person = await session.get(User, users[501])
        assert person is not None
        person.timezone, person.work_days = "Europe/Moscow", [0, 1, 2, 3, 4]
        person.work_start, person.work_end = time(10), time(19)
    friday_10 = datetime(2026, 3, 13, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    await add_reminders(sessions, [(users[501], friday_10)], clock.now())
    # The clock jumps (or the bot comes back) to Saturday 20:21 in Moscow.
    clock.offset = datetime(2026, 3, 14, 17, 21, tzinfo=UTC) - (clock.now() - clock.offset)
    worker = sender(sessions, bot, clock)
    worker.start()
    try:
        monday_10 = datetime(2026, 3, 16, 7, 0, tzinfo=UTC)

        async def held() -> bool:
            (row,) = await reminders(sessions)
            return row.status is ReminderStatus.PLANNED and row.due_at == monday_10

        await eventually(held)
        await asyncio.sleep(0.2)
        assert await client.received(501) == []
        clock.offset += monday_10 - clock.now()
        await eventually(all_done(sessions))
    finally:
        await worker.stop()
    (row,) = await reminders(sessions)
    assert row.status is ReminderStatus.SENT and row.sent_at is not None
    assert row.sent_at >= monday_10 and len(await client.received(501)) == 1


async def test_a_previous_nudge_that_is_gone_does_not_break_the_sender(
    sessions: Sessions, bot: Bot, client: FakeBotAPIClient, clock: ShiftedClock
) -> None:
    users = await add_people(sessions, client, [501])
    await add_reminders(sessions, [(users[501], ago(clock, 5))], clock.now())
    worker = sender(sessions, bot, clock, render_with=with_button)
    worker.start()
    try:
        await eventually(all_done(sessions))
        (first,) = await client.received(501)
        await bot.delete_message(chat_id=501, message_id=first.message_id)  # the person cleared it

        async with sessions() as session, session.begin():
            await queue.upsert_planned(
                session,
                [
                    PlannedReminder(
                        f"p1:test:next{n}:u501", users[501], kind, 1, None, ago(clock, 1)
                    )
                    for n, kind in enumerate((ReminderKind.CHECKIN, ReminderKind.SIGNOFF_PENDING))
                ],
                clock.now(),
            )
        await eventually(all_done(sessions))
        await eventually(lambda: _buttons_of(client, 501, [True, True]))
    finally:
        await worker.stop()
    edits = [c for c in await client.calls() if c.method == "editMessageReplyMarkup"]
    assert [c.status for c in edits] == [400]  # "message to edit not found", and nothing more
    rows = await reminders(sessions)
    assert [r.status for r in rows] == [ReminderStatus.SENT] * 3
    assert [r.message_id is not None for r in rows] == [False, True, True]
