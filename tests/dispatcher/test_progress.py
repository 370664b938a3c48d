"""One question count: the step counter, the project card and what channels add agree."""

from __future__ import annotations

import re

from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project

STEP = re.compile(r"Шаг (\d+) из (\d+)")


def _step(person: ChatUser) -> tuple[int, int]:
    match = STEP.search(person.last.text or "")
    assert match, person.last.text
    return int(match.group(1)), int(match.group(2))


async def test_choosing_channels_says_how_many_questions_it_added(anna: ChatUser) -> None:
    await new_project(anna)
    assert _step(anna) == (1, 13)
    await anna.click("ВКонтакте")
    await anna.click("Telegram")
    await anna.click("^Готово$")
    number, total = _step(anna)
    added = total - 13
    assert number == 2 and added > 0
    assert f"добавилось {added} вопросов по выбранным площадкам" in (anna.last.text or "")
    await anna.click("Пропустить")  # the VK link is optional
    assert _step(anna) == (3, total)
    assert "добавилось" not in (anna.last.text or "")  # said once

    await anna.send("/projects")
    await anna.click("Зерно")
    assert f"Вопросы специалиста: осталось {total - 2} вопросов" in (anna.last.text or "")


async def test_what_the_profile_answers_is_not_counted_as_a_question(anna: ChatUser) -> None:
    await anna.send("/start")
    await anna.click("специалист")
    await anna.click("Москва")
    await anna.click("Дальше")
    await anna.send("10-19")
    await new_project(anna)
    assert _step(anna) == (1, 10)  # zone, days and hours came from the profile: 13 − 3
    await anna.send("/projects")
    await anna.click("Зерно")
    assert "Вопросы специалиста: осталось 10 вопросов" in (anna.last.text or "")


async def test_coming_back_keeps_the_count(anna: ChatUser) -> None:
    """Leaving and opening the questionnaire again goes on from «3 of 17», not a new «1 of 15»."""
    await new_project(anna)
    await anna.click("ВКонтакте")
    await anna.click("^Готово$")
    await anna.click("Пропустить")
    assert _step(anna) == (3, 17)

    await anna.send("/cancel")
    await anna.send("/projects")
    await anna.click("Зерно")
    assert "Вопросы специалиста: осталось 15 вопросов" in (anna.last.text or "")
    await anna.click("Вопросы и ответы")
    assert _step(anna) == (3, 17)
    assert "добавилось" not in (anna.last.text or "")
