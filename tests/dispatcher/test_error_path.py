"""A handler that fails still ends in a reply: the button stops spinning, the person is told in one
sentence, and the step they were on comes back — behind the real middleware stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage

import dialogs.onboarding
from tests.dispatcher.harness import ChatUser

APOLOGY = "что-то пошло не так"


async def _broken_set_role(*_: Any, **__: Any) -> None:
    raise RuntimeError("injected fault")


@pytest.fixture
def broken(
    monkeypatch: pytest.MonkeyPatch, make_dispatcher: Callable[[], Dispatcher], bot: Bot
) -> ChatUser:
    """Anna on a bot whose role button fails (patched before the dialogs are built)."""
    monkeypatch.setattr(dialogs.onboarding, "set_role", _broken_set_role)
    return ChatUser(make_dispatcher(), bot, 1001, name="Анна", language="ru")


async def test_a_failing_button_is_answered_apologised_for_and_the_step_shown_again(
    broken: ChatUser, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    await broken.send("/start")
    role_screen = broken.last
    assert "SMM-специалист" in " ".join(broken.buttons())
    calls_before = len(bot.session.calls)  # type: ignore[attr-defined]

    await broken.click("SMM-специалист")

    after = bot.session.calls[calls_before:]  # type: ignore[attr-defined]
    answers = [c for c in after if isinstance(c, AnswerCallbackQuery)]
    assert len(answers) == 1, "the pressed button must stop spinning"
    texts = [c.text for c in after if isinstance(c, SendMessage)]
    assert sum(APOLOGY in (t or "") for t in texts) == 1
    # The role question comes back under the apology, with its buttons working.
    assert broken.last.message_id != role_screen.message_id
    assert "SMM-специалист" in " ".join(broken.buttons())
    assert "injected fault" in caplog.text
    assert "KeyError" not in caplog.text


async def test_a_failing_message_handler_is_apologised_for(
    monkeypatch: pytest.MonkeyPatch, make_dispatcher: Callable[[], Dispatcher], bot: Bot
) -> None:
    async def broken_help(*_: Any, **__: Any) -> None:
        raise RuntimeError("injected fault")

    import handlers.common

    monkeypatch.setattr(handlers.common, "help_command", broken_help)
    anna = ChatUser(make_dispatcher(), bot, 1001, name="Анна", language="ru")
    await anna.send("/help")
    assert APOLOGY in (anna.last.text or "")


async def test_when_the_database_fails_the_person_is_still_told(
    monkeypatch: pytest.MonkeyPatch, dispatcher: Dispatcher, bot: Bot
) -> None:
    async def unreachable(*_: Any, **__: Any) -> None:
        raise OSError("database is unreachable")

    monkeypatch.setattr("bot.db.middleware.get_or_create_user", unreachable)
    anna = ChatUser(dispatcher, bot, 1001, name="Анна", language="en")
    await anna.send("/help")
    assert "went wrong on my side" in (anna.last.text or "")


async def test_a_failed_start_with_an_invite_token_does_not_log_the_token(
    monkeypatch: pytest.MonkeyPatch,
    make_dispatcher: Callable[[], Dispatcher],
    bot: Bot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import handlers.start

    async def broken_start(*_: Any, **__: Any) -> None:
        raise RuntimeError("injected fault")

    monkeypatch.setattr(handlers.start, "start_with_invite", broken_start)
    anna = ChatUser(make_dispatcher(), bot, 1001, name="Анна", language="ru")
    await anna.send("/start inv-SECRET-token-123")

    assert APOLOGY in (anna.last.text or "")
    assert "/start" in caplog.text and "SECRET" not in caplog.text
