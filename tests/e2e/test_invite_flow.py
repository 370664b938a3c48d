"""Two people over HTTP: the specialist invites, the client joins through the link and answers."""

from __future__ import annotations

import re

from testkit.client import FakeBotAPIClient, SimUser
from testkit.process import WAIT, BotProcess

ANNA = SimUser(id=601, first_name="Анна", language_code="ru")
BORIS = SimUser(id=602, first_name="Борис", language_code="ru")


def has(text: str):
    return lambda message: text in (message.text or "")


async def test_specialist_invites_client_who_answers(
    bot_process: BotProcess, tg: FakeBotAPIClient
) -> None:
    bot_process.start()
    await bot_process.wait_until_running()
    sent = await tg.send_text(ANNA, "/new")
    await tg.wait_for_message(ANNA.id, has("Новый проект"), since=sent.seq, within=WAIT)
    sent = await tg.send_text(ANNA, "Кофейня <Зерно> & Co")
    await tg.wait_for_message(ANNA.id, has("Чем занимается"), since=sent.seq, within=WAIT)
    sent = await tg.send_text(ANNA, "кофе навынос")
    step = await tg.wait_for_message(ANNA.id, has("Шаг 1 из"), since=sent.seq, within=WAIT)
    assert "Кофейня &lt;Зерно&gt; &amp; Co" in (step.source_text or "")  # escaped on the wire

    sent = await tg.send_text(ANNA, "/projects")
    await tg.wait_for_message(ANNA.id, has("Ваши проекты"), since=sent.seq, within=WAIT)
    pressed = await tg.press_button(ANNA, text="Кофейня <Зерно> & Co · вы специалист")
    await tg.wait_for_message(ANNA.id, has("Ваша роль"), since=pressed.seq, within=WAIT)
    pressed = await tg.press_button(ANNA, text="🔗 Ссылка для заказчика")
    invite = await tg.wait_for_message(ANNA.id, has("Перешлите"), since=pressed.seq, within=WAIT)
    link = re.search(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)", invite.text or "")
    assert link and link.group(1) == "smartbrief_test_bot"

    sent = await tg.send_text(BORIS, f"/start {link.group(2)}")
    welcome = await tg.wait_for_message(
        BORIS.id, has("приглашает вас"), since=sent.seq, within=WAIT
    )
    assert "Анна" in (welcome.text or "")
    await tg.wait_for_message(
        ANNA.id, has("теперь есть заказчик: Борис"), since=sent.seq, within=WAIT
    )
    question = await tg.wait_for_message(BORIS.id, has("Шаг 1 из"), since=sent.seq, within=WAIT)
    first_option = question.buttons[0][0]
    pressed = await tg.press_button(BORIS, text=first_option)
    await tg.wait_for_message(BORIS.id, has("Шаг 2 из"), since=pressed.seq, within=WAIT)
    sent = await tg.send_text(BORIS, "Продать 300 пуховиков до марта")
    summary = await tg.wait_for_message(BORIS.id, has("Проверьте"), since=sent.seq, within=WAIT)
    assert "Продать 300 пуховиков до марта" in (summary.text or "")  # the section's summary
    pressed = await tg.press_button(BORIS, text="Дальше →")
    await tg.wait_for_message(BORIS.id, has("Шаг 3 из"), since=pressed.seq, within=WAIT)

    # Someone else trying the same link is told it is taken.
    eve = SimUser(id=603, first_name="Ева", language_code="ru")
    sent = await tg.send_text(eve, f"/start {link.group(2)}")
    await tg.wait_for_message(eve.id, has("уже вошёл другой человек"), since=sent.seq, within=WAIT)
