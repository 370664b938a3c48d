"""What a reply reports is committed before the reply is requested, reminders included.

The services never commit; the update's transaction is committed right before anything is shown
(`CommitBeforeShowing` on the Bot session, `dialogs.committing_manager` for screens). Here every
Bot API request that shows something is intercepted, and at that instant a separate SQLite
connection reads what the action wrote: a crash right after the reply was sent can then never lose
what the reply said, nor the reminders the action planned.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dispatcher.harness import ChatUser, RecordingSession
from tests.dispatcher.scenes import complete_project

Factory = async_sessionmaker[AsyncSession]
SHOWING = (AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText, SendDocument, SendMessage)


@dataclass
class Seen:
    """One showing request: its method, its text, and what the queries read at that moment."""

    method: str
    text: str
    values: dict[str, Any]


@dataclass
class ReplyProbe:
    """Runs ``queries`` through its own connection whenever the bot is about to show something."""

    path: Path
    queries: dict[str, str] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def watch(self, **queries: str) -> None:
        self.queries, self.seen = queries, []

    def record(self, method: TelegramMethod[Any]) -> None:
        if not self.queries or not isinstance(method, SHOWING):
            return
        with sqlite3.connect(self.path) as connection:
            values = {
                name: connection.execute(sql).fetchone()[0] for name, sql in self.queries.items()
            }
        connection.close()
        text = getattr(method, "text", None) or getattr(method, "caption", None) or ""
        self.seen.append(Seen(type(method).__name__, text, values))


@pytest.fixture
def probe(bot: Bot, sqlite_path: Path) -> Iterator[ReplyProbe]:
    recording: RecordingSession = bot.session  # type: ignore[assignment]
    watcher = ReplyProbe(sqlite_path)
    original = recording.make_request

    async def make_request(
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        watcher.record(method)
        return await original(bot, method, timeout)

    recording.make_request = make_request  # type: ignore[method-assign]
    yield watcher
    recording.make_request = original  # type: ignore[method-assign]


@pytest.fixture
def boris(dispatcher: Dispatcher, bot: Bot) -> ChatUser:
    return ChatUser(dispatcher, bot, 2002, name="Борис")


async def _complete_project(factory: Factory, anna: ChatUser, boris: ChatUser) -> int:
    """Anna's project with Boris as the client, every answer and one goal due in 60 days."""
    return await complete_project(factory, anna, boris, deadline=date.today() + timedelta(days=60))


async def _signed(factory: Factory, anna: ChatUser, boris: ChatUser, probe: ReplyProbe) -> None:
    """Sent for sign-off and approved by both; the specialist's approval is the one watched."""
    await _complete_project(factory, anna, boris)
    await anna.send("/brief")
    await anna.click("Отправить на согласование")
    await boris.click("Утвердить")
    probe.watch(
        approvals="SELECT count(*) FROM approvals WHERE decision = 'approve'",
        status="SELECT status FROM projects",
        deadlines="SELECT count(*) FROM reminders"
        " WHERE kind = 'goal_due_7d' AND status = 'planned'",
    )
    await anna.click("Утвердить")


def _result(probe: ReplyProbe, pattern: str) -> Seen:
    """The request that showed the action's result (its text matches ``pattern``)."""
    matching = [seen for seen in probe.seen if re.search(pattern, seen.text)]
    assert matching, [seen.text for seen in probe.seen]
    return matching[0]


async def test_an_answer_is_committed_before_the_next_step_is_shown(
    anna: ChatUser, probe: ReplyProbe
) -> None:
    await anna.send("/new")
    await anna.send("Зерно")
    await anna.send("кофе")
    await anna.click("ВКонтакте")
    probe.watch(channels="SELECT count(*) FROM answers WHERE key = 'channels'")

    await anna.click("^Готово$")

    assert _result(probe, "Шаг 2 из").values == {"channels": 1}
    assert all(seen.values == {"channels": 1} for seen in probe.seen)


async def test_the_approval_that_signs_and_its_deadlines_are_committed_before_any_reply(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, probe: ReplyProbe
) -> None:
    await _signed(session_factory, anna, boris, probe)

    assert probe.seen, "the approval showed nothing"
    assert probe.seen[0].method == "AnswerCallbackQuery"  # the very first thing the signer sees
    for seen in probe.seen:
        assert seen.values == {"approvals": 2, "status": "signed", "deadlines": 2}, seen


async def test_a_new_goal_is_committed_before_the_goals_list_shows_it(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, probe: ReplyProbe
) -> None:
    await _complete_project(session_factory, anna, boris)
    await anna.send("/goals")
    await anna.click("Новая цель")
    await anna.send("Продать 60 курток в ВК до 31 марта 2027")
    await anna.send("100")
    probe.watch(goals="SELECT count(*) FROM goals")

    await anna.click("Сохранить как есть")

    assert probe.seen and all(seen.values == {"goals": 2} for seen in probe.seen)
    assert "60 шт." in _result(probe, "Цели проекта").text


async def test_a_removed_goal_and_its_reminders_are_gone_before_the_remover_is_answered(
    anna: ChatUser, boris: ChatUser, session_factory: Factory, probe: ReplyProbe
) -> None:
    await _signed(session_factory, anna, boris, probe)
    await anna.send("/goals")
    await anna.click("Удалить цель")
    await anna.click("Продать 40 курток")
    probe.watch(
        goals="SELECT count(*) FROM goals",
        its_reminders="SELECT count(*) FROM reminders"
        " WHERE goal_id IS NOT NULL AND status = 'planned'",
    )

    await anna.click("Да, удалить")

    assert probe.seen[0].method == "AnswerCallbackQuery"
    assert all(seen.values == {"goals": 0, "its_reminders": 0} for seen in probe.seen)


async def test_an_accepted_invite_and_the_clients_nudges_are_committed_before_the_welcome(
    anna: ChatUser, boris: ChatUser, probe: ReplyProbe
) -> None:
    await anna.send("/new")
    await anna.send("Зерно")
    await anna.send("кофе")
    await anna.send("/projects")
    await anna.click("Зерно")
    await anna.click("Ссылка для заказчика")
    token = re.search(r"start=([A-Za-z0-9_-]+)", anna.last.text or "")
    assert token is not None
    await boris.send("/help")
    probe.watch(
        client="SELECT count(*) FROM projects p JOIN users u ON u.id = p.client_id"
        f" WHERE u.telegram_id = {boris.user.id}",
        nudged="SELECT count(*) > 0 FROM reminders r JOIN users u ON u.id = r.recipient_id"
        f" WHERE u.telegram_id = {boris.user.id} AND r.kind = 'questions_pending'",
    )

    await boris.send(f"/start {token.group(1)}")

    assert probe.seen and all(seen.values == {"client": 1, "nudged": 1} for seen in probe.seen)
