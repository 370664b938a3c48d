"""aiogram-dialog's per-stack locks: one event of a stack at a time, and none kept afterwards
(aiogram's default keeps one for every person the process has ever met)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey

from dialogs.isolation import QueuedBeforeShared, ReleasingEventIsolation
from tests.dispatcher.harness import ChatUser


def key(user: int) -> StorageKey:
    return StorageKey(bot_id=42, chat_id=user, user_id=user, destiny="aiogram_dialog_stack")


async def test_one_event_of_a_key_at_a_time_and_no_lock_left_after() -> None:
    isolation = ReleasingEventIsolation()
    order: list[str] = []

    async def event(name: str, user: int) -> None:
        async with isolation.lock(key(user)):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(event("a", 1), event("b", 1), event("c", 2))
    # a and b share a key: b waits for a; c has its own and runs alongside
    assert order.index("a out") < order.index("b in")
    assert order.index("c in") < order.index("a out")
    assert isolation.keys_locked == 0


async def test_a_failing_event_releases_its_lock() -> None:
    isolation = ReleasingEventIsolation()
    try:
        async with isolation.lock(key(1)):
            raise RuntimeError("handler failed")
    except RuntimeError:
        pass
    assert isolation.keys_locked == 0
    async with asyncio.timeout(1), isolation.lock(key(1)):  # not left locked either
        pass


class LastComeFirstServed(BaseEventIsolation):
    """A shared lock as unfair as a polled Redis lock can be: the newest waiter wins."""

    def __init__(self) -> None:
        self.held = False
        self.waiting: list[asyncio.Future[None]] = []

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        if self.held:
            turn = asyncio.get_running_loop().create_future()
            self.waiting.append(turn)
            await turn
        self.held = True
        try:
            yield
        finally:
            if self.waiting:
                self.waiting.pop().set_result(None)  # hand over to the newest, still held
            else:
                self.held = False

    async def close(self) -> None:
        pass


async def test_a_persons_events_run_in_arrival_order_behind_an_unfair_shared_lock() -> None:
    async def run(isolation: BaseEventIsolation) -> list[int]:
        order: list[int] = []

        async def event(number: int) -> None:
            async with isolation.lock(key(1)):
                await asyncio.sleep(0.01)
                order.append(number)

        events = []
        for number in range(5):
            events.append(asyncio.create_task(event(number)))
            await asyncio.sleep(0)  # each arrives after the one before has queued
        await asyncio.gather(*events)
        return order

    assert await run(LastComeFirstServed()) != [0, 1, 2, 3, 4]  # the shared lock alone reorders
    assert await run(QueuedBeforeShared(LastComeFirstServed())) == [0, 1, 2, 3, 4]


async def test_the_bot_keeps_no_dialog_lock_for_people_it_has_served(
    dispatcher: Dispatcher, anna: ChatUser
) -> None:
    await anna.send("/start")
    await anna.send("/new")
    isolations = [
        middleware.events_isolation
        for middleware in dispatcher.errors.middleware
        if hasattr(middleware, "events_isolation")
    ]
    assert isolations and all(isinstance(i, ReleasingEventIsolation) for i in isolations)
    assert all(i.keys_locked == 0 for i in isolations)
