"""Dispatcher-level test harness: the real Dispatcher fed with Updates, a bot that records calls.

`RecordingSession` stands in for the HTTP session: it keeps every Bot API call and answers with
plausible objects (sent messages get ids and keep their keyboards, edits are applied), so dialogs
behave as with Telegram. A chat put in `blocked` answers every message with Telegram's 403, as
when that person has blocked the bot; one in `flooded` answers its next message with a 429, one in `refused` every message with a 400. `ChatUser` plays one person typing and pressing buttons.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import (
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Location,
    Message,
    MessageEntity,
    PhotoSize,
    Sticker,
    Update,
    User,
)

BOT_USER = User(id=42, is_bot=True, first_name="smartbrief", username="smartbrief_bot")


class RecordingSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.chats: dict[int, list[Message]] = defaultdict(list)
        self.blocked: set[int] = set()
        self.flooded: dict[int, int] = {}  # chat id -> retry_after of its next message's 429
        self.refused: set[int] = set()  # chats whose messages get a 400 (a chat Telegram lost)
        self._ids = itertools.count(1000)

    async def close(self) -> None:
        return None

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError
        yield b""  # pragma: no cover

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        self.calls.append(method)
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, SendMessage | SendDocument | SendPhoto):
            chat_id = int(method.chat_id)
            if chat_id in self.blocked:
                raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
            if chat_id in self.refused:
                raise TelegramBadRequest(method, "Bad Request: chat not found")
            if chat_id in self.flooded:
                retry_after = self.flooded.pop(chat_id)
                raise TelegramRetryAfter(method, "Too Many Requests", retry_after)
            return self._store(method)
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            return self._edit(method)
        return True

    def _store(self, method: SendMessage | SendDocument | SendPhoto) -> Message:
        chat_id = int(method.chat_id)
        markup = (
            method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
        )
        text = method.text if isinstance(method, SendMessage) else method.caption
        message = Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=Chat(id=chat_id, type="private"),
            from_user=BOT_USER,
            text=text,
            reply_markup=markup,
        )
        self.chats[chat_id].append(message)
        return message

    def _edit(self, method: EditMessageText | EditMessageReplyMarkup) -> Message:
        assert method.chat_id is not None
        chat = self.chats[int(method.chat_id)]
        index = next(i for i, m in enumerate(chat) if m.message_id == method.message_id)
        changes: dict[str, Any] = {"reply_markup": method.reply_markup}
        if isinstance(method, EditMessageText):
            changes["text"] = method.text
        chat[index] = chat[index].model_copy(update=changes)
        return chat[index]

    def sent(self, method_type: type[TelegramMethod[Any]]) -> list[Any]:
        return [call for call in self.calls if isinstance(call, method_type)]


class ChatUser:
    """One simulated person in a private chat with the bot."""

    _update_ids = itertools.count(1)

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        user_id: int,
        *,
        name: str = "Анна",
        language: str = "ru",
    ) -> None:
        self.dispatcher, self.bot = dispatcher, bot
        self.user = User(id=user_id, is_bot=False, first_name=name, language_code=language)
        self.chat = Chat(id=user_id, type="private")
        self._message_ids = itertools.count(1)
        self.session: RecordingSession = bot.session  # type: ignore[assignment]

    async def _feed(self, **payload: Any) -> None:
        await self.dispatcher.feed_update(
            self.bot, Update(update_id=next(self._update_ids), **payload)
        )

    def _message(self, **content: Any) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **content,
        )

    async def send(self, text: str) -> None:
        entities = None
        if text.startswith("/"):
            command = text.split()[0]
            entities = [MessageEntity(type="bot_command", offset=0, length=len(command))]
        await self._feed(message=self._message(text=text, entities=entities))

    async def send_sticker(self) -> None:
        sticker = Sticker(
            file_id="s",
            file_unique_id="s",
            type="regular",
            width=1,
            height=1,
            is_animated=False,
            is_video=False,
        )
        await self._feed(message=self._message(sticker=sticker))

    async def send_photo(self) -> None:
        await self._feed(
            message=self._message(
                photo=[PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)]
            )
        )

    async def send_location(self, latitude: float, longitude: float) -> None:
        await self._feed(
            message=self._message(location=Location(latitude=latitude, longitude=longitude))
        )

    @property
    def messages(self) -> list[Message]:
        return self.session.chats[self.chat.id]

    @property
    def last(self) -> Message:
        return self.messages[-1]

    def buttons(self, message: Message | None = None) -> list[str]:
        markup = (message or self.last).reply_markup
        return [b.text for row in markup.inline_keyboard for b in row] if markup else []

    async def click(self, pattern: str, message: Message | None = None) -> None:
        """Press the first button matching `pattern` on the newest message that has one."""
        candidates = [message] if message else reversed(self.messages)
        for candidate in candidates:
            if candidate.reply_markup is None:
                continue
            for row in candidate.reply_markup.inline_keyboard:
                for button in row:
                    if re.search(pattern, button.text):
                        await self._feed(
                            callback_query=CallbackQuery(
                                id=str(next(self._update_ids)),
                                from_user=self.user,
                                chat_instance="ci",
                                message=candidate,
                                data=button.callback_data,
                            )
                        )
                        return
        raise AssertionError(f"no button matching {pattern!r}; last buttons: {self.buttons()}")
