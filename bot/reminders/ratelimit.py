"""Telegram's sending limits as a pure scheduler: how long to wait before the next message.

Telegram allows a bot about 30 messages per second overall and one per second in a chat, and
answers 429 with ``retry_after`` when it is pushed past that. Telegram counts *arrivals*, which
the sender never sees: a request arrives after it was started and before its answer came back.
So the limiter keeps a sliding log of the latest requests — overall and per chat — holding for
each the moment its answer came back (``done``), and lets a new request start only ``window``
seconds after the one ``limit`` places earlier was answered. Then no window of one second can
hold more than the limit on Telegram's side, whatever the network or a busy event loop does in
between; the price is one round trip per window of throughput. Requests are also spaced out a
little so they do not leave in bursts.

The limiter only answers "how long" and records "started" and "answered"; it never sleeps, sends
or reads any clock but the injected monotonic ``time`` source, so tests drive it without waiting.

The sender talks to a ``SendLimiter``: ``LocalLimiter`` puts this scheduler behind it for one
process; ``bot.reminders.redis_ratelimit`` applies the same rule in Redis, shared by every replica
of the bot — Telegram's limits are the bot's, not the process's.
"""

from __future__ import annotations

import math
import time as _time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

OVERALL_PER_WINDOW = 30
PER_CHAT_PER_WINDOW = 1
WINDOW_SECONDS = 1.0
# The guarantee needs no margin; a little covers clock granularity on Telegram's side.
MARGIN_SECONDS = 0.01
# Even spacing would be 1.0; less leaves room to catch up on late wake-ups (8 ms at 30/s).
_SPACING_SHARE = 0.75
# Every this many requests, chats idle for a window are forgotten, so memory stays bounded.
_PRUNE_EVERY = 1024


@dataclass(slots=True)
class Ticket:
    """One started request; ``answered_at`` stays empty while it may still be arriving.
    ``name`` identifies it in a shared store (the Redis limiter); the local one needs none."""

    answered_at: float | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class Slot:
    """Permission to send one message to ``chat_id`` now, already counted as started."""

    chat_id: int
    ticket: Ticket


class SendLimiter(Protocol):
    """What the reminder sender needs from a limiter, local or shared between replicas."""

    async def reserve(self, chat_ids: Sequence[int]) -> Slot | float:
        """Take a slot for the first of ``chat_ids`` (in order of preference) that may receive a
        message now; otherwise the seconds until one might (short when only a request that is
        still on its way holds the slot)."""
        ...

    async def done(self, slot: Slot) -> None:
        """The request was answered or failed: it can no longer arrive at Telegram. Never
        raises — the message has gone either way."""
        ...

    async def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds``, as a 429 demands."""
        ...


@dataclass(slots=True)
class _SlidingLog:
    limit: int
    window: float
    tickets: deque[Ticket] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        if len(self.tickets) < self.limit:
            return 0.0
        answered = self.tickets[0].answered_at
        if answered is None:
            return math.inf  # until that request is answered
        return max(0.0, answered + self.window - now)

    def record(self, ticket: Ticket) -> None:
        self.tickets.append(ticket)
        while len(self.tickets) > self.limit:
            self.tickets.popleft()

    def idle(self, now: float) -> bool:
        last = self.tickets[-1].answered_at if self.tickets else -math.inf
        return last is not None and last + self.window <= now


class RateLimiter:
    """Decides when the next message may go, overall and to one chat.

    ``delay(chat)`` says how long to wait (``inf``: until an earlier request is answered);
    ``acquire(chat)`` records a request starting now, only after a zero delay, and the ticket it
    returns goes to ``done`` once the request is answered or failed. ``pause(seconds)`` stops
    everything, as a 429 demands.
    """

    def __init__(
        self,
        *,
        overall: int = OVERALL_PER_WINDOW,
        per_chat: int = PER_CHAT_PER_WINDOW,
        window: float = WINDOW_SECONDS,
        margin: float = MARGIN_SECONDS,
        time: Callable[[], float] = _time.monotonic,
    ) -> None:
        if overall < 1 or per_chat < 1 or window <= 0 or margin < 0:
            raise ValueError("limits must be positive and the margin not negative")
        self._window = window + margin
        self._overall = _SlidingLog(overall, self._window)
        self._per_chat_limit = per_chat
        self._chats: dict[int, _SlidingLog] = {}
        # Tighter than an even split of the window, so the log rather than the spacing sets the
        # pace and wake-ups a few milliseconds late are caught up on.
        self._spacing = self._window / overall * _SPACING_SHARE
        self._time = time
        self._paused_until = float("-inf")
        self._last = float("-inf")
        self._since_prune = 0

    def delay(self, chat_id: int) -> float:
        now = self._time()
        chat = self._chats.get(chat_id)
        return max(
            self._overall.wait(now),
            chat.wait(now) if chat is not None else 0.0,
            self._last + self._spacing - now,
            self._paused_until - now,
            0.0,
        )

    def acquire(self, chat_id: int) -> Ticket:
        if self.delay(chat_id) > 0:
            raise RuntimeError("acquire() called before delay() reached zero")
        now = self._time()
        ticket = Ticket()
        self._overall.record(ticket)
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _SlidingLog(self._per_chat_limit, self._window)
        chat.record(ticket)
        self._last = now
        self._since_prune += 1
        if self._since_prune >= _PRUNE_EVERY:
            self._prune(now)
        return ticket

    def done(self, ticket: Ticket) -> None:
        """The request was answered (or failed): it cannot arrive at Telegram any later."""
        ticket.answered_at = self._time()

    def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` from now; a shorter pause never cuts a longer one."""
        self._paused_until = max(self._paused_until, self._time() + seconds)

    @property
    def tracked_chats(self) -> int:
        return len(self._chats)

    def _prune(self, now: float) -> None:
        self._since_prune = 0
        self._chats = {k: log for k, log in self._chats.items() if not log.idle(now)}


class LocalLimiter:
    """The ``RateLimiter`` as a ``SendLimiter``, for one process: several senders in it share one.

    An infinite delay (a request still on its way) becomes ``math.inf``: the sender is woken by
    its own requests landing, and no other process takes slots.
    """

    def __init__(self, limiter: RateLimiter | None = None) -> None:
        self.limiter = limiter if limiter is not None else RateLimiter()

    async def reserve(self, chat_ids: Sequence[int]) -> Slot | float:
        soonest = math.inf
        for chat_id in chat_ids:
            wait = self.limiter.delay(chat_id)
            if wait <= 0:
                return Slot(chat_id, self.limiter.acquire(chat_id))
            soonest = min(soonest, wait)
        return soonest

    async def done(self, slot: Slot) -> None:
        self.limiter.done(slot.ticket)

    async def pause(self, seconds: float) -> None:
        self.limiter.pause(seconds)
