"""A tireless questionnaire respondent for dispatcher tests.

It reads the question from the bot's last message, looks the step up in the same `Flow` the bot uses
and answers with the catalogue's own example (or the first option), so the walk follows whatever the
catalogue says without the test repeating it.
"""

from __future__ import annotations

import html
import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer
from bot.questionnaire.catalogue import AnswerType
from bot.questionnaire.flow import Flow, Step
from bot.roles import Role
from tests.dispatcher.harness import ChatUser

STEP = re.compile(r"Шаг (\d+) из (\d+)")


async def stored_answers(factory: async_sessionmaker[AsyncSession]) -> dict[str, object]:
    async with factory() as session:
        return {a.key: a.value for a in await session.scalars(select(Answer))}


async def current_step(
    person: ChatUser, role: Role, factory: async_sessionmaker[AsyncSession]
) -> Step | None:
    match = STEP.search(person.last.text or "")
    if not match:
        return None
    flow = Flow(role, await stored_answers(factory))
    assert int(match.group(2)) == len(flow.steps)
    # The number counts answered steps, not positions: the step is the one whose wording is shown.
    text = person.last.text or ""
    shown = [step for step in flow.steps if f"<b>{html.escape(step.text('ru'))}</b>" in text]
    assert len(shown) == 1, (text, [step.key for step in shown])
    return shown[0]


async def answer(person: ChatUser, step: Step) -> None:
    question = step.question
    if question.type in (AnswerType.SINGLE_CHOICE, AnswerType.MULTI_CHOICE):
        await person.click(re.escape(question.options[0].label.get("ru")))
        if question.type is AnswerType.MULTI_CHOICE:
            await person.click("^Готово$")
    elif question.type is AnswerType.DAYS:
        await person.click("^пн$")
        await person.click("^Готово$")
    else:
        await person.send(step.example("ru"))


async def walk(
    person: ChatUser, role: Role, factory: async_sessionmaker[AsyncSession], *, limit: int = 80
) -> list[str]:
    """Answer until the final summary; returns the step keys in the order they were asked."""
    asked: list[str] = []
    for _ in range(limit):
        text = person.last.text or ""
        if "✅ Всё верно" in person.buttons():
            return asked
        step = await current_step(person, role, factory)
        if step is None:  # a section's summary
            assert "Проверьте" in text, text
            await person.click("^Дальше →$")
            continue
        asked.append(step.key)
        await answer(person, step)
    raise AssertionError(f"no final summary after {limit} actions; last: {person.last.text}")
