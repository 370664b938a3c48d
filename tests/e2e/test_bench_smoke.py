"""bench/questionnaire.py still works: a few users reach the summary and every update is timed.

The benchmark is not run in CI at full size, so without this a renamed button or a new question
would leave it broken until someone needs the figures.
"""

from __future__ import annotations

import asyncio
import itertools
import math
from collections.abc import Awaitable

from bench.questionnaire import (
    Action,
    RunResult,
    Tracker,
    fill_questionnaire,
    next_action,
    run_echo,
    run_questionnaire,
    vs_floor,
)
from bot.sandbox.botapi.state import BotState, StoredMessage
from testkit import SimUser


async def test_three_users_reach_the_summary_and_every_update_gets_a_reply() -> None:
    """Both bots at once, so their start-ups (seconds of imports each) overlap."""
    bot, echo = await asyncio.gather(
        run_questionnaire(users=3, within=60), run_echo(users=3, messages=5, within=60)
    )
    assert (bot.finished, bot.failed) == (3, 0)
    assert bot.updates >= 3 * 30  # onboarding, /new and the whole specialist questionnaire
    assert len(bot.latencies_ms) == bot.updates  # no update went unanswered
    assert 0 < bot.percentile(0.5) <= bot.percentile(0.99)
    assert bot.updates_per_second > 0
    assert (echo.finished, echo.updates, len(echo.latencies_ms)) == (3, 15, 15)
    assert not math.isnan(echo.percentile(0.99))


def _screen(text: str, *labels: str) -> StoredMessage:
    keyboard = [[{"text": label, "callback_data": label}] for label in labels]
    data = {"message_id": 1, "text": text, "reply_markup": {"inline_keyboard": keyboard}}
    return StoredMessage(chat_id=1, outgoing=True, data=data)


def _do(text: str, *labels: str) -> Action:
    action = next_action(_screen(text, *labels))
    assert action is not None
    return action


def test_script_picks_two_channels_then_confirms() -> None:
    ask = "Где будем работать? Отметьте все площадки."
    assert _do(ask, "ВКонтакте", "Telegram", "Готово").button == "ВКонтакте"
    assert _do(ask, "✅ ВКонтакте", "Telegram", "Готово").button == "Telegram"
    assert _do(ask, "✅ ВКонтакте", "✅ Telegram", "Готово").button == "Готово"


def test_script_stops_at_the_final_summary_and_types_the_example() -> None:
    assert next_action(_screen("Проверьте, всё ли верно", "✅ Всё верно")) is None
    assert _do("Сколько подписчиков?\nНапример: 1 200", "← Назад").text == "1 200"


class ScriptedBot:
    """Answers each update with the next of ``replies`` (text, buttons) in the user's chat."""

    def __init__(self, state: BotState, chat_id: int, replies: list[tuple[str, list[str]]]):
        self.state, self.chat_id, self.replies = state, chat_id, iter(replies)

    def handled(self, update_id: int) -> Awaitable[None]:
        text, labels = next(self.replies)
        keyboard = {"inline_keyboard": [[{"text": t, "callback_data": t} for t in labels]]}
        chat = self.state.chat(self.chat_id)
        self.state.add_message(chat, self.state.user, {"text": text, "reply_markup": keyboard})
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


async def test_after_the_bots_apology_the_same_action_is_tried_again_and_counted() -> None:
    state, user, tracker = BotState("1:x", itertools.count(1)), SimUser(id=7), Tracker()
    bot = ScriptedBot(
        state,
        user.id,
        [
            ("Привет!", ["Я SMM-специалист"]),
            ("Ой, что-то пошло не так на моей стороне", []),
            ("Проверьте, всё ли верно", ["✅ Всё верно"]),
        ],
    )
    await fill_questionnaire(state, bot, tracker, user)
    assert (tracker.failed, tracker.finished, len(tracker.updates[user.id])) == (1, {7}, 3)
    sent = [
        u["message"]["text"] if "message" in u else u["callback_query"]["data"]
        for u in state.pending
    ]
    assert sent == ["/start", "Я SMM-специалист", "Я SMM-специалист"]


def _run(cpu_ms_per_update: float) -> RunResult:
    return RunResult("x", 1, 1, 1000, 10.0, [1.0], 0, cpu_ms_per_update)


def test_vs_floor_is_the_median_round_and_says_each() -> None:
    """Three rounds at 50 %, 40 % and 60 % of the floor: the median is reported, with its own
    CPU figures, and the rounds in the order they ran."""
    rounds = [(_run(3.0), _run(1.5)), (_run(3.0), _run(1.2)), (_run(2.5), _run(1.5))]
    said = vs_floor(rounds)
    assert said.startswith("vs floor: 50%\n")
    assert "3.0 ms vs the floor's 1.5 ms = 2.0×" in said
    assert "rounds: 50%, 40%, 60%" in said
    assert "rounds" not in vs_floor(rounds[:1])
