"""A handler that fails still ends in a reply: the button stops spinning, the person is told in one
sentence, and the step they were on comes back — behind the real middleware stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import dialogs.onboarding
from tests.dispatcher.harness import ChatUser
from tests.dispatcher.scenes import signed_off_project

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

    monkeypatch.setattr("bot.user_middleware.get_or_create_user", unreachable)
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


async def test_a_failing_brief_button_keeps_the_briefs_buttons_and_shows_no_step(
    monkeypatch: pytest.MonkeyPatch,
    dispatcher: Dispatcher,
    bot: Bot,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """The PDF of a brief fails while a goals dialog is open: the apology comes, the brief keeps
    its Approve and PDF buttons, and no dialog step is sent in their place."""

    def broken_pdf(*_: Any, **__: Any) -> bytes:
        raise RuntimeError("injected fault")

    monkeypatch.setattr("handlers.briefs.render_pdf", broken_pdf)
    anna = ChatUser(dispatcher, bot, 1001, name="Анна")
    boris = ChatUser(dispatcher, bot, 1002, name="Борис")
    await signed_off_project(session_factory, anna, boris)
    brief = next(m for m in reversed(anna.messages) if "PDF" in " ".join(anna.buttons(m)))
    await anna.send("/goals")  # a dialog is open
    calls_before = len(bot.session.calls)  # type: ignore[attr-defined]

    await anna.click("PDF", message=brief)

    after = bot.session.calls[calls_before:]  # type: ignore[attr-defined]
    assert [c for c in after if isinstance(c, AnswerCallbackQuery)]
    assert [c.text for c in after if isinstance(c, SendMessage)] == [anna.last.text]
    assert APOLOGY in (anna.last.text or "")
    kept = next(m for m in anna.messages if m.message_id == brief.message_id)
    assert anna.buttons(kept) == anna.buttons(brief)
