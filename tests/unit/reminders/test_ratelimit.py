from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from bot.reminders.ratelimit import RateLimiter


@dataclass
class FakeTime:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def drain(
    limiter: RateLimiter, time: FakeTime, chats: list[int], round_trip: float = 0.0
) -> list[float]:
    """Send to each chat in turn as soon as allowed, one at a time; the start times."""
    sent = []
    for chat in chats:
        time.now += limiter.delay(chat)
        ticket = limiter.acquire(chat)
        sent.append(time.now)
        time.now += round_trip
        limiter.done(ticket)
    return sent


def most_in_any_window(stamps: list[float], window: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + window) for start in stamps)


def test_never_more_than_the_overall_limit_in_any_window_and_close_to_it_sustained() -> None:
    time = FakeTime()
    limiter = RateLimiter(overall=30, window=1.0, margin=0.01, time=time)
    sent = drain(limiter, time, list(range(600)), round_trip=0.005)
    assert most_in_any_window(sent, 1.0) == 30
    rate = (len(sent) - 1) / (sent[-1] - sent[0])
    assert 29.4 < rate <= 30.0


def test_the_window_counts_from_the_answer_so_a_slow_request_cannot_bunch_arrivals() -> None:
    """A request may reach Telegram any time before its answer: the one that comes `limit`
    places later starts a full window after that answer, not after the start."""
    time = FakeTime()
    limiter = RateLimiter(overall=2, window=1.0, margin=0.0, time=time)
    slow = limiter.acquire(1)
    time.now += 0.5
    limiter.done(limiter.acquire(2))
    time.now += 0.6
    assert limiter.delay(3) == math.inf  # the slow one may still be on its way
    time.now += 0.4
    limiter.done(slow)
    assert limiter.delay(3) == pytest.approx(1.0)
    assert limiter.delay(1) == pytest.approx(1.0)  # its chat waits for the answer too


def test_one_message_per_second_per_chat() -> None:
    time = FakeTime()
    limiter = RateLimiter(time=time, margin=0.0)
    sent = drain(limiter, time, [7, 7, 7], round_trip=0.1)
    assert [round(t - sent[0], 6) for t in sent] == [0.0, 1.1, 2.2]


def test_a_waiting_chat_does_not_hold_up_another() -> None:
    time = FakeTime()
    limiter = RateLimiter(time=time)
    limiter.done(limiter.acquire(1))
    time.now += 0.1
    assert limiter.delay(1) == pytest.approx(0.91)
    assert limiter.delay(2) == 0.0


def test_messages_are_spread_rather_than_sent_in_a_burst() -> None:
    time = FakeTime()
    limiter = RateLimiter(overall=30, window=1.0, margin=0.0, time=time)
    limiter.acquire(1)
    assert limiter.delay(2) == pytest.approx(0.025)


def test_a_late_wake_up_is_caught_up_on() -> None:
    """Each send 5 ms late: a fixed interval would lose 15 % of the rate, the log loses none."""
    time = FakeTime()
    limiter = RateLimiter(overall=30, window=1.0, margin=0.0, time=time)
    sent = []
    for chat in range(300):
        time.now += limiter.delay(chat) + 0.005
        limiter.done(limiter.acquire(chat))
        sent.append(time.now)
    assert (len(sent) - 1) / (sent[-1] - sent[0]) > 29.5
    assert most_in_any_window(sent, 1.0) <= 30


def test_pause_stops_every_chat_and_a_shorter_pause_does_not_cut_it() -> None:
    time = FakeTime()
    limiter = RateLimiter(time=time)
    limiter.pause(5)
    limiter.pause(1)
    assert limiter.delay(1) == pytest.approx(5.0)
    assert limiter.delay(2) == pytest.approx(5.0)
    time.now += 5
    assert limiter.delay(1) == 0.0


def test_acquire_before_the_delay_has_passed_is_a_bug() -> None:
    time = FakeTime()
    limiter = RateLimiter(time=time)
    limiter.done(limiter.acquire(1))
    with pytest.raises(RuntimeError):
        limiter.acquire(1)


def test_idle_chats_are_forgotten() -> None:
    time = FakeTime()
    limiter = RateLimiter(time=time)
    drain(limiter, time, list(range(5000)))
    assert limiter.tracked_chats < 1100


@pytest.mark.parametrize(
    "kwargs", [{"overall": 0}, {"per_chat": 0}, {"window": 0.0}, {"margin": -0.1}]
)
def test_nonsense_limits_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RateLimiter(**kwargs)  # type: ignore[arg-type]
