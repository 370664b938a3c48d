"""Steps of the full end-to-end flow, shared by the single-process test (tests/e2e) and the test with
two webhook replicas (tests/scale): invite the client, add goals, send the brief, sign it.

The steps talk to whatever serves the bot only through the fake Bot API and wait, between two
updates, until everything sent so far is handled — by one process or by several.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import insert, select

from bot.db.engine import create_engine
from bot.db.models import Answer, Project, User
from testkit import brief_sample as sample
from testkit.client import ChatMessage, FakeBotAPIClient, Injected, SimUser
from testkit.process import WAIT

ANNA = SimUser(id=701, first_name="Анна", language_code="ru")
BORIS = SimUser(id=702, first_name="Борис", language_code="ru")


class Handling(Protocol):
    """The bot as seen from its logs: one process, or replicas counted together."""

    async def wait_handled(self, count: int, within: float = 10.0) -> None: ...


@dataclass
class People:
    """Sends for both people, each update only once the previous one is fully handled (a person
    reading before tapping); otherwise a brand-new user's first two updates race each other."""

    tg: FakeBotAPIClient
    bot: Handling
    updates: int = 0  # handled so far

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


async def seed_answers(database_url: str, specialist: SimUser = ANNA) -> None:
    """Every answer of a realistic questionnaire that the project does not have yet, as given by
    the specialist — for tests whose subject is what comes after the questionnaire."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            project_id = await connection.scalar(select(Project.id))
            answered = set(
                await connection.scalars(select(Answer.key).where(Answer.project_id == project_id))
            )
            specialist_id = await connection.scalar(
                select(User.id).where(User.telegram_id == specialist.id)
            )
            now = datetime.now(UTC)
            rows = [
                {
                    "project_id": project_id,
                    "key": key,
                    "value": value,
                    "answered_by": specialist_id,
                    "answered_at": now,
                }
                for key, value in sample.answers(1).items()
                if key not in answered
            ]
            if rows:
                await connection.execute(insert(Answer), rows)
    finally:
        await engine.dispose()


async def invite_client(people: People, project: str, client: SimUser = BORIS) -> None:
    """The specialist opens the project, takes the invite link; the client joins through it."""
    tg, specialist = people.tg, ANNA
    sent = await people.say(specialist, "/projects")
    await tg.wait_for_message(specialist.id, has("Ваши проекты"), since=sent.seq, within=WAIT)
    pressed = await people.press(specialist, f"{project} · вы специалист")
    await tg.wait_for_message(specialist.id, has("Ваша роль"), since=pressed.seq, within=WAIT)
    pressed = await people.press(specialist, "🔗 Ссылка для заказчика")
    invite = await tg.wait_for_message(
        specialist.id, has("Перешлите"), since=pressed.seq, within=WAIT
    )
    link = re.search(r"\?start=([A-Za-z0-9_-]+)", invite.text or "")
    assert link
    sent = await people.say(client, f"/start {link.group(1)}")
    await tg.wait_for_message(
        specialist.id,
        has(f"теперь есть заказчик: {client.first_name}"),
        since=sent.seq,
        within=WAIT,
    )


async def add_goal(people: People, text: str, listed: str) -> None:
    """Through the goal dialog; `listed` is how the saved goal reads in the list."""
    tg = people.tg
    sent = await people.say(ANNA, "/goals")
    await tg.wait_for_message(ANNA.id, has("Цели проекта"), since=sent.seq, within=WAIT)
    pressed = await people.press(ANNA, "➕ Новая цель")
    await tg.wait_for_message(ANNA.id, has("своими словами"), since=pressed.seq, within=WAIT)
    sent = await people.say(ANNA, text)
    # A sell-off is a total judged against the stock, never against "how many now" (the ad
    # budget alone covers 40 jackets, so the weekly pace is not needed).
    await tg.wait_for_message(ANNA.id, has("на складе"), since=sent.seq, within=WAIT)
    sent = await people.say(ANNA, "100")
    await tg.wait_for_message(ANNA.id, has("Реалистично"), since=sent.seq, within=WAIT)
    pressed = await people.press(ANNA, "Сохранить как есть")
    await tg.wait_for_message(ANNA.id, has(listed), since=pressed.seq, within=WAIT)


async def send_for_signoff(people: People, project: str) -> int:
    tg = people.tg
    sent = await people.say(ANNA, "/brief")
    await tg.wait_for_message(ANNA.id, has(f"Бриф «{project}»"), since=sent.seq, within=WAIT)
    pressed = await people.press(ANNA, "📤 Отправить на согласование")
    return pressed.seq


async def sign_first_version(people: People, project: str, client: SimUser = BORIS) -> None:
    """Version 1 is sent to both, approved by both, and both are told it is signed."""
    tg = people.tg
    since = await send_for_signoff(people, project)
    await tg.wait_for_message(client.id, has("отправитель — Анна"), since=since, within=WAIT)
    brief = await tg.wait_for_message(client.id, has("Версия 1"), since=since, within=WAIT)
    assert "✅ Утвердить" in brief.buttons[0]
    pressed = await people.press(client, "✅ Утвердить")
    await tg.wait_for_message(
        ANNA.id,
        has(f"{client.first_name}: версия 1"),
        since=pressed.seq,
        within=WAIT,
    )
    pressed = await people.press(ANNA, "✅ Утвердить")
    for person in (ANNA, client):
        await tg.wait_for_message(
            person.id, has("подписан обеими сторонами: версия 1"), since=pressed.seq, within=WAIT
        )
