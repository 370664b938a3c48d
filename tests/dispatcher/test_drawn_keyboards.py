"""A press is checked against the keyboard as it was drawn when shown, not drawn a second time."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Dispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.roles import Role
from dialogs.drawn_keyboards import KEY, DrawnKeyboards
from dialogs.widgets import Screen
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project
from tests.dispatcher.walk import walk


@pytest.fixture
def drawn_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The data of each press whose check drew the keyboard again."""
    pressed: list[str] = []
    offers = Screen.offers

    async def recording(self: Screen, data: str, *args: Any) -> bool:
        pressed.append(data)
        return await offers(self, data, *args)

    monkeypatch.setattr(Screen, "offers", recording)
    return pressed


async def test_the_questionnaires_presses_are_checked_without_drawing_again(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession], drawn_again: list[str]
) -> None:
    await new_project(anna)
    asked = await walk(anna, Role.SPECIALIST, session_factory)
    assert len(asked) > 10
    assert drawn_again == []


async def test_after_a_restart_the_keyboard_is_drawn_again_to_check_a_press(
    anna: ChatUser, dispatcher: Dispatcher, drawn_again: list[str]
) -> None:
    await new_project(anna)
    dispatcher[KEY] = DrawnKeyboards()  # what the process before the restart drew is gone
    await anna.click("ВКонтакте")
    assert len(drawn_again) == 1  # drawn again, and the press was one of its buttons:
    assert "✅ ВКонтакте" in anna.buttons()
    await anna.click("Telegram")  # the redrawn screen is remembered again
    assert len(drawn_again) == 1 and "✅ Telegram" in anna.buttons()
