"""The sending loop: claims due reminders from the queue and delivers each one once.

One asyncio task per process (``start()``/``stop()``). It claims small batches of due rows
(see ``bot.reminders.queue`` for the atomic claim and the lease), asks the caller's ``render``
for the message — this module knows nothing about wording — and sends through ``bot.send_message``
at the pace the ``SendLimiter`` allows, a few requests in flight at a time. Every delivery is
marked sent in its own short transaction right after Telegram accepts it.

When Telegram says no:

* 429 (``TelegramRetryAfter``): everyone waits ``retry_after`` — the flood limit is the bot's,
  not the chat's — and the same reminder is tried again; it does not count as an attempt.
* 403 (``TelegramForbiddenError``): the user blocked the bot; they are marked ``blocked`` and all
  their pending reminders are cancelled. Rows for blocked users are cancelled, never sent.
* anything else: retried after 1, 2, 4 … seconds while the claim is kept alive; after
  ``max_attempts`` the row is ``failed`` with its last error.

Replicas: every sender claims distinct rows, so a reminder goes once however many run. Telegram's
limits are the bot's, so replicas share one limiter in Redis (``RedisRateLimiter``) and together
keep to them; senders in one process without Redis share one ``LocalLimiter``.

A reminder is rendered when it is claimed, before its sending slot is taken, so a slow
``render`` never makes requests leave late and bunch up; one that then waits longer than
``fresh_for`` for its chat's turn is rendered again just before it goes, so what changed meanwhile
(a brief signed) counts. A reminder noticed late (the bot was down, the clock jumped ahead) is
held to its recipient's next window (``windows.catch_up_time``). Nudges of one series that come
due together (after downtime) go out once, and a nudge delivered with buttons takes them off the
series' earlier message (one live nudge).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import Reminder, User
from bot.reminders import queue
from bot.reminders.planning import availability_of, plan_digest
from bot.reminders.ratelimit import LocalLimiter, SendLimiter, Slot
from bot.reminders.rules import ReminderKind
from bot.reminders.windows import catch_up_time

log = logging.getLogger(__name__)

NOTHING_TO_SEND = "nothing to send"
SUPERSEDED = "superseded by a later nudge"
NUDGE_KINDS = frozenset({ReminderKind.SIGNOFF_PENDING, ReminderKind.QUESTIONS_PENDING})
#: Reminders that come again and again with the same buttons: only the newest keeps them.
SERIES_KINDS = NUDGE_KINDS | {ReminderKind.CHECKIN}
# With the default poll interval, marking is retried for about a minute before the row is left to
# lapse (and be sent again after the lease).
_MARK_ATTEMPTS = 6


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    text: str
    reply_markup: InlineKeyboardMarkup | None = None


Render = Callable[[Reminder, User], Awaitable[OutgoingMessage | None]]


@dataclass(frozen=True, slots=True)
class SenderSettings:
    batch_size: int = 30  # about a second of sending: claims stay fresh and fairly shared
    # Claiming goes on while fewer than ``batch_size`` chats are waiting (one chat takes one
    # message a second, so a few busy chats must not starve the rest), up to this many rows.
    max_pending: int = 300
    poll_interval: float = 1.0  # seconds between looks at the queue while nothing is due
    lease: timedelta = queue.LEASE
    max_attempts: int = 5
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_backoff: float = 60.0
    max_in_flight: int = 8
    # Seconds a worded reminder stays good. One that waited longer for its chat's turn is worded
    # again just before it goes, so a brief signed in the meantime stops its sign-off nudge.
    fresh_for: float = 2.0


@dataclass(slots=True)
class _Item:
    reminder: Reminder
    user: User
    attempts: int
    message: OutgoingMessage | None = None
    rendered_at: float = 0.0  # loop time
    not_before: float = 0.0  # loop time before which it must not be tried again


def superseded_nudges(items: list[_Item]) -> list[_Item]:
    """Nudges of one series that came due together (after downtime, or the sandbox's clock jumping
    ahead) say the same thing: only the latest of each person's series for a project goes out."""
    latest: dict[tuple[int, int | None, ReminderKind], _Item] = {}
    stale: list[_Item] = []
    for item in sorted(items, key=lambda i: i.reminder.due_at, reverse=True):
        reminder = item.reminder
        if reminder.kind not in NUDGE_KINDS:
            continue
        series = (reminder.recipient_id, reminder.project_id, reminder.kind)
        if series in latest:
            stale.append(item)
        else:
            latest[series] = item
    return stale


def default_worker_id() -> str:
    """Unique per process start, readable in the table: host, pid and a random tail."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class ReminderSender:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        bot: Bot,
        clock: Clock,
        render: Render,
        worker_id: str,
        *,
        limiter: SendLimiter | None = None,
        settings: SenderSettings = SenderSettings(),
    ) -> None:
        self._sessions = session_factory
        self._bot = bot
        self._clock = clock
        self._render_message = render
        self.worker_id = worker_id
        self._limiter: SendLimiter = limiter if limiter is not None else LocalLimiter()
        self._settings = settings
        self._pending: list[_Item] = []
        self._in_flight: dict[asyncio.Task[None], _Item] = {}
        self._renew_every = settings.lease.total_seconds() / 3
        self._next_claim = self._next_renew = 0.0
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is not None:
            raise RuntimeError("the sender is already running")
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name=f"reminder-sender:{self.worker_id}")

    async def stop(self) -> None:
        """Finish the sends in flight and hand unsent claims back to the queue."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        await task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        self._next_claim = loop.time()
        self._next_renew = loop.time() + self._renew_every
        try:
            while not self._stopping:
                try:
                    await self._step(loop.time)
                except Exception:
                    # The database may be locked or gone for a moment; the loop must outlive it.
                    log.exception("the reminder sender stumbled; going on shortly")
                    await self._sleep(self._settings.poll_interval)
        finally:
            if self._in_flight:
                await asyncio.gather(*self._in_flight, return_exceptions=True)
            await self._release_pending()

    async def _step(self, time: Callable[[], float]) -> None:
        self._wake.clear()
        refill = self._wants_more()
        if refill and time() >= self._next_claim:
            self._next_claim = time() + await self._claim()
        if time() >= self._next_renew:
            await self._renew()
            self._next_renew = time() + self._renew_every
        await self._render_retries(time())
        ready = await self._next_ready(time())
        if not isinstance(ready, tuple):
            wake_at = min(self._next_renew, time() + ready)
            if refill:
                wake_at = min(wake_at, self._next_claim)
            await self._sleep(wake_at - time())
            return
        item, slot = ready
        self._pending.remove(item)
        task = asyncio.create_task(self._deliver(item, slot))
        self._in_flight[task] = item
        task.add_done_callback(self._landed)
        while len(self._in_flight) >= self._settings.max_in_flight:
            self._wake.clear()
            await self._wake.wait()

    def _wants_more(self) -> bool:
        settings = self._settings
        if len(self._pending) >= settings.max_pending:
            return False
        return len({item.user.id for item in self._pending}) < settings.batch_size

    async def _claim(self) -> float:
        """Claim and render a batch; the seconds until it is worth looking again."""
        settings = self._settings
        wanted = min(settings.batch_size, settings.max_pending - len(self._pending))
        async with self._sessions() as session, session.begin():
            rows = await queue.claim_due(
                session, self.worker_id, self._clock.now(), wanted, settings.lease
            )
            users = await queue.load_recipients(session, {r.recipient_id for r in rows})
            for row in rows:  # this week's digest is out of the plan: next week's comes in
                if row.kind is ReminderKind.WEEKLY_DIGEST:
                    await plan_digest(session, users[row.recipient_id], self._clock.now())
        items = [_Item(row, users[row.recipient_id], row.attempts) for row in rows]
        blocked = [item.reminder.id for item in items if item.user.blocked]
        if blocked:
            await self._cancel(blocked, queue.BLOCKED)
        wanted_items = [item for item in items if not item.user.blocked]
        stale = {item.reminder.id for item in superseded_nudges(wanted_items)}
        if stale:
            await self._cancel(list(stale), SUPERSEDED)
            wanted_items = [item for item in wanted_items if item.reminder.id not in stale]
        wanted_items = await self._hold_overdue(wanted_items)
        rendered = await asyncio.gather(*(self._render(item) for item in wanted_items))
        self._pending += [item for item, ok in zip(wanted_items, rendered, strict=True) if ok]
        # A full batch means more may be due right now.
        return 0.0 if len(rows) == wanted else settings.poll_interval

    async def _hold_overdue(self, items: list[_Item]) -> list[_Item]:
        """Reminders the bot noticed late (downtime, a clock jump) wait for their recipient's
        window instead of arriving at once at any hour; the rest go on."""
        now = self._clock.now()
        held: list[tuple[int, datetime]] = []
        ready: list[_Item] = []
        for item in items:
            until = catch_up_time(availability_of(item.user), item.reminder.due_at, now)
            if until > now:
                held.append((item.reminder.id, until))
            else:
                ready.append(item)
        if held:
            async with self._sessions() as session, session.begin():
                await queue.hold_claimed(session, self.worker_id, held)
        return ready

    async def _render(self, item: _Item) -> bool:
        """Word the reminder before its slot is taken, so the slot is spent sending."""
        try:
            item.message = await self._render_message(item.reminder, item.user)
        except Exception as error:
            log.exception("rendering reminder %s failed", item.reminder.id)
            return await self._failed(item, f"render: {error!r}")
        if item.message is None:
            await self._cancel([item.reminder.id], NOTHING_TO_SEND)
            return False
        item.rendered_at = asyncio.get_running_loop().time()
        return True

    async def _render_retries(self, now: float) -> None:
        for item in [i for i in self._pending if i.message is None and i.not_before <= now]:
            self._pending.remove(item)
            if await self._render(item):
                self._pending.append(item)

    async def _next_ready(self, now: float) -> tuple[_Item, Slot] | float:
        """A reminder that may go now (earliest due first) with its sending slot taken, or how
        long until one might. One question to the limiter, listing each chat once."""
        soonest = float("inf")
        ready: dict[int, _Item] = {}
        for item in self._pending:
            if item.message is None or item.not_before > now:  # to render again, or to retry
                soonest = min(soonest, item.not_before - now)
                continue
            ready.setdefault(item.user.telegram_id, item)
        if ready:
            slot = await self._limiter.reserve(list(ready))
            if isinstance(slot, Slot):
                return ready[slot.chat_id], slot
            soonest = min(soonest, slot)
        return max(soonest, 0.0)

    def _landed(self, task: asyncio.Task[None]) -> None:
        del self._in_flight[task]
        self._wake.set()

    async def _deliver(self, item: _Item, slot: Slot) -> None:
        try:
            if not await self._still_wanted(item):
                await self._limiter.done(slot)
                return
            await self._send(item, slot)
        except Exception:
            # The outcome could not be recorded; the row is still claimed, so try it again.
            log.exception("handling reminder %s failed", item.reminder.id)
            item.not_before = asyncio.get_running_loop().time() + self._settings.poll_interval
            self._pending.append(item)

    async def _still_wanted(self, item: _Item) -> bool:
        """Word a reminder that waited long again; False when it is no longer to be sent now
        (nothing left to say, or wording failed and it waits for a retry)."""
        if asyncio.get_running_loop().time() - item.rendered_at <= self._settings.fresh_for:
            return True
        item.message = None
        if not await self._render(item):
            return False
        if item.message is None:  # wording failed; `_render_retries` words it again later
            self._pending.append(item)
            return False
        return True

    async def _send(self, item: _Item, slot: Slot) -> None:
        assert item.message is not None
        try:
            try:
                sent = await self._bot.send_message(
                    chat_id=item.user.telegram_id,
                    text=item.message.text,
                    reply_markup=item.message.reply_markup,
                )
            finally:
                await self._limiter.done(slot)
        except TelegramRetryAfter as flood:
            log.warning("flood control: everyone waits %s s", flood.retry_after)
            await self._limiter.pause(flood.retry_after)
            self._pending.insert(0, item)
        except TelegramForbiddenError:
            await self._block(item.user.id)
        except Exception as error:
            log.warning("sending reminder %s failed: %r", item.reminder.id, error)
            if await self._failed(item, repr(error)):
                self._pending.append(item)
        else:
            live = item.reminder.kind in SERIES_KINDS and item.message.reply_markup is not None
            await self._mark_sent(item, sent.message_id if live else None)
            if live:
                await self._retire_older(item)

    async def _retire_older(self, item: _Item) -> None:
        """One live nudge per series: the buttons of the earlier ones go, so a week of unanswered
        check-in reminders leaves one message to act on, not eight. Best effort: a message that
        cannot be edited (deleted, too old) just keeps its buttons, which still act on the
        project's current state."""
        try:
            async with self._sessions() as session, session.begin():
                older = await queue.live_messages_before(session, item.reminder)
            for _, message_id in older:
                with contextlib.suppress(TelegramBadRequest, TelegramForbiddenError):
                    await self._bot.edit_message_reply_markup(
                        chat_id=item.user.telegram_id, message_id=message_id, reply_markup=None
                    )
            async with self._sessions() as session, session.begin():
                await queue.forget_messages(session, [row_id for row_id, _ in older])
        except Exception:
            log.exception("retiring older nudges of reminder %s failed", item.reminder.id)

    async def _mark_sent(self, item: _Item, message_id: int | None = None) -> None:
        """Record the delivery, retrying while the database is unavailable: until it is marked
        the row is held (and renewed) by this sender, and a row that lapsed would go out again."""
        for attempt in range(_MARK_ATTEMPTS):
            try:
                async with self._sessions() as session, session.begin():
                    first = await queue.mark_sent(
                        session, item.reminder.id, self._clock.now(), message_id
                    )
            except Exception:
                log.exception("reminder %s was sent but could not be marked", item.reminder.id)
                await asyncio.sleep(self._settings.poll_interval * 2**attempt)
                continue
            if not first:
                log.warning("reminder %s was delivered a second time", item.reminder.id)
            return

    async def _failed(self, item: _Item, error: str) -> bool:
        """Count a failed attempt; True when the reminder should be tried again."""
        settings = self._settings
        item.attempts += 1
        give_up = item.attempts >= settings.max_attempts
        async with self._sessions() as session, session.begin():
            await queue.record_failure(
                session, self.worker_id, item.reminder.id, error, self._clock.now(), give_up=give_up
            )
        if give_up:
            return False
        delay = min(settings.backoff * 2 ** (item.attempts - 1), settings.max_backoff)
        item.not_before = asyncio.get_running_loop().time() + delay
        return True

    async def _block(self, user_id: int) -> None:
        async with self._sessions() as session, session.begin():
            cancelled = await queue.block_recipient(session, user_id)
        self._pending = [item for item in self._pending if item.user.id != user_id]
        log.info("user %s blocked the bot; %s reminders cancelled", user_id, cancelled)

    async def _cancel(self, ids: list[int], reason: str) -> None:
        async with self._sessions() as session, session.begin():
            await queue.cancel_claimed(session, self.worker_id, ids, reason)

    async def _renew(self) -> None:
        """Renew only the rows this sender holds: any other claim of ours was orphaned by an
        error and must lapse, so it is sent after the lease rather than never."""
        held = [i.reminder.id for i in self._pending] + [
            i.reminder.id for i in self._in_flight.values()
        ]
        if held:
            async with self._sessions() as session, session.begin():
                await queue.renew_claims(session, self.worker_id, held, self._clock.now())

    async def _release_pending(self) -> None:
        ids = [item.reminder.id for item in self._pending]
        self._pending.clear()
        if ids:
            async with self._sessions() as session, session.begin():
                await queue.release_claims(session, self.worker_id, ids)

    async def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
