"""bench/questionnaire.py still works: a few users reach the summary and every update is timed.

The benchmark is not run in CI at full size, so without this a renamed button or a new question
would leave it broken until someone needs the figures.
"""

from __future__ import annotations

import math

from bench.questionnaire import Action, next_action, run_echo, run_questionnaire
from tests.fakebotapi.state import StoredMessage


async def test_three_users_reach_the_summary_and_every_update_gets_a_reply() -> None:
    result = await run_questionnaire(users=3, within=60)
    assert (result.finished, result.failed) == (3, 0)
    assert result.updates >= 3 * 30  # onboarding, /new and the whole specialist questionnaire
    assert len(result.latencies_ms) == result.updates  # no update went unanswered
    assert 0 < result.percentile(0.5) <= result.percentile(0.99)
    assert result.updates_per_second > 0


async def test_echo_users_get_every_text_back() -> None:
    result = await run_echo(users=3, messages=5, within=30)
    assert (result.finished, result.updates, len(result.latencies_ms)) == (3, 15, 15)
    assert not math.isnan(result.percentile(0.99))


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
