"""The limiter shared through Redis, on the real redis-server from tests/servers.py: replicas
together keep to the bot's limits, overall and per chat, and a killed one does not hold slots."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

import pytest
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.app import build_send_limiter
from bot.reminders.ratelimit import LocalLimiter, Slot
from bot.reminders.redis_ratelimit import RedisRateLimiter

# A small, short limit keeps the test quick; the rule does not depend on the numbers.
LIMIT, WINDOW, PER_CHAT = 10, 0.5, 1
ROUND_TRIP = 0.005


@pytest.fixture
async def connections(redis_url: str) -> AsyncIterator[list[Redis]]:
    """Two separate connections, as two replicas have."""
    clients = [Redis.from_url(redis_url), Redis.from_url(redis_url)]
    yield clients
    for client in clients:
        await client.aclose()


def _limiter(redis: Redis, in_flight_timeout: float = 65.0) -> RedisRateLimiter:
    return RedisRateLimiter(
        redis,
        overall=LIMIT,
        per_chat=PER_CHAT,
        window=WINDOW,
        margin=0.01,
        in_flight_timeout=in_flight_timeout,
    )


async def _send_all(
    limiter: RedisRateLimiter, chats: Sequence[int], log: list[tuple[int, float, float]]
) -> None:
    """Send to each chat in turn as soon as allowed; log (chat, started, answered)."""
    for chat in chats:
        while True:
            slot = await limiter.reserve([chat])
            if isinstance(slot, Slot):
                break
            await asyncio.sleep(slot)
        started = time.monotonic()
        await asyncio.sleep(ROUND_TRIP)
        log.append((chat, started, time.monotonic()))
        await limiter.done(slot)


def _most_in_any_window(stamps: list[float], window: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + window) for start in stamps)


async def test_two_limiters_together_never_exceed_the_overall_limit(
    connections: list[Redis],
) -> None:
    first, second = (_limiter(redis) for redis in connections)
    log: list[tuple[int, float, float]] = []
    began = time.monotonic()
    await asyncio.gather(
        _send_all(first, range(0, 40), log), _send_all(second, range(100, 140), log)
    )
    took = time.monotonic() - began
    # Telegram sees each request somewhere between its start and its answer: count both ends.
    for stamps in ([started for _, started, _ in log], [answered for *_, answered in log]):
        assert _most_in_any_window(stamps, WINDOW) <= LIMIT
    # Shared, not split: together they still get close to the whole limit.
    assert took < (80 / LIMIT) * WINDOW * 1.5


async def test_two_limiters_together_keep_one_message_per_chat_per_window(
    connections: list[Redis],
) -> None:
    first, second = (_limiter(redis) for redis in connections)
    log: list[tuple[int, float, float]] = []
    await asyncio.gather(_send_all(first, [7] * 3, log), _send_all(second, [7] * 3, log))
    starts = sorted(started for _, started, _ in log)
    assert len(starts) == 6
    assert _most_in_any_window(starts, WINDOW) == PER_CHAT


async def test_a_busy_chat_does_not_hold_up_the_next_one(connections: list[Redis]) -> None:
    limiter = _limiter(connections[0])
    slot = await limiter.reserve([1])
    assert isinstance(slot, Slot) and slot.chat_id == 1
    await limiter.done(slot)
    await asyncio.sleep(WINDOW / LIMIT)  # past the even spacing
    other = await limiter.reserve([1, 2])
    assert isinstance(other, Slot) and other.chat_id == 2
    await limiter.done(other)
    await asyncio.sleep(WINDOW / LIMIT)
    wait = await limiter.reserve([1])
    assert isinstance(wait, float) and 0 < wait <= WINDOW + 0.01


async def test_a_request_never_answered_frees_its_slot_after_the_time_out(
    connections: list[Redis],
) -> None:
    """A replica SIGKILLed mid-request never calls done(); its slot must not stay taken."""
    killed = _limiter(connections[0], in_flight_timeout=0.3)
    survivor = _limiter(connections[1], in_flight_timeout=0.3)
    assert isinstance(await killed.reserve([5]), Slot)  # and then the process dies
    wait = await survivor.reserve([5])
    assert isinstance(wait, float) and wait <= 0.05  # only polls while it may still arrive
    await asyncio.sleep(0.3 + WINDOW + 0.05)
    assert isinstance(await survivor.reserve([5]), Slot)


async def test_a_flood_pause_from_one_replica_stops_the_other(connections: list[Redis]) -> None:
    first, second = (_limiter(redis) for redis in connections)
    await first.pause(0.4)
    await second.pause(0.1)  # a shorter pause never cuts a longer one
    wait = await second.reserve([9])
    assert isinstance(wait, float) and 0.3 < wait <= 0.4
    await asyncio.sleep(wait)
    assert isinstance(await second.reserve([9]), Slot)


async def test_replicas_with_redis_share_the_limiter_and_a_lone_process_keeps_its_own(
    redis_url: str,
) -> None:
    storage = RedisStorage.from_url(redis_url)
    try:
        assert isinstance(build_send_limiter(storage), RedisRateLimiter)
    finally:
        await storage.close()
    assert isinstance(build_send_limiter(MemoryStorage()), LocalLimiter)
