"""Telegram's sending limits shared by every replica of the bot, kept in Redis.

Telegram allows a *bot* about 30 messages a second and one a second per chat, however many
processes send for it; with ``REDIS_URL`` set, every replica's reminder sender takes its slots
here, so together they keep to the limit. The rule is the one ``bot.reminders.ratelimit`` proves
for one process, stated as a count: a request may start only while fewer than ``limit`` requests
are *live* — still on their way, or answered less than ``window`` ago. (If ``limit + 1`` requests
arrived at Telegram within one window, each of the others was answered after the last of them
started minus a window, so it was live when that one started — which the rule forbids.)

Each live request is a member of a sorted set — one for the bot, one per chat — scored with the
moment it was answered, or, while on its way, with the moment its HTTP request must have timed
out: a replica killed mid-request gives its slots back by then instead of holding them forever.
Every decision is one Lua script run atomically on Redis's own clock (``TIME``), so replicas with
skewed clocks still agree. Keys share one hash tag, so the scripts also run on a Redis Cluster.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.reminders.ratelimit import (
    MARGIN_SECONDS,
    OVERALL_PER_WINDOW,
    PER_CHAT_PER_WINDOW,
    WINDOW_SECONDS,
    Slot,
    Ticket,
)

log = logging.getLogger(__name__)

#: A request not answered by then has timed out in aiogram's session (60 s) and will not arrive.
IN_FLIGHT_TIMEOUT = 65.0
#: How soon to look again when only another replica's request in flight holds the slot: nothing
#: wakes this process when it lands.
IN_FLIGHT_POLL = 0.02
#: Even spacing would be 1.0; less leaves room to catch up on late wake-ups, as locally.
SPACING_SHARE = 0.75

# KEYS: overall set, pause key, last-start key, then one set per candidate chat (in order).
# ARGV: overall limit, per-chat limit, window ms, spacing ms, in-flight timeout ms, poll ms,
#       ticket name. Returns {index of the chat that got the slot (1-based), 0} or {0, wait ms}.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local overall, per_chat = tonumber(ARGV[1]), tonumber(ARGV[2])
local window, spacing = tonumber(ARGV[3]), tonumber(ARGV[4])
local flight, poll = tonumber(ARGV[5]), tonumber(ARGV[6])

local function wait_for(key, limit)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local live = redis.call('ZCARD', key)
  if live < limit then return 0 end
  -- The slot frees when the (live - limit + 1)-th earliest answer is a window old.
  local score = tonumber(redis.call('ZRANGE', key, live - limit, live - limit, 'WITHSCORES')[2])
  if score > now then return poll end
  return score + window - now
end

local wait = wait_for(KEYS[1], overall)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
local last = tonumber(redis.call('GET', KEYS[3]) or '0')
wait = math.max(wait, paused - now, last + spacing - now)
if wait > 0 then return {0, string.format('%.3f', wait)} end

local soonest = nil
for i = 4, #KEYS do
  local chat_wait = wait_for(KEYS[i], per_chat)
  if chat_wait <= 0 then
    local until_answered = now + flight
    local keep = math.ceil(flight + window)
    redis.call('ZADD', KEYS[1], until_answered, ARGV[7])
    redis.call('PEXPIRE', KEYS[1], keep)
    redis.call('ZADD', KEYS[i], until_answered, ARGV[7])
    redis.call('PEXPIRE', KEYS[i], keep)
    redis.call('SET', KEYS[3], string.format('%.3f', now), 'PX', keep)
    return {i - 3, '0'}
  end
  if soonest == nil or chat_wait < soonest then soonest = chat_wait end
end
return {0, string.format('%.3f', soonest or poll)}
"""

# KEYS: overall set, the chat's set. ARGV: ticket name. The answer time replaces the time-out.
_DONE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', now, ARGV[1])
return 1
"""

# KEYS: pause key. ARGV: seconds in ms. A shorter pause never cuts a longer one.
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local until_ms = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current then
  redis.call('SET', KEYS[1], string.format('%.3f', until_ms), 'PX', math.ceil(tonumber(ARGV[1])) + 1)
end
return 1
"""


class RedisRateLimiter:
    """A ``SendLimiter`` whose counts live in Redis, shared by every process using ``prefix``.

    One instance per process is enough; it holds no state but the connection.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "smartbrief",
        overall: int = OVERALL_PER_WINDOW,
        per_chat: int = PER_CHAT_PER_WINDOW,
        window: float = WINDOW_SECONDS,
        margin: float = MARGIN_SECONDS,
        in_flight_timeout: float = IN_FLIGHT_TIMEOUT,
        in_flight_poll: float = IN_FLIGHT_POLL,
    ) -> None:
        if overall < 1 or per_chat < 1 or window <= 0 or margin < 0:
            raise ValueError("limits must be positive and the margin not negative")
        self._redis = redis
        # The hash tag keeps every key of this limiter on one Cluster slot.
        self._prefix = f"{prefix}:{{ratelimit}}"
        window_ms = (window + margin) * 1000
        self._limits: list[Any] = [
            overall,
            per_chat,
            window_ms,
            window_ms / overall * SPACING_SHARE,
            in_flight_timeout * 1000,
            in_flight_poll * 1000,
        ]
        self._reserve = redis.register_script(_RESERVE)
        self._done = redis.register_script(_DONE)
        self._pause = redis.register_script(_PAUSE)

    def _key(self, name: str) -> str:
        return f"{self._prefix}:{name}"

    def _chat_key(self, chat_id: int) -> str:
        return self._key(f"chat:{chat_id}")

    async def reserve(self, chat_ids: Sequence[int]) -> Slot | float:
        if not chat_ids:
            raise ValueError("reserve() needs at least one chat")
        name = secrets.token_hex(8)
        keys = [self._key("all"), self._key("pause"), self._key("last")]
        keys += [self._chat_key(chat_id) for chat_id in chat_ids]
        index, wait_ms = await self._reserve(keys=keys, args=[*self._limits, name])
        if int(index) > 0:
            return Slot(chat_ids[int(index) - 1], Ticket(name=name))
        return max(float(wait_ms) / 1000, 0.0)

    async def done(self, slot: Slot) -> None:
        keys = [self._key("all"), self._chat_key(slot.chat_id)]
        try:
            await self._done(keys=keys, args=[slot.ticket.name])
        except RedisError:
            # The message has gone; its slot is freed by the time-out instead, a little later.
            log.warning("could not record a sent message in Redis", exc_info=True)

    async def pause(self, seconds: float) -> None:
        try:
            await self._pause(keys=[self._key("pause")], args=[seconds * 1000])
        except RedisError:
            log.warning("could not share a %s s flood pause through Redis", seconds, exc_info=True)
