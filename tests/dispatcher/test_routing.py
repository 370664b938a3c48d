"""Answers and a dialog's buttons go past the command routers with one check; commands still come
before any dialog."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Router

from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project

COMMAND_ROUTERS = {"start", "common", "projects", "goals", "briefs", "reminders", "forget"}


@pytest.fixture
def visited(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    propagate = Router.propagate_event

    async def recording(self: Router, update_type: str, event: Any, **kwargs: Any) -> Any:
        if update_type in ("message", "callback_query"):
            names.append(self.name)
        return await propagate(self, update_type, event, **kwargs)

    monkeypatch.setattr(Router, "propagate_event", recording)
    return names


async def test_an_answer_and_a_press_reach_the_questionnaire_past_the_command_routers(
    anna: ChatUser, visited: list[str]
) -> None:
    await new_project(anna)
    assert "Шаг 1" in (anna.last.text or "")
    visited.clear()
    await anna.click("ВКонтакте")  # a dialog's button
    await anna.click("^Готово$")
    await anna.send("https://vk.com/zerno")  # a typed answer
    assert "Шаг 3" in (anna.last.text or "")
    routers = [name for name in visited if name != anna.dispatcher.name]  # the root, each time
    # Each of the three: the branch that rejects it with one check, and the questionnaire.
    assert routers == ["commands", "Questionnaire"] * 3
    assert not COMMAND_ROUTERS & set(visited)


async def test_a_command_in_the_middle_of_the_questionnaire_is_a_command(
    anna: ChatUser, visited: list[str]
) -> None:
    await new_project(anna)
    visited.clear()
    await anna.send("/help")
    assert "/new" in (anna.last.text or "")  # the help, not an answer to the question
    assert "common" in visited
    assert not [name for name in visited if name.startswith("Questionnaire")]
