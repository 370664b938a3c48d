"""Scale mode end to end: questionnaire → goals → signed brief → reminders on PostgreSQL and Redis,
served by two `python -m bot` webhook replicas behind a proxy that sends each person's next
update to the other replica — so every step's dialog state is written by one process and read
by the other.

The specialist's onboarding and questionnaire are walked by bench/questionnaire.py's simulated
user; the invite, goals and sign-off are tests/e2e/flow.py's steps; the client's answers are
written into the database, as in tests/e2e/test_brief_signoff.py.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from datetime import UTC, datetime

from sqlalchemy import select, update

from bench.questionnaire import FINISH, Tracker, fill_questionnaire
from bot.db.engine import create_engine
from bot.db.models import Reminder, ReminderStatus, User
from testkit import FakeBotAPI, FakeBotAPIClient
from testkit.process import TOKEN, WAIT
from testkit.replicas import webhook_replicas
from testkit.servers import PostgresServer
from tests.e2e.flow import (
    ANNA,
    BORIS,
    People,
    add_goal,
    invite_client,
    seed_answers,
    sign_first_version,
)

PROJECT = "Кофейня Зерно"  # the name bench/questionnaire.py's specialist gives the project


async def _make_due_now(database_url: str) -> dict[int, int]:
    """The earliest planned reminder of each person is brought forward to now: telegram id ->
    reminder id. Returns only once the brief's signing has planned them."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            rows = (
                await connection.execute(
                    select(Reminder.id, User.telegram_id)
                    .join(User, User.id == Reminder.recipient_id)
                    .where(Reminder.status == ReminderStatus.PLANNED)
                    .order_by(Reminder.due_at)
                )
            ).all()
            chosen: dict[int, int] = {}
            for reminder_id, telegram_id in rows:
                chosen.setdefault(telegram_id, reminder_id)
            await connection.execute(
                update(Reminder)
                .where(Reminder.id.in_(chosen.values()))
                .values(due_at=datetime.now(UTC))
            )
            return chosen
    finally:
        await engine.dispose()


async def _statuses(database_url: str, ids: list[int]) -> set[ReminderStatus]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return set(
                await connection.scalars(select(Reminder.status).where(Reminder.id.in_(ids)))
            )
    finally:
        await engine.dispose()


async def test_the_whole_flow_on_two_webhook_replicas_with_postgresql_and_redis(
    fake_api: FakeBotAPI,
    tg: FakeBotAPIClient,
    postgres_server: PostgresServer,
    redis_url: str,
) -> None:
    database_url = postgres_server.fresh_database()
    async with webhook_replicas(
        fake_api.url, database_url, redis_url, extra_env={"LOG_FORMAT": "json"}
    ) as (replicas, proxy):
        tracker = Tracker()
        await fill_questionnaire(fake_api.bot(TOKEN), replicas, tracker, ANNA)

        # A person's consecutive updates went to different replicas — by their own logs.
        served_by = replicas.served_by()
        walked = [served_by[update_id] for update_id in tracker.updates[ANNA.id]]
        assert len(walked) >= 30
        assert all(a != b for a, b in itertools.pairwise(walked)), walked

        people = People(tg, replicas, updates=replicas.handled_count())
        await people.press(ANNA, FINISH)
        await invite_client(people, PROJECT)
        await seed_answers(database_url)
        await add_goal(people, "Продать 40 курток в ВК до 31 марта 2027", "40 шт.")
        await sign_first_version(people, PROJECT)

        # The signed brief planned reminders for both; the first of each is due now and is
        # delivered once, by whichever replica's sender claims it.
        await replicas.wait_handled(people.updates, within=WAIT)
        due = await _make_due_now(database_url)
        assert set(due) == {ANNA.id, BORIS.id}
        before = {chat: len(await tg.received(chat)) for chat in due}
        for _ in range(int(WAIT / 0.1)):
            if await _statuses(database_url, list(due.values())) == {ReminderStatus.SENT}:
                break
            await asyncio.sleep(0.1)
        assert await _statuses(database_url, list(due.values())) == {ReminderStatus.SENT}
        await asyncio.sleep(1.0)  # a second delivery would have had time to land
        for chat in due:
            assert len(await tg.received(chat)) == before[chat] + 1

        assert min(proxy.forwarded.values()) >= people.updates // 2 - 1
        for process in replicas.processes:
            output = "\n".join(process.lines)
            assert TOKEN not in output and "Traceback" not in output
            for line in process.lines:
                json.loads(line)  # every line a JSON record
