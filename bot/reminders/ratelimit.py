"""Telegram's sending limits as a pure scheduler: how long to wait before the next message.

Telegram allows a bot about 30 messages per second overall and one per second in a chat, and
answers 429 with ``retry_after`` when it is pushed past that. The limiter keeps a sliding log of
the latest sends — overall and per chat — so that no window of ``window`` seconds ever holds more
than the limit, and it spaces messages out so they do not leave in bursts.

Why a log rather than a fixed interval: a sender never wakes exactly on time, and with a fixed
interval every late wake-up would be lost for good; with the log, a late send only delays the
one that comes ``limit`` sends after it. Why a margin on the window: Telegram counts arrivals,
and network jitter can squeeze two sends a second apart into less than a second on arrival.

The limiter only answers "how long" and records "sent now"; it never sleeps, sends or reads any
clock but the injected monotonic ``time`` source, so tests drive it without waiting.
"""

from __future__ import annotations

import time as _time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

OVERALL_PER_WINDOW = 30
PER_CHAT_PER_WINDOW = 1
WINDOW_SECONDS = 1.0
# Keeps arrivals under the limit despite a few tens of milliseconds of jitter; costs ~2 %.
MARGIN_SECONDS = 0.02
# Even spacing would be 1.0; less leaves room to catch up on late wake-ups (8 ms at 30/s).
_SPACING_SHARE = 0.75
# Chats idle this long are forgotten, so a run over many chats does not grow without bound.
_PRUNE_EVERY = 1024


@dataclass(slots=True)
class _SlidingLog:
    limit: int
    window: float
    stamps: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        if len(self.stamps) < self.limit:
            return 0.0
        return max(0.0, self.stamps[0] + self.window - now)

    def record(self, now: float) -> None:
        self.stamps.append(now)
        while len(self.stamps) > self.limit:
            self.stamps.popleft()

    def idle(self, now: float) -> bool:
        return not self.stamps or self.stamps[-1] + self.window <= now


class RateLimiter:
    """Decides when the next message may go, overall and to one chat.

    ``delay(chat)`` says how long to wait; ``acquire(chat)`` records a send that happens now and
    must only follow a zero delay. ``pause(seconds)`` stops everything, as a 429 demands.
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

    def acquire(self, chat_id: int) -> None:
        if self.delay(chat_id) > 0:
            raise RuntimeError("acquire() called before delay() reached zero")
        now = self._time()
        self._overall.record(now)
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _SlidingLog(self._per_chat_limit, self._window)
        chat.record(now)
        self._last = now
        self._since_prune += 1
        if self._since_prune >= _PRUNE_EVERY:
            self._prune(now)

    def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` from now; a shorter pause never cuts a longer one."""
        self._paused_until = max(self._paused_until, self._time() + seconds)

    @property
    def tracked_chats(self) -> int:
        return len(self._chats)

    def _prune(self, now: float) -> None:
        self._since_prune = 0
        self._chats = {k: log for k, log in self._chats.items() if not log.idle(now)}
