"""1 000 reminders due at once, two replicas on PostgreSQL (limiter shared in Redis), one replica
SIGKILLed midway: every reminder reaches its chat exactly once, and the two together never go
past Telegram's 30 messages in any second.

The kill is timed by the test: the victim's further requests are held back before they reach
the Bot API (``ApiRelay``) and it is killed once none of its messages is on its way and each
one it delivered is marked sent. A message in flight at the very instant of a kill is the one
case the bot cannot tell sent from unsent (Telegram has no idempotency key); README.md says it
is then sent again after the claim's lease rather than lost. What this test pins down is
everything else: the dead replica's claims are taken over after the lease, nothing is sent by
both replicas, nothing is lost.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.db.engine import create_engine, create_session_factory
from bot.db.models import Project, Reminder, ReminderStatus, User
from bot.reminders import queue
from bot.reminders.rules import PlannedReminder, ReminderKind
from bot.sandbox.botapi.control import sim_user
from bot.sandbox.botapi.state import BotState
from testkit import FakeBotAPI
from testkit.process import TOKEN
from testkit.replicas import ApiRelay, free_port, webhook_replicas
from testkit.servers import PostgresServer

REMINDERS = 1000
FIRST_CHAT = 30_000
#: The dead replica's claims come back after the lease (a minute) and then go at 30/s.
WITHIN = 240.0


async def _plan_due_now(database_url: str) -> None:
    """A person per reminder, each the specialist of a project with questions still open, so
    the bot's own wording applies (the brand names the reminder in the message)."""
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            people = [
                User(telegram_id=FIRST_CHAT + n, first_name=f"p{n}") for n in range(REMINDERS)
            ]
            session.add_all(people)
            await session.flush()
            projects = [
                Project(specialist_id=p.id, brand=f"Проект {n}") for n, p in enumerate(people)
            ]
            session.add_all(projects)
            await session.flush()
            now = datetime.now(UTC)
            planned = [
                PlannedReminder(
                    f"scale:{n}", p.id, ReminderKind.QUESTIONS_PENDING, project.id, None, now
                )
                for n, (p, project) in enumerate(zip(people, projects, strict=True))
            ]
            await queue.upsert_planned(session, planned, now)
    finally:
        await engine.dispose()


async def _sent_count(database_url: str, chats: list[int] | None = None) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            query = (
                select(func.count())
                .select_from(Reminder)
                .join(User, User.id == Reminder.recipient_id)
                .where(Reminder.status == ReminderStatus.SENT)
            )
            if chats is not None:
                query = query.where(User.telegram_id.in_(chats))
            return int(await connection.scalar(query) or 0)
    finally:
        await engine.dispose()


def _delivered(state: BotState) -> Counter[int]:
    """Messages the bot put in each reminder chat."""
    return Counter(
        {
            chat_id: sum(1 for m in chat.messages.values() if m.outgoing)
            for chat_id, chat in state.chats.items()
            if chat_id >= FIRST_CHAT
        }
    )


def _most_in_any_second(stamps: list[float]) -> int:
    stamps = sorted(stamps)
    most, start = 0, 0
    for end, at in enumerate(stamps):
        while at - stamps[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def _wait(condition: Callable[[], Awaitable[bool]], within: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.05)


async def test_a_thousand_reminders_go_once_each_though_a_replica_is_killed_midway(
    fake_api: FakeBotAPI, postgres_server: PostgresServer, redis_url: str
) -> None:
    database_url = postgres_server.fresh_database()
    state = fake_api.bot(TOKEN)
    for n in range(REMINDERS):
        state.ensure_chat(sim_user({"id": FIRST_CHAT + n, "first_name": f"p{n}"}))
    relay = ApiRelay(fake_api.url, free_port())
    await relay.start()
    try:
        async with webhook_replicas(
            fake_api.url,
            database_url,
            redis_url,
            api_urls=[relay.base_for("victim"), relay.base_for("survivor")],
        ) as (replicas, _):
            victim = replicas.processes[0].process
            assert victim is not None
            await _plan_due_now(database_url)

            async def midway() -> bool:
                delivered = sum(_delivered(state).values())
                return delivered >= REMINDERS // 3 and len(relay.delivered["victim"]) >= 50

            await _wait(midway, WITHIN, "the replicas did not get going")
            relay.hold("victim")

            async def settled() -> bool:
                chats = relay.delivered["victim"]
                return relay.in_flight["victim"] == 0 and await _sent_count(
                    database_url, chats
                ) == len(set(chats))

            await _wait(settled, 10.0, "the victim's sends did not settle")
            victim.send_signal(signal.SIGKILL)
            await victim.wait()

            async def all_sent() -> bool:
                return await _sent_count(database_url) == REMINDERS

            await _wait(all_sent, WITHIN, f"only {await _sent_count(database_url)} sent")
            await asyncio.sleep(1.0)  # a second delivery would have had time to land

            delivered = _delivered(state)
            assert len(delivered) == REMINDERS
            assert set(delivered.values()) == {1}, {c: n for c, n in delivered.items() if n != 1}
            assert relay.delivered["victim"] and relay.delivered["survivor"]
            sends = [call.at for call in state.calls if call.method == "sendMessage"]
            assert len(sends) == REMINDERS
            assert _most_in_any_second(sends) <= 30
    finally:
        await relay.stop()
