"""Memory of one bot process holding many people's state: ``python -m bench.memory``.

Target (issue «The update path close to the framework's floor»): RSS of the bot process after
10 000 people's state is stored stays under 150 MB.

Nothing is inserted behind the bot's back: every person is driven through the real
``python -m bot`` (on SQLite, against the built-in Bot API, as ``bench/questionnaire.py`` does) —
``/start``, the role, a day of the week — so their user row and their open dialog (aiogram-dialog's
stack and context in the database) are what the bot itself wrote. Then the bot is restarted on the
same database, which re-plans every project at start-up, and a sample of people carry on where they
were (onboarding, ``/new``, the first questions): their state is loaded the way the bot loads it,
from the database, by their next press. RSS (``VmRSS``) is read after each phase; the larger is
the one printed as ``rss: N MB``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.questionnaire import (
    FAILED,
    FIRST_USER_ID,
    Action,
    ScriptError,
    Tracker,
    act,
    next_action,
    screen,
)
from bot.sandbox.botapi.state import BotState
from testkit import FakeBotAPI, SimUser
from testkit.process import TOKEN, BotUnderTest, bot_env, running

TARGET_MB = 150


def status(bot: BotUnderTest) -> dict[str, str]:
    """The bot process's ``/proc/PID/status`` (Linux only)."""
    assert bot.process is not None
    lines = Path(f"/proc/{bot.process.pid}/status").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if ":" in line)


def rss_mb(bot: BotUnderTest) -> float:
    """Resident set size of the bot process now, in MiB."""
    return int(status(bot)["VmRSS"].split()[0]) / 1024


def threads(bot: BotUnderTest) -> int:
    """Threads of the bot process: each SQLite connection of the pool runs in one (aiosqlite)."""
    return int(status(bot)["Threads"])


async def walk(state: BotState, bot: BotUnderTest, user: SimUser, steps: int, first: Action) -> int:
    """``steps`` actions of a specialist, starting with ``first`` and then doing what each
    screen asks (as ``bench/questionnaire.py`` does); returns how many failed."""
    tracker, action, failed = Tracker(), first, 0
    for _ in range(steps):
        await act(state, bot, tracker, user, action)
        shown = screen(state, user.id)
        if FAILED in (shown.data.get("text") or ""):
            failed += 1
            continue
        following = next_action(shown)
        if following is None:
            break
        action = following
    return failed


async def drive(
    state: BotState,
    bot: BotUnderTest,
    people: Sequence[SimUser],
    steps: int,
    first: dict[int, Action],
    parallel: int,
) -> int:
    """Every person walks ``steps`` actions, ``parallel`` people at a time; failures summed."""
    gate = asyncio.Semaphore(parallel)

    async def one(user: SimUser) -> int:
        async with gate:
            return await walk(state, bot, user, steps, first[user.id])

    return sum(await asyncio.gather(*(one(user) for user in people)))


def resume_action(state: BotState, user: SimUser) -> Action:
    """What the person does next on the screen they were left on."""
    action = next_action(screen(state, user.id))
    if action is None:
        raise ScriptError(f"user {user.id} has nothing left to do")
    return action


async def main(argv: Sequence[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=10_000, help="people whose state is stored")
    parser.add_argument("--steps", type=int, default=3, help="actions each person takes first")
    parser.add_argument("--sample", type=int, default=300, help="people who carry on after restart")
    parser.add_argument("--sample-steps", type=int, default=8, help="actions each of them takes")
    parser.add_argument("--parallel", type=int, default=64, help="people acting at the same time")
    args = parser.parse_args(argv)
    people = [SimUser(id=FIRST_USER_ID + n, first_name=f"Память{n}") for n in range(args.people)]
    sample = random.Random(17).sample(people, min(args.sample, len(people)))
    with tempfile.TemporaryDirectory(prefix="smartbrief-memory-") as folder:
        env_for = lambda url: bot_env(url, Path(folder) / "memory.db")  # noqa: E731
        async with FakeBotAPI() as api:
            state = api.bot(TOKEN)
            command = [sys.executable, "-m", "bot"]
            async with running(command, env_for(api.url)) as bot:
                print(f"{'at start':>16}: {rss_mb(bot):6.1f} MB", flush=True)
                started = time.monotonic()
                start = {user.id: Action(text="/start") for user in people}
                failed = await drive(state, bot, people, args.steps, start, args.parallel)
                stored = rss_mb(bot)
                print(
                    f"{'stored':>16}: {stored:6.1f} MB after {len(people)} people × "
                    f"{args.steps} actions in {time.monotonic() - started:.0f} s, {failed} failed, "
                    f"{threads(bot)} threads",
                    flush=True,
                )
            async with running(command, env_for(api.url)) as bot:
                restarted = rss_mb(bot)
                print(f"{'restarted':>16}: {restarted:6.1f} MB (every project re-planned)")
                resume = {user.id: resume_action(state, user) for user in sample}
                failed += await drive(state, bot, sample, args.sample_steps, resume, args.parallel)
                resumed = rss_mb(bot)
                print(
                    f"{'resumed':>16}: {resumed:6.1f} MB after {len(sample)} people × "
                    f"{args.sample_steps} more actions, state read back from the database"
                )
    rss = max(stored, resumed)
    print(f"rss: {rss:.0f} MB (target < {TARGET_MB} MB), {failed} failed", flush=True)
    return rss


if __name__ == "__main__":
    asyncio.run(main())
