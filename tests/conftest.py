"""Shared pytest fixtures; each section belongs to the module named in its heading."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakebotapi import FakeBotAPI


# --- fake Telegram Bot API (tests/fakebotapi) ----------------------------------------------
@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API running in-process on an ephemeral loopback port.

    Point aiogram at ``fake_api.url`` and drive users with ``fake_api.client(token)``.
    """
    async with FakeBotAPI(kill_hooks=True) as api:  # crash tests kill the bot at chosen calls
        yield api


# --- throwaway PostgreSQL and Redis (tests/servers.py) -------------------------------------
pytest_plugins = ["tests.servers"]
