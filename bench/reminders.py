"""Reminder delivery at Telegram's limits: ``python bench/reminders.py [--count N] [--chats N]``.

Puts ``count`` due reminders (default 10 000) for ``chats`` people (default 2 000) in a fresh,
migrated SQLite file, starts the fake Bot API in-process and delivers them with the real
``ReminderSender`` and a real aiogram ``Bot``. It then reads the fake API's call log and the
chats and prints: sustained delivery rate, the most requests in any one-second window overall and
in any chat, duplicates and lost messages, and lag from due time to delivery (p50/p99).

Targets: ≥ 28.5 msg/s sustained, never more than 30 in any second, at most 1 per second per chat,
no duplicates, nothing lost. All reminders are due at once, so lag is mostly queueing: the k-th
message cannot leave before k/30 s after the start, and that floor is printed beside the lag.
The full run takes about six minutes; ``--count`` runs a smaller one.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import func, select

from bot.clock import SystemClock
from bot.db.engine import create_engine, create_session_factory
from bot.db.migrate import upgrade
from bot.db.models import Project, Reminder, ReminderStatus, User
from bot.reminders import queue
from bot.reminders.ratelimit import LocalLimiter
from bot.reminders.rules import PlannedReminder, ReminderKind
from bot.reminders.sender import OutgoingMessage, ReminderSender
from testkit import FakeBotAPI, SimUser
from testkit.client import Call

ROOT = Path(__file__).resolve().parents[1]

TOKEN = "4242:bench-token"
FIRST_CHAT = 10_000_000


async def render(reminder: Reminder, user: User) -> OutgoingMessage:
    return OutgoingMessage(f"Напоминание #{reminder.id} для {user.first_name}")


def most_in_window(stamps: list[float], window: float = 1.0) -> int:
    ordered = sorted(stamps)
    return max(
        (bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered)), default=0
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(count: int, chats: int, database: Path) -> bool:
    url = f"sqlite+aiosqlite:///{database}"
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    clock = SystemClock()
    chat_ids = [FIRST_CHAT + n for n in range(chats)]
    async with FakeBotAPI() as api, api.client(TOKEN) as client:
        for start in range(0, chats, 500):
            await client.send_texts(
                [(SimUser(id=c), "/start") for c in chat_ids[start : start + 500]]
            )
        async with sessions() as session, session.begin():
            users = [User(telegram_id=c, first_name=f"u{c}") for c in chat_ids]
            session.add_all(users)
            await session.flush()
            session.add(Project(id=1, specialist_id=users[0].id, brand="bench"))
        now = clock.now()
        rng = random.Random(7)
        planned = [
            PlannedReminder(
                f"bench:{n}",
                users[n % chats].id,
                ReminderKind.CHECKIN,
                1,
                None,
                now - timedelta(seconds=rng.uniform(0, 10)),
            )
            for n in range(count)
        ]
        async with sessions() as session, session.begin():
            await queue.upsert_planned(session, planned, now)

        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))
        sender = ReminderSender(sessions, bot, clock, render, "bench", limiter=LocalLimiter())
        started = time.monotonic()
        started_at = clock.now()
        sender.start()
        done = 0
        while done < count:
            await asyncio.sleep(1.0)
            async with sessions() as session:
                pending = await session.scalar(
                    select(func.count())
                    .select_from(Reminder)
                    .where(Reminder.status.in_([ReminderStatus.PLANNED, ReminderStatus.CLAIMED]))
                )
            done = count - (pending or 0)
            elapsed = time.monotonic() - started
            print(f"\r{done:>6}/{count} in {elapsed:5.0f} s", end="", flush=True)
        print()
        await sender.stop()
        await bot.session.close()

        calls: list[Call] = [c for c in await client.calls() if c.method == "sendMessage"]
        received: Counter[str] = Counter()
        for chat in chat_ids:
            received.update(str(m.text).split()[1] for m in await client.received(chat))
        async with sessions() as session:
            rows = (await session.execute(select(Reminder))).scalars().all()
    await engine.dispose()

    expected = {f"#{r.id}" for r in rows}
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    lost = len(expected - received.keys())
    ok = [c.at for c in calls if c.status == 200]
    sustained = (len(ok) - 1) / (max(ok) - min(ok))
    per_chat: dict[int | None, list[float]] = defaultdict(list)
    for c in calls:
        per_chat[c.chat_id].append(c.at)
    chat_peak = max(most_in_window(stamps) for stamps in per_chat.values())
    chat_gap = min(
        (b - a for s in per_chat.values() for a, b in itertools.pairwise(sorted(s))),
        default=float("inf"),
    )
    overall_peak = most_in_window([c.at for c in calls])
    delivered = sorted((r for r in rows if r.sent_at is not None), key=lambda r: (r.sent_at, r.id))
    lags = [(r.sent_at - r.due_at).total_seconds() for r in delivered]  # type: ignore[operator]
    # What the lag would be if the k-th delivery left exactly k/30 s after the sender started.
    floors = [(started_at - r.due_at).total_seconds() + k / 30 for k, r in enumerate(delivered)]
    ordered = sorted(ok)
    tightest = min((b - a for a, b in zip(ordered, ordered[30:], strict=False)), default=0.0)
    print(f"reminders {count}, chats {chats}, requests {len(calls)} ({len(ok)} accepted)")
    print(f"sustained rate        {sustained:6.2f} msg/s   (target ≥ 28.5)")
    print(f"most in any 1 s       {overall_peak:6d}         (target ≤ 30)")
    print(f"31 requests in a row span at least {tightest:.3f} s (over 1 s means within the limit)")
    print(
        f"most per chat in 1 s  {chat_peak:6d}         (target ≤ 1; closest gap {chat_gap:.3f} s)"
    )
    print(f"duplicates            {duplicates:6d}         (target 0)")
    print(f"lost                  {lost:6d}         (target 0)")
    print(
        f"lag due→delivered     p50 {percentile(lags, 0.5):7.1f} s   p99 {percentile(lags, 0.99):7.1f} s"
    )
    print(
        f"                      (queueing alone at 30/s: p50 {percentile(floors, 0.5):7.1f} s"
        f"   p99 {percentile(floors, 0.99):7.1f} s)"
    )
    return (
        sustained >= 28.5
        and overall_peak <= 30
        and chat_peak <= 1
        and duplicates == 0
        and lost == 0
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.db"
        upgrade(f"sqlite+aiosqlite:///{database}")
        passed = asyncio.run(run(args.count, min(args.chats, args.count), database))
    print("PASS" if passed else "FAIL")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
