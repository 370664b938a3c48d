"""One person's events one at a time, in the order they came, without a lock kept for every
person ever seen.

aiogram-dialog serialises the events of one dialog stack with aiogram's `SimpleEventIsolation`,
which creates a lock per stack key and never forgets it (its own "TODO: unused locks cleaner"):
a lock, a key and a dict entry for every person and every stack the process has met, growing for
as long as it runs. Here a key's lock lives while an event holds it or waits for it, and goes
with the last one.

A lock shared by replicas (Redis) is a mutex, not a queue: its waiters poll and whichever polls
first after a release wins, so two quick texts of one person could be handled out of order.
`QueuedBeforeShared` queues them in the process first, so only the oldest waits on the shared one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Hashable
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey


class ReleasingEventIsolation(BaseEventIsolation):
    def __init__(self) -> None:
        # key → its lock and how many events hold it or wait for it; one event loop, no races
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    @property
    def keys_locked(self) -> int:
        """Keys with a lock now: those whose events are running or waiting. (Not ``__len__``:
        aiogram-dialog tests the isolation it is given for truth, and an idle one would be
        replaced with aiogram's default.)"""
        return len(self._locks)

    async def close(self) -> None:
        self._locks.clear()


class QueuedBeforeShared(BaseEventIsolation):
    """A key's events in arrival order within the process, one at a time across processes.

    The in-process lock is first-come first-served; behind it, at most one event per key and
    process contends for the shared lock, which only has to keep replicas apart."""

    def __init__(self, shared: BaseEventIsolation) -> None:
        self._local = ReleasingEventIsolation()
        self._shared = shared

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        async with self._local.lock(key), self._shared.lock(key):
            yield

    async def close(self) -> None:
        await self._local.close()
        await self._shared.close()
