"""The questionnaire's updates run on the event loop alone.

aiogram runs any filter or handler that is not a coroutine in a worker thread (`asyncio.to_thread`),
and aiogram-dialog's `MessageInput(content_types=...)` is such a filter: every typed answer once
paid a thread hop and a wake-up of the loop for a check of its content type. Slow work (the PDF,
charts) goes to a thread on purpose; filling in the questionnaire has none."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import pytest
from aiogram import Dispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.roles import Role
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project
from tests.dispatcher.walk import walk


async def test_filling_in_the_questionnaire_sends_nothing_to_a_worker_thread(
    anna: ChatUser,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[str] = []
    to_thread = asyncio.to_thread

    async def recording(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(function, "func", function).__qualname__)
        return await to_thread(function, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", recording)
    await new_project(anna)  # typed answers: the brand and the niche
    asked = await walk(anna, Role.SPECIALIST, session_factory)
    assert len(asked) > 10  # typed answers and buttons alike
    assert sent == []


async def test_filling_in_the_questionnaire_starts_no_task(
    anna: ChatUser,
    session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each task is another turn of the loop before the update is done: closing the update's
    session through `async with` once started one per update (SQLAlchemy shields the close from
    cancellation that way)."""
    loop = asyncio.get_running_loop()
    in_update: ContextVar[bool] = ContextVar("in_update", default=False)
    started: list[str] = []
    feed = Dispatcher.feed_update

    async def feeding(self: Dispatcher, *args: Any, **kwargs: Any) -> Any:
        in_update.set(True)  # this task's own context: the walk's reads outside are not counted
        try:
            return await feed(self, *args, **kwargs)
        finally:
            in_update.set(False)

    def counting(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        if in_update.get():
            started.append(getattr(coro, "__qualname__", repr(coro)))
        return asyncio.Task(coro, loop=loop, **kwargs)

    await new_project(anna)
    monkeypatch.setattr(Dispatcher, "feed_update", feeding)
    loop.set_task_factory(counting)
    try:
        asked = await walk(anna, Role.SPECIALIST, session_factory)
    finally:
        loop.set_task_factory(None)
    assert len(asked) > 10
    assert started == []
