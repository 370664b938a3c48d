"""Two people over HTTP sign the brief, then sign it again after the specialist edits a goal.

The questionnaire answers are written into the bot's database directly (walking two full
questionnaires over HTTP is covered elsewhere and would only slow this down); everything else —
the project, the invite, goals, sending, approving — goes through the bot as people would.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, select

from bot.db.models import Answer, Project, User
from tests.e2e.conftest import WAIT, BotProcess
from tests.fakebotapi.client import ChatMessage, FakeBotAPIClient, Injected, SimUser
from tests.unit.briefs import sample

ANNA = SimUser(id=701, first_name="Анна", language_code="ru")
BORIS = SimUser(id=702, first_name="Борис", language_code="ru")


@dataclass
class People:
    """Sends for both people, each update only once the previous one is fully handled (a person
    reading before tapping); otherwise a brand-new user's first two updates race each other."""

    tg: FakeBotAPIClient
    bot: BotProcess
    updates: int = 0

    async def say(self, user: SimUser, text: str) -> Injected:
        await self._settle()
        return await self.tg.send_text(user, text)

    async def press(self, user: SimUser, label: str) -> Injected:
        await self._settle()
        return await self.tg.press_button(user, text=label)

    async def _settle(self) -> None:
        await self.bot.wait_handled(self.updates, within=WAIT)
        self.updates += 1


def has(text: str) -> Callable[[ChatMessage], bool]:
    return lambda message: text in (message.text or "")


def seed_answers(database: Path) -> None:
    engine = create_engine(f"sqlite:///{database}", connect_args={"timeout": WAIT})
    with engine.connect() as connection:
        project_id = connection.scalar(select(Project.id))
        anna_id = connection.scalar(select(User.id).where(User.telegram_id == ANNA.id))
    now = datetime.now(UTC)
    rows = [
        {
            "project_id": project_id,
            "key": key,
            "value": value,
            "answered_by": anna_id,
            "answered_at": now,
        }
        for key, value in sample.answers(1).items()
    ]
    with engine.begin() as connection:
        connection.execute(insert(Answer), rows)
    engine.dispose()


async def add_goal(people: People, text: str, listed: str) -> None:
    """Through the goal dialog; `listed` is how the saved goal reads in the list."""
    tg = people.tg
    sent = await people.say(ANNA, "/goals")
    await tg.wait_for_message(ANNA.id, has("Цели проекта"), since=sent.seq, within=WAIT)
    pressed = await people.press(ANNA, "➕ Новая цель")
    await tg.wait_for_message(ANNA.id, has("своими словами"), since=pressed.seq, within=WAIT)
    sent = await people.say(ANNA, text)
    await tg.wait_for_message(ANNA.id, has("Сколько сейчас"), since=sent.seq, within=WAIT)
    sent = await people.say(ANNA, "0")
    await tg.wait_for_message(ANNA.id, has("Реалистично"), since=sent.seq, within=WAIT)
    pressed = await people.press(ANNA, "Сохранить как есть")
    await tg.wait_for_message(ANNA.id, has(listed), since=pressed.seq, within=WAIT)


async def send_for_signoff(people: People) -> int:
    tg = people.tg
    sent = await people.say(ANNA, "/brief")
    await tg.wait_for_message(ANNA.id, has("Бриф «Зерно»"), since=sent.seq, within=WAIT)
    pressed = await people.press(ANNA, "📤 Отправить на согласование")
    return pressed.seq


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
    sent = await people.say(ANNA, "/projects")
    await tg.wait_for_message(ANNA.id, has("Ваши проекты"), since=sent.seq, within=WAIT)
    pressed = await people.press(ANNA, "Зерно · вы специалист")
    await tg.wait_for_message(ANNA.id, has("Ваша роль"), since=pressed.seq, within=WAIT)
    pressed = await people.press(ANNA, "🔗 Ссылка для заказчика")
    invite = await tg.wait_for_message(ANNA.id, has("Перешлите"), since=pressed.seq, within=WAIT)
    link = re.search(r"\?start=([A-Za-z0-9_-]+)", invite.text or "")
    assert link
    sent = await people.say(BORIS, f"/start {link.group(1)}")
    await tg.wait_for_message(ANNA.id, has("Борис присоединился"), since=sent.seq, within=WAIT)
    # In a thread: the fake Bot API serves from this event loop, and the bot holds its write lock
    # while it waits for the API, so blocking the loop here would deadlock both.
    await asyncio.to_thread(seed_answers, tmp_path / "bot.db")
    await add_goal(people, "Продать 40 курток в ВК до 31 марта 2027", "0 → 40 шт.")

    # Version 1: sent to both, approved by both, both told it is signed.
    since = await send_for_signoff(people)
    await tg.wait_for_message(BORIS.id, has("Анна отправил(а) бриф"), since=since, within=WAIT)
    brief = await tg.wait_for_message(BORIS.id, has("Версия 1"), since=since, within=WAIT)
    assert "✅ Утвердить" in brief.buttons[0]
    pressed = await people.press(BORIS, "✅ Утвердить")
    await tg.wait_for_message(
        ANNA.id, has("Борис утвердил(а) версию 1"), since=pressed.seq, within=WAIT
    )
    pressed = await people.press(ANNA, "✅ Утвердить")
    for person in (ANNA, BORIS):
        await tg.wait_for_message(
            person.id, has("подписан обеими сторонами: версия 1"), since=pressed.seq, within=WAIT
        )

    # The specialist edits the goals: version 2 with what changed reaches the client.
    await add_goal(people, "Продать 60 курток в ВК до 31 марта 2027", "0 → 60 шт.")
    since = await send_for_signoff(people)
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
