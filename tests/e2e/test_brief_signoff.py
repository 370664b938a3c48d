"""Two people over HTTP sign the brief, then sign it again after the specialist edits a goal.

The questionnaire answers are written into the bot's database directly (walking two full
questionnaires over HTTP is covered elsewhere and would only slow this down); everything else —
the project, the invite, goals, sending, approving — goes through the bot as people would.
"""

from __future__ import annotations

from pathlib import Path

from testkit.client import FakeBotAPIClient
from testkit.process import WAIT, BotProcess
from tests.e2e.flow import (
    ANNA,
    BORIS,
    People,
    add_goal,
    has,
    invite_client,
    seed_answers,
    send_for_signoff,
    sign_first_version,
)


async def test_signed_by_both_then_signed_again_after_a_goal_edit(
    bot_process: BotProcess, tg: FakeBotAPIClient, tmp_path: Path
) -> None:
    bot_process.start()
    await bot_process.wait_until_running()
    people = People(tg, bot_process)
    sent = await people.say(ANNA, "/new")
    await tg.wait_for_message(ANNA.id, has("Новый проект"), since=sent.seq, within=WAIT)
    sent = await people.say(ANNA, "Зерно")
    await tg.wait_for_message(ANNA.id, has("Чем занимается"), since=sent.seq, within=WAIT)
    sent = await people.say(ANNA, "кофе навынос")
    await tg.wait_for_message(ANNA.id, has("Шаг 1 из"), since=sent.seq, within=WAIT)
    await invite_client(people, "Зерно")
    await seed_answers(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await add_goal(people, "Продать 40 курток в ВК до 31 марта 2027", "40 шт.")
    await sign_first_version(people, "Зерно")

    # The specialist edits the goals: version 2 with what changed reaches the client.
    await add_goal(people, "Продать 60 курток в ВК до 31 марта 2027", "60 шт.")
    since = await send_for_signoff(people, "Зерно")
    await tg.wait_for_message(BORIS.id, has("обновлён: версия 2"), since=since, within=WAIT)
    diff = await tg.wait_for_message(BORIS.id, has("Что изменилось"), since=since, within=WAIT)
    assert "Продать 60 курток" in (diff.text or "")
    pressed = await people.press(ANNA, "✅ Утвердить")
    await tg.wait_for_message(ANNA.id, has("Ждём решения: Борис"), since=pressed.seq, within=WAIT)
    assert not any(
        "версия 2, код" in (message.text or "") for message in await tg.received(BORIS.id)
    )
    pressed = await people.press(BORIS, "✅ Утвердить")
    for person in (ANNA, BORIS):
        await tg.wait_for_message(
            person.id, has("подписан обеими сторонами: версия 2"), since=pressed.seq, within=WAIT
        )
