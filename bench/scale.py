"""Scale-mode throughput: ``python -m bench.scale [--users 30]`` (from the repository root).

The questionnaire load of ``bench/questionnaire.py`` (the same simulated specialists, from
``/start`` to the questionnaire's summary, all at once) against three set-ups in one run:

* ``sqlite``: one ``python -m bot`` polling, on SQLite — the default installation;
* ``pg+redis x1``: one webhook replica on PostgreSQL with dialog state in Redis;
* ``pg+redis x2``: two such replicas, behind a proxy that sends each person's next update to
  the other replica (``testkit/replicas.py``).

Telegram keeps up to 40 webhook posts open at once; the proxy does the same (the fake Bot API
alone would post one at a time). PostgreSQL and Redis are throwaway servers started for the run
(``testkit/servers.py``), each set-up on a fresh database. CPU is the bot processes' together; on
a machine with fewer free cores than replicas plus servers, CPU per update is the figure to
compare, not updates per second.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import redis

from bench.questionnaire import (
    FIRST_USER_ID,
    RunResult,
    ScriptError,
    Tracker,
    fill_questionnaire,
    measure,
    run_questionnaire,
)
from testkit import FakeBotAPI, SimUser
from testkit.process import TOKEN
from testkit.replicas import webhook_replicas
from testkit.servers import running_postgres, running_redis

ROOT = Path(__file__).resolve().parents[1]

#: Telegram's default ``max_connections`` for a webhook.
WEBHOOK_CONNECTIONS = 40


async def run_replicas(
    name: str, count: int, database_url: str, redis_url: str, users: int, within: float
) -> RunResult:
    async with (
        FakeBotAPI() as api,
        webhook_replicas(
            api.url, database_url, redis_url, count=count, parallel=WEBHOOK_CONNECTIONS
        ) as (replicas, proxy),
    ):
        state = api.bot(TOKEN)
        tracker = Tracker()
        people = [SimUser(id=FIRST_USER_ID + n, first_name=f"Бенч{n}") for n in range(users)]
        cpu_before = sum(process.cpu_seconds() for process in replicas.processes)
        try:
            async with asyncio.timeout(within):
                await asyncio.gather(
                    *(fill_questionnaire(state, replicas, tracker, p) for p in people)
                )
        except TimeoutError:
            raise RuntimeError(
                f"{name}: {len(tracker.finished)}/{users} users done in {within:.0f} s\n"
                f"{replicas.tail()}"
            ) from None
        except ScriptError as error:
            raise ScriptError(f"{error}\n{name} logs:\n{replicas.tail()}") from None
        cpu = sum(process.cpu_seconds() for process in replicas.processes) - cpu_before
        if proxy.lost:
            print(f"{name}: {proxy.lost} updates no replica accepted", flush=True)
        return measure(name, state, tracker, cpu)


def _flush(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        client.flushall()
    finally:
        client.close()


async def main(argv: Sequence[str] | None = None) -> list[RunResult]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=30, help="simulated users, all at once")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per set-up, at most")
    args = parser.parse_args(argv)
    results = [replace(await run_questionnaire(args.users, args.timeout), name="sqlite")]
    print(results[0].line(), flush=True)
    with running_postgres() as postgres, running_redis() as redis_url:
        for count in (1, 2):
            _flush(redis_url)
            result = await run_replicas(
                f"pg+redis x{count}",
                count,
                postgres.fresh_database(),
                redis_url,
                args.users,
                args.timeout,
            )
            print(result.line(), flush=True)
            results.append(result)
    sqlite, one, two = (result.updates_per_second for result in results)
    print(
        f"{'side by side':>13}: sqlite {sqlite:.1f} | pg+redis x1 {one:.1f} | "
        f"pg+redis x2 {two:.1f} updates/s (x2 / x1 = {two / one:.2f})"
    )
    return results


if __name__ == "__main__":
    started = time.monotonic()
    asyncio.run(main())
    print(f"{'wall time':>13}: {time.monotonic() - started:.0f} s")
