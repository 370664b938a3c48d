"""The bot under test as an operating-system process: start it, wait on its log, kill it.

Shared by the end-to-end tests, the scale tests and the benchmarks. ``BotProcess`` is the
tests' view (a log file that survives restarts); ``BotUnderTest`` the benchmarks' (it reads the
log as a stream and resolves a future per handled update). Nothing in here may be imported by
the bot itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"
HANDLED = re.compile(r"Update id=(\d+) is (?:not )?handled")
LOG_RECORD = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d")  # a new record after a traceback
#: How long to wait for a reply: generous, because CI machines have two busy cores.
WAIT = 20.0


@dataclass
class BotProcess:
    """Starts, kills and restarts the bot as an operating-system process."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )

    async def wait_until_running(
        self, starts: int = 1, within: float = 60.0, ready: str = "Start polling"
    ) -> None:
        """Until the bot has logged `starts` times that it takes updates — `ready` is the mode's
        log line: polling's by default — (the log survives restarts); fails early with the log if
        the process died."""
        deadline = time.monotonic() + within
        while self.output().count(ready) < starts:
            assert self.process is not None and self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            await asyncio.sleep(0.05)

    async def wait_handled(self, count: int, within: float = 10.0) -> None:
        """Until `count` updates are fully handled (committed), as a person pausing between taps."""
        deadline = time.monotonic() + within
        while self.output().count(" is handled.") < count:
            assert time.monotonic() < deadline, self.output()
            await asyncio.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when a machine loses power."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    async def wait_killed(self, within: float = 10.0) -> None:
        """Until the process is gone by SIGKILL (sent by the fake Bot API's kill hook)."""
        deadline = time.monotonic() + within
        while self.process is None or self.process.poll() is None:
            assert time.monotonic() < deadline, self.output()
            await asyncio.sleep(0.02)
        assert self.process.returncode == -signal.SIGKILL, self.output()

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(15)
        return self.process.returncode

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def bot_env(api_url: str, database: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        LOG_LEVEL="INFO",
    )
    return env


class BotUnderTest:
    """A bot process whose log tells, update by update, when handling has finished."""

    def __init__(
        self, command: Sequence[str], env: dict[str, str], ready: str = "Start polling"
    ) -> None:
        """``ready`` is the log line that says updates are being taken (a webhook's differs)."""
        self.command, self.env, self.ready = list(command), env, ready
        self.process: asyncio.subprocess.Process | None = None
        self.lines: list[str] = []
        self._started = asyncio.Event()
        self._waiting: dict[int, asyncio.Future[None]] = {}
        self._reader: asyncio.Task[None] | None = None

    async def start(self, within: float = 60.0) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.command,
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        try:
            await asyncio.wait_for(self._started.wait(), within)
        except TimeoutError:
            raise RuntimeError(f"{self.command} did not start:\n{self.tail()}") from None

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        async for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            if self.ready in line:
                self._started.set()
            if match := HANDLED.search(line):
                waiter = self._waiting.pop(int(match.group(1)), None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)
        for waiter in self._waiting.values():  # the process is gone: nobody will answer
            if not waiter.done():
                waiter.set_exception(RuntimeError(f"the bot exited:\n{self.tail()}"))

    def handled(self, update_id: int) -> Awaitable[None]:
        """Resolves when the bot logs this update as handled; call it before yielding to the
        loop after injecting, so the log line cannot come first."""
        waiter = self._waiting[update_id] = asyncio.get_running_loop().create_future()
        return waiter

    def cpu_seconds(self) -> float:
        """User plus system CPU time the process has used so far (Linux; NaN elsewhere).

        The figure that a busy shared machine distorts least: wall-clock rates drop when other
        processes take the cores, CPU time per update does not.
        """
        if self.process is None:
            return math.nan
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return math.nan
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, count: int = 40) -> str:
        return "\n".join(self.lines[-count:])

    def first_error(self) -> str:
        """The first traceback the bot logged, whole: it is what to fix first."""
        start = next((i for i, line in enumerate(self.lines) if line.startswith("Traceback")), None)
        if start is None:
            return "(the bot logged no traceback)"
        end = next(
            (i for i in range(start, len(self.lines)) if LOG_RECORD.match(self.lines[i])),
            len(self.lines),
        )
        return "\n".join(self.lines[max(0, start - 1) : end])

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


@contextlib.asynccontextmanager
async def running(command: Sequence[str], env: dict[str, str]) -> AsyncIterator[BotUnderTest]:
    process = BotUnderTest(command, env)
    try:
        await process.start()
        yield process
    finally:
        await process.stop()
