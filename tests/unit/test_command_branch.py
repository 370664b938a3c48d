"""What enters the command routers' branch: exactly what an aiogram `Command` filter could match,
and buttons that carry no dialog's intent id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Chat, Message, User

from handlers.routing import is_command, is_not_a_dialogs_button

PERSON = User(id=1, is_bot=False, first_name="Анна")


def message(text: str | None = None, caption: str | None = None) -> Message:
    return Message(
        message_id=1,
        date=datetime(2026, 12, 5, tzinfo=UTC),
        chat=Chat(id=1, type="private"),
        from_user=PERSON,
        text=text,
        caption=caption,
    )


@pytest.mark.parametrize(
    ("text", "caption", "expected"),
    [
        ("/help", None, True),
        ("/start abc123", None, True),
        ("/goals@smartbrief_bot", None, True),
        (None, "/brief", True),  # a photo with a command for a caption
        ("help", None, False),
        (" /help", None, False),  # aiogram's Command does not strip either
        ("1 200", None, False),
        ("https://vk.com/zerno", None, False),
        (None, None, False),  # a sticker, a location
    ],
)
async def test_is_command(text: str | None, caption: str | None, expected: bool) -> None:
    assert await is_command(message(text, caption)) is expected


async def test_nothing_a_command_filter_matches_is_kept_out() -> None:
    """`Command` parses the same text the branch looks at, so what it matches gets in."""
    for text in ("/help", "/start payload", "/help@smartbrief_bot"):
        parsed = Command.extract_command(text)
        assert isinstance(parsed, CommandObject)
        assert await is_command(message(text))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("brp:12:send", True),  # a CallbackData of a command's message
        ("gp:3", True),
        ("", True),
        ("AbCdEfGh\x1dzone:0", False),  # a dialog's button: intent id, separator, widget data
        ("AbCdEfGh\x1d", False),
    ],
)
async def test_is_not_a_dialogs_button(data: str, expected: bool) -> None:
    callback = CallbackQuery(id="1", from_user=PERSON, chat_instance="1", data=data)
    assert await is_not_a_dialogs_button(callback) is expected
