"""End-to-end fixtures: the real `python -m bot` process talking HTTP to the fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakebotapi import FakeBotAPI
from tests.fakebotapi.client import FakeBotAPIClient

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"
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


@pytest.fixture
def bot_process(fake_api: FakeBotAPI, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(bot_env(fake_api.url, tmp_path / "bot.db"), tmp_path / "bot.log")
    yield process
    if process.process is not None and process.process.poll() is None:
        process.stop()


@pytest.fixture
async def tg(fake_api: FakeBotAPI) -> AsyncIterator[FakeBotAPIClient]:
    async with fake_api.client(TOKEN) as client:
        yield client
