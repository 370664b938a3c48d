"""Presses that start slow work are answered before it: Telegram shows a spinner until a press is
answered and refuses an answer that comes too late («Cannot answer callback … query is too old»
in the log). aiogram-dialog answers a press only after its handler and the next screen, so a
handler that starts slow work answers first itself (the bot's guard drops the second answer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers.briefs
from tests.dispatcher.harness import ChatUser, RecordingSession
from tests.dispatcher.test_briefs import _project, _send, boris  # noqa: F401 (a fixture)

Factory = async_sessionmaker[AsyncSession]


def _answers(session: RecordingSession) -> int:
    return len(session.sent(AnswerCallbackQuery))


def _watch(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, session: RecordingSession
) -> list[int]:
    """Wrap ``module.name``: each call records how many presses had been answered by then."""
    seen: list[int] = []
    real: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen.append(_answers(session))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return seen


async def test_the_pdf_presses_are_answered_before_the_pdf_is_made(
    anna: ChatUser,
    boris: ChatUser,  # noqa: F811 (the fixture imported above)
    session_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _project(session_factory, anna, boris)
    rendered = _watch(monkeypatch, handlers.briefs, "render_pdf", anna.session)

    await anna.send("/brief")
    await anna.click("Предпросмотр")
    before = _answers(anna.session)
    await anna.click("PDF черновика")
    assert rendered == [before + 1]

    await _send(anna)
    before = _answers(boris.session)
    await boris.click("PDF")
    assert rendered[1:] == [before + 1]
