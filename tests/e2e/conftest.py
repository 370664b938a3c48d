"""End-to-end fixtures: the real `python -m bot` process (testkit.process) talking HTTP to the
built-in Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from testkit import FakeBotAPI
from testkit.client import FakeBotAPIClient
from testkit.process import TOKEN, BotProcess, bot_env


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
