"""Test-side client for the fake Bot API's ``/_test/`` control API.

Tests play the human side with it (send text, press buttons, share a location, a sticker or a
photo) and read what the bot did (messages with edits, files, callback answers, commands, the call
log). It speaks HTTP only, so it drives an in-process server and a subprocess one alike, and it
must never call Bot API methods on the bot's behalf.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

import aiohttp

JSON = dict[str, Any]


class ControlError(RuntimeError):
    """The server refused a control call (unknown chat, no such button, ...)."""


@dataclass(frozen=True)
class SimUser:
    """A simulated Telegram user; their private chat id equals ``id``."""

    id: int
    first_name: str = "Test"
    language_code: str | None = "ru"
    username: str | None = None
    last_name: str | None = None

    def to_json(self) -> JSON:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Injected:
    """What an injection produced; ``seq`` is the event cursor right after it."""

    update_id: int | None
    chat_id: int
    message_id: int
    seq: int
    callback_query_id: str | None = None


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat as it stands now (``message`` is the Telegram object)."""

    message_id: int
    outgoing: bool
    deleted: bool
    seq: int
    source_text: str | None
    parse_mode: str | None
    reply_markup: JSON | None
    message: JSON
    versions: list[JSON] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: JSON) -> ChatMessage:
        keys = cls.__dataclass_fields__
        return cls(**{k: v for k, v in raw.items() if k in keys})

    @property
    def text(self) -> str | None:
        """The visible text (or caption), after entity parsing."""
        return self.message.get("text", self.message.get("caption"))

    @property
    def edits(self) -> int:
        return len(self.versions)

    @property
    def buttons(self) -> list[list[str]]:
        """Button labels, inline or reply keyboard, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, str) else b["text"] for b in row] for row in rows]

    def callback_data(self, button_text: str) -> str:
        for row in (self.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == button_text and "callback_data" in button:
                    return str(button["callback_data"])
        raise KeyError(button_text)

    @property
    def document(self) -> JSON | None:
        return self.message.get("document")

    @property
    def photo(self) -> list[JSON] | None:
        return self.message.get("photo")


@dataclass(frozen=True)
class Call:
    method: str
    chat_id: int | None
    at: float  # the server's time.monotonic() on arrival
    status: int


Predicate = Callable[[ChatMessage], bool]


class FakeBotAPIClient:
    """Drives one bot (``token``) of a fake Bot API at ``base_url``."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base = f"{base_url.rstrip('/')}/_test/bot{token}"
        self.root = f"{base_url.rstrip('/')}/_test"
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> FakeBotAPIClient:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, verb: str, url: str, **kwargs: Any) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.request(verb, url, **kwargs) as response:
            if response.content_type != "application/json":
                if response.status >= 400:
                    raise ControlError(f"{response.status} {await response.text()}")
                return await response.read()
            body = await response.json()
            if response.status >= 400:
                raise ControlError(body.get("description", str(body)))
            return body

    # --- the human side -----------------------------------------------------------------
    async def send_text(self, user: SimUser, text: str, *, chat_id: int | None = None) -> Injected:
        body = {"user": user.to_json(), "text": text, "chat_id": chat_id}
        return Injected(**await self._call("POST", f"{self.base}/message", json=body))

    async def send_texts(
        self, items: Sequence[tuple[SimUser, str]], *, chat_id: int | None = None
    ) -> list[Injected]:
        """Send many texts in one request, in order (for load tests)."""
        batch = [{"user": u.to_json(), "text": t, "chat_id": chat_id} for u, t in items]
        body = await self._call("POST", f"{self.base}/messages", json={"messages": batch})
        return [Injected(**item) for item in body]

    async def press_button(
        self,
        user: SimUser,
        *,
        data: str | None = None,
        text: str | None = None,
        message_id: int | None = None,
        chat_id: int | None = None,
    ) -> Injected:
        """Press an inline button by callback ``data`` or label ``text``; without ``message_id``
        the newest bot message showing such a button is used."""
        body = {
            "user": user.to_json(),
            "data": data,
            "button_text": text,
            "message_id": message_id,
            "chat_id": chat_id,
        }
        return Injected(**await self._call("POST", f"{self.base}/callback", json=body))

    async def send_location(
        self, user: SimUser, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> Injected:
        body: JSON = {"user": user.to_json(), "chat_id": chat_id}
        body |= {"latitude": latitude, "longitude": longitude}
        return Injected(**await self._call("POST", f"{self.base}/location", json=body))

    async def send_sticker(
        self, user: SimUser, emoji: str = "👍", *, chat_id: int | None = None
    ) -> Injected:
        body = {"user": user.to_json(), "emoji": emoji, "chat_id": chat_id}
        return Injected(**await self._call("POST", f"{self.base}/sticker", json=body))

    async def send_photo(
        self,
        user: SimUser,
        data: bytes | None = None,
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> Injected:
        """Send a picture (PNG/GIF/JPEG bytes; a small grey PNG if ``data`` is omitted)."""
        encoded = base64.b64encode(data).decode() if data is not None else None
        body: JSON = {"user": user.to_json(), "chat_id": chat_id}
        body |= {"data_base64": encoded, "caption": caption}
        return Injected(**await self._call("POST", f"{self.base}/photo", json=body))

    # --- what the bot did ---------------------------------------------------------------
    async def messages(self, chat_id: int) -> list[ChatMessage]:
        """Every message of the chat, both sides, oldest first, deleted ones flagged."""
        body = await self._call("GET", f"{self.base}/chats/{chat_id}/messages")
        return [ChatMessage.from_json(m) for m in body["messages"]]

    async def received(self, chat_id: int) -> list[ChatMessage]:
        """The bot's messages still visible in the chat."""
        return [m for m in await self.messages(chat_id) if m.outgoing and not m.deleted]

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Predicate | None = None,
        *,
        since: int = 0,
        within: float = 5.0,
    ) -> ChatMessage:
        """The newest visible bot message matching ``predicate`` that was sent or edited after
        event ``since`` (an :class:`Injected` ``seq``), waiting up to ``within`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            try:
                body = await self._call("GET", f"{self.base}/chats/{chat_id}/messages")
            except ControlError:
                body = {"seq": 0, "messages": []}  # the chat does not exist yet
            for raw in reversed(body["messages"]):
                message = ChatMessage.from_json(raw)
                fresh = message.outgoing and not message.deleted and message.seq > since
                if fresh and (predicate is None or predicate(message)):
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no matching message in chat {chat_id} within {within}s")
            await self.events(after=body["seq"], wait=remaining)

    async def events(self, *, after: int = 0, wait: float = 0.0) -> list[JSON]:
        """Raw change events newer than ``after``; waits up to ``wait`` seconds for the first."""
        query = {"after": str(after), "wait": str(wait)}
        body = await self._call("GET", f"{self.base}/events", params=query)
        return list(body["events"])

    async def chats(self) -> list[JSON]:
        return list(await self._call("GET", f"{self.base}/chats"))

    async def download(self, file_id: str) -> bytes:
        return bytes(await self._call("GET", f"{self.base}/files/{file_id}"))

    async def callback_answers(self) -> list[JSON]:
        return list(await self._call("GET", f"{self.base}/callback_answers"))

    async def chat_actions(self) -> list[JSON]:
        return list(await self._call("GET", f"{self.base}/chat_actions"))

    async def commands(self) -> list[JSON]:
        """Registered command lists: ``[{"scope", "language_code", "commands"}]``."""
        return list(await self._call("GET", f"{self.base}/commands"))

    async def calls(self, since: int = 0) -> list[Call]:
        """The call log from index ``since`` on (for rates: ``Call.at`` is monotonic)."""
        body = await self._call("GET", f"{self.base}/calls", params={"since": str(since)})
        return [Call(**c) for c in body["calls"]]

    # --- failure injection and reset --------------------------------------------------------
    async def fail(
        self,
        method: str,
        kind: Literal["flood", "blocked"],
        *,
        count: int | None = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
    ) -> None:
        """Make the next ``count`` calls (``None``: all, until cleared) of ``method``, for
        ``chat_id`` or any chat, answer 429 with ``retry_after`` (flood) or 403 (blocked)."""
        body = {
            "method": method,
            "kind": kind,
            "count": count,
            "chat_id": chat_id,
            "retry_after": retry_after,
        }
        await self._call("POST", f"{self.base}/failures", json=body)

    async def kill_on(
        self, method: str, pid: int, *, nth: int = 1, chat_id: int | None = None
    ) -> None:
        """SIGKILL process ``pid`` right after the server has carried out the ``nth`` next call
        of ``method`` (for ``chat_id``, or any chat) and before it answers — the bot dies with
        the message shown and the reply unread. Needs a server started with ``kill_hooks``."""
        body = {"method": method, "pid": pid, "nth": nth, "chat_id": chat_id}
        await self._call("POST", f"{self.base}/kill_hooks", json=body)

    async def clear_failures(self) -> None:
        await self._call("DELETE", f"{self.base}/failures")

    async def reset(self) -> None:
        """Forget this bot's chats, files, updates, webhook, commands, logs and failures."""
        await self._call("POST", f"{self.base}/reset")

    async def reset_all(self) -> None:
        await self._call("POST", f"{self.root}/reset")
