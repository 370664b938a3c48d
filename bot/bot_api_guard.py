"""One guard on every Bot API call the bot makes, for what Telegram refuses that is no fault.

- A text over Telegram's limit (200 characters for a callback answer, 4 096 for a message, 1 024
  for a caption) is cut to fit instead of being refused — which would leave the person with
  nothing. Callers cut what they interpolate themselves (`bot.limits`); a cut here is logged, as
  it means one of them did not.
- An edit that changes nothing (a double tap, a redraw of the same screen) is not sent: the guard
  remembers what each recent message was last set to and answers such an edit itself. Replicas
  sharing the chats cannot know what the others sent, so there it only does the second part:
  Telegram's "message is not modified" is the success it is — the message shows what was asked.
- A callback query is answered once. aiogram-dialog answers every press after its handler ran,
  so a handler that answered first (an alert, or early, before slow work) would be answered twice
  and Telegram refuses the second ("query is too old"); the second is skipped here.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, InlineKeyboardMarkup, Message, TelegramObject

from bot.limits import ALERT_LIMIT, CAPTION_LIMIT, MESSAGE_LIMIT, cut_markup, cut_plain

log = logging.getLogger(__name__)

NOT_MODIFIED = "message is not modified"
#: Query ids remembered as answered; Telegram forgets a query within minutes, so a few thousand
#: recent ones cover every double answer of a busy bot.
ANSWERED_REMEMBERED = 4096
#: Messages whose last content is remembered: a double tap or a redraw comes within seconds of
#: the screen it repeats, and a person has one live screen, so this covers a couple of thousand
#: people active at once.
SCREENS_REMEMBERED = 2048

Edit = EditMessageText | EditMessageCaption | EditMessageReplyMarkup
Screen = tuple[int, int]  # chat id, message id


@dataclass(frozen=True, slots=True)
class _Shown:
    """A message's content as the bot last set it, and what Telegram returned for it then.

    Thousands are remembered, so the content is kept as digests and of the returned message only
    what is read of it (ids, date, text): a whole keyboard and a pydantic `Message` per screen
    once took more memory than the rest of the bot."""

    text: bytes
    markup: bytes
    message_id: int
    chat: tuple[int, str]  # id and type
    date: datetime
    shown_text: str | None

    @classmethod
    def of(cls, text: bytes, markup: bytes, message: Message) -> _Shown:
        chat = (message.chat.id, message.chat.type)
        return cls(text, markup, message.message_id, chat, message.date, message.text)

    def message(self, bot: Bot) -> Message:
        """The message as Telegram would return it for an edit that changes nothing."""
        chat = Chat(id=self.chat[0], type=self.chat[1])
        return Message(
            message_id=self.message_id, date=self.date, chat=chat, text=self.shown_text
        ).as_(bot)


class BotApiGuard(BaseRequestMiddleware):
    def __init__(self, *, remember_screens: bool = True) -> None:
        self._answered: OrderedDict[str, None] = OrderedDict()
        self._remember_screens = remember_screens
        self._shown: OrderedDict[Screen, _Shown] = OrderedDict()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        if isinstance(method, AnswerCallbackQuery):
            if method.callback_query_id in self._answered:
                log.debug("callback %s already answered", method.callback_query_id)
                return True
            try:
                return await make_request(bot, _fit(method))
            finally:  # answered or refused: a second try would be refused all the same
                self._remember(method.callback_query_id)
        method = _fit(method)
        screen = _screen(method)
        shown = self._shown.pop(screen, None) if screen is not None else None
        # Replicas remember no screens: no digests to make for them (two per send or edit).
        content = _content_of(method) if self._remember_screens else None
        if shown is not None and content is not None and _unchanged(content, shown):
            self._keep(screen, shown)
            log.debug("edit of an unchanged message not sent")
            return shown.message(bot)
        try:
            result = await make_request(bot, method)
        except TelegramBadRequest as error:
            if isinstance(method, Edit) and NOT_MODIFIED in error.message.lower():
                log.debug("edit of an unchanged message taken as done: %s", error.message)
                unchanged = _as_unchanged(method, bot)
                if isinstance(unchanged, Message):  # Telegram says it shows exactly this
                    self._note(content, unchanged, shown)
                return unchanged
            raise
        if isinstance(result, Message):
            self._note(content, result, shown)
        return result

    def _note(self, content: _Content | None, result: Message, shown: _Shown | None) -> None:
        """Remember what a sent or edited message now shows (text messages only)."""
        if content is None:
            return
        key = (result.chat.id, result.message_id)
        text, markup = content
        if text is not None:
            self._keep(key, _Shown.of(text, markup, result))
        elif shown is not None:  # a new keyboard under the text remembered before
            self._keep(key, _Shown.of(shown.text, markup, result))

    def _keep(self, screen: Screen | None, shown: _Shown | None) -> None:
        if not self._remember_screens or screen is None or shown is None:
            return
        self._shown[screen] = shown
        while len(self._shown) > SCREENS_REMEMBERED:
            self._shown.popitem(last=False)

    def _remember(self, query_id: str) -> None:
        self._answered[query_id] = None
        while len(self._answered) > ANSWERED_REMEMBERED:
            self._answered.popitem(last=False)


def _screen(method: TelegramMethod[Any]) -> Screen | None:
    """The message a call changes, if it changes one the guard may remember."""
    if not isinstance(method, Edit | EditMessageMedia | DeleteMessage):
        return None
    if not isinstance(method.chat_id, int) or method.message_id is None:
        return None  # an inline message, or a channel named by @username: not remembered
    return method.chat_id, method.message_id


#: What a text message shows, as digests: its text with everything that shapes how it shows
#: (None for a call that leaves the text as it is) and its keyboard (b"" for none).
_Content = tuple[bytes | None, bytes]


def _content_of(method: TelegramMethod[Any]) -> _Content | None:
    """Digests of what a call makes a text message show; None for calls the guard does not
    remember."""
    if isinstance(method, SendMessage | EditMessageText):
        shaped = repr(
            (method.text, method.parse_mode, method.entities, method.link_preview_options)
        )
        return _digest(shaped), _markup_of(method.reply_markup)
    if isinstance(method, EditMessageReplyMarkup):
        return None, _markup_of(method.reply_markup)
    return None


def _markup_of(markup: object) -> bytes:
    """The keyboard's digest; b"" for none (a reply keyboard's is never empty)."""
    if not isinstance(markup, TelegramObject):
        return b""
    return _digest(markup.model_dump_json(exclude_none=True))


def _digest(content: str) -> bytes:
    return hashlib.blake2b(content.encode(), digest_size=16).digest()


def _unchanged(content: _Content, shown: _Shown) -> bool:
    """Whether an edit would leave the message as it is (a new message never does: it has no
    `shown`)."""
    text, markup = content
    return (text is None or text == shown.text) and markup == shown.markup


def _fit(method: TelegramMethod[Any]) -> TelegramMethod[Any]:
    """The same call with its text cut to Telegram's limit, if it was over."""
    if isinstance(method, AnswerCallbackQuery) and method.text:
        return _cut(method, "text", cut_plain(method.text, ALERT_LIMIT))
    if isinstance(method, SendMessage | EditMessageText) and method.text:
        return _cut(method, "text", _cut_text(method.text, method.parse_mode, MESSAGE_LIMIT))
    if isinstance(method, SendDocument | SendPhoto | EditMessageCaption) and method.caption:
        return _cut(method, "caption", _cut_text(method.caption, method.parse_mode, CAPTION_LIMIT))
    return method


def _cut_text(text: str, parse_mode: object, limit: int) -> str:
    """HTML unless the call says plain (the bot's default parse mode is HTML)."""
    return cut_plain(text, limit) if parse_mode is None else cut_markup(text, limit)


def _cut(method: TelegramMethod[Any], field: str, text: str) -> TelegramMethod[Any]:
    if text == getattr(method, field):
        return method
    log.warning("%s %s cut to fit Telegram's limit", method.__api_method__, field)
    return method.model_copy(update={field: text})


def _as_unchanged(method: Edit, bot: Bot) -> Message | bool:
    """What Telegram returns for an edit — the message as it now is — as far as the call says;
    `True` for an inline message, as Telegram does."""
    if not isinstance(method.chat_id, int) or method.message_id is None:
        return True
    markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
    return Message(
        message_id=method.message_id,
        date=datetime.now(UTC),
        chat=Chat(id=method.chat_id, type="private"),
        text=method.text if isinstance(method, EditMessageText) else None,
        caption=method.caption if isinstance(method, EditMessageCaption) else None,
        reply_markup=markup,
    ).as_(bot)
