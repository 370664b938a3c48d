"""The questionnaire's hints as the person meets them: each channel's own account example, and
«Готово» with nothing ticked asks for a tick, not for typing."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery

from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project


def _alerts(person: ChatUser) -> list[str]:
    return [call.text or "" for call in person.session.sent(AnswerCallbackQuery) if call.text]


async def test_each_channel_shows_its_own_account_example(anna: ChatUser) -> None:
    await new_project(anna)
    await anna.click("^Telegram$")
    await anna.click("^Instagram$")
    await anna.click("^Готово$")
    telegram = anna.last.text or ""
    assert "Telegram: пришлите ссылку" in telegram
    assert "Например: t.me/cozy_knit" in telegram and "vk.com" not in telegram

    await anna.click("Пропустить")  # the link is optional
    await anna.send("1200")  # Telegram's audience
    instagram = anna.last.text or ""
    assert "Instagram: пришлите ссылку" in instagram
    assert "Например: instagram.com/cozy_knit" in instagram and "vk.com" not in instagram


async def test_done_with_nothing_ticked_asks_for_a_tick(anna: ChatUser) -> None:
    await new_project(anna)
    channels = anna.last.text

    await anna.click("^Готово$")

    alert = _alerts(anna)[-1]
    assert alert == "Ничего не отмечено. Отметьте хотя бы один вариант и нажмите «Готово»."
    assert "Напишите" not in alert
    assert anna.last.text == channels  # the same question, nothing stored
