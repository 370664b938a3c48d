"""Start-up of the bot, split into its parts: ``python bench/startup.py [--runs 3]``.

Target (issue «The update path close to the framework's floor»): from launch to the first
``getUpdates``, our part — our imports, the migrations check and the rest of start-up — under 1 s.
aiogram's own import is outside our control and printed apart.

The bot runs as ``python -m bot`` would, against the built-in Bot API on a fresh SQLite database
that a first, unmeasured start has already brought to the head revision (the usual restart) and
whose bytecode it has cached. A small
launcher in the child process marks the clock (``time.monotonic``, the same clock across processes
on Linux) after ``import bot`` (which imports aiogram, pydantic and aiohttp), after importing the
entry point ``bot.__main__`` (our modules, aiogram-dialog, SQLAlchemy, Jinja, Babel) and around the
migrations check, then calls the unchanged ``bot.__main__.main()``; the built-in Bot API records when
the first ``getUpdates`` arrives. Each part is the median of the runs, on the wall clock and in
CPU time of the bot process (which a busy shared machine distorts far less: at a load average of 7
on two cores the wall clock runs three to four times the CPU time).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from testkit import FakeBotAPI
from testkit.process import TOKEN, bot_env, running

MARK = "STARTUP-MARKS "
#: Runs in the child: the real entry point, with the clock read between its parts.
LAUNCHER = f"""
import json, sys, time
marks = {{}}
def mark(name):
    marks[name] = (time.monotonic(), time.process_time())
mark("interpreter")
import bot
mark("aiogram")
import bot.__main__ as entry
mark("ours")
bring_up_to_date = entry.migrate.bring_up_to_date
def timed(*args, **kwargs):
    mark("migrations_from")
    bring_up_to_date(*args, **kwargs)
    mark("migrations")
    print({MARK!r} + json.dumps(marks), flush=True)
entry.migrate.bring_up_to_date = timed
sys.exit(entry.main())
"""
TARGET_S = 1.0


def child_env(api: FakeBotAPI, folder: Path) -> dict[str, str]:
    """The bot's environment, with its bytecode cached (in ``folder``, not the worktree) as on any
    deployment that keeps it: otherwise each start compiles our ~100 modules from source again."""
    env = bot_env(api.url, folder / "startup.db")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


async def one_start(api: FakeBotAPI, env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Seconds of each part of one start, launch to the first getUpdates: (wall clock, CPU)."""
    state = api.bot(TOKEN)
    state.calls.clear()
    command = [sys.executable, "-c", LAUNCHER]
    launched = time.monotonic()
    async with running(command, env) as bot:
        polls: list[float] = []
        while not polls:  # "Start polling" is logged just before the first request goes out
            await asyncio.sleep(0.01)
            polls = [call.at for call in state.calls if call.method.lower() == "getupdates"]
        # The bot waits in its long poll now: its CPU time hardly moves after the request.
        cpu_at_poll = bot.cpu_seconds()
        line = next(line for line in bot.lines if line.startswith(MARK))
    marks = {name: tuple(at) for name, at in json.loads(line.removeprefix(MARK)).items()}
    marks["launched"] = (launched, 0.0)
    marks["first_poll"] = (polls[0], cpu_at_poll)
    parts = {
        "interpreter": ("launched", "interpreter"),
        "aiogram": ("interpreter", "aiogram"),
        "ours": ("aiogram", "ours"),
        "settings": ("ours", "migrations_from"),
        "migrations": ("migrations_from", "migrations"),
        "rest": ("migrations", "first_poll"),
        "total": ("launched", "first_poll"),
    }
    return {
        part: (marks[end][0] - marks[begin][0], marks[end][1] - marks[begin][1])
        for part, (begin, end) in parts.items()
    }


async def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    """Prints the split on both clocks; returns the median CPU seconds per part."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="measured starts; medians printed")
    args = parser.parse_args(argv)
    runs: list[dict[str, tuple[float, float]]] = []
    with tempfile.TemporaryDirectory(prefix="smartbrief-startup-") as folder:
        async with FakeBotAPI() as api:
            env = child_env(api, Path(folder))
            # The first start creates the schema and the bytecode: later starts find both.
            await one_start(api, env)
            for _ in range(args.runs):
                runs.append(await one_start(api, env))
    ours_parts = ("ours", "settings", "migrations", "rest")
    for clock, index in (("wall clock", 0), ("CPU", 1)):
        ms = {
            part: round(1000 * statistics.median(run[part][index] for run in runs))
            for part in runs[0]
        }
        print(
            f"start-up, {clock}: {ms['total']} ms to the first getUpdates = interpreter"
            f" {ms['interpreter']} ms + aiogram import {ms['aiogram']} ms + our imports"
            f" {ms['ours']} ms + settings and logging {ms['settings']} ms + migrations check"
            f" {ms['migrations']} ms + the rest {ms['rest']} ms (medians of {len(runs)})"
        )
        ours = sum(ms[part] for part in ours_parts)
        print(f"our part, {clock}: {ours} ms (target < {round(TARGET_S * 1000)} ms)")
    return {part: statistics.median(run[part][1] for run in runs) for part in runs[0]}


if __name__ == "__main__":
    asyncio.run(main())
