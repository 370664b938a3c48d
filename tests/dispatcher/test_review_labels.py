"""Review screens name questions by their short catalogue labels (issue #16, item 2): no button
is a whole question cut off mid-word."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.roles import Role
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.test_questionnaire import new_project
from tests.dispatcher.walk import answer, current_step


async def test_every_review_button_is_a_short_label(
    anna: ChatUser, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await new_project(anna)
    seen: list[str] = []
    for _ in range(60):
        step = await current_step(anna, Role.SPECIALIST, session_factory)
        if step is not None:
            await answer(anna, step)
            continue
        seen += [button for button in anna.buttons() if button.startswith("✏️")]
        if "Всё верно" in " ".join(anna.buttons()):
            break
        await anna.click("^Дальше →$")
    assert "✏️ Частота отчётов" in seen and "✏️ ВКонтакте: посты в неделю" in seen
    assert all(len(button) <= len("✏️ ") + 30 and "…" not in button for button in seen), seen
    assert not any(button.startswith("✏️ Где будем работать") for button in seen)
