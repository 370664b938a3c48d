"""The fake Telegram world: bots, chats with ordered messages and their edits, files, updates.

One :class:`BotState` per token holds everything Telegram would know about that bot. The Bot API
surface (``methods``) and the test-control surface (``control``) both act through it, and the
sandbox's web page renders it from :meth:`BotState.subscribe` events. This module knows nothing about
HTTP and must never block: every wait is an ``asyncio`` event, never a poll loop.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

EVENT_LOG_SIZE = 20_000
# Telegram's default when allowed_updates is empty: everything except these.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
BOT_USERNAME = "smartbrief_test_bot"

JSON = dict[str, Any]


class ApiError(Exception):
    """An error answer in Telegram's shape; ``description`` uses Telegram's wording."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class Event:
    """One change of the world, in order; ``seq`` grows by one per event of a bot."""

    seq: int
    kind: str  # message | edit | delete | callback_answer | chat_action | reset
    chat_id: int | None
    data: JSON

    def to_json(self) -> JSON:
        return {"seq": self.seq, "kind": self.kind, "chat_id": self.chat_id, "data": self.data}


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def to_file(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass
class StoredMessage:
    """A message as Telegram returns it (``data``) plus what only a test can see.

    ``reply_markup`` keeps any markup the bot sent (Telegram echoes only inline keyboards in
    ``data``), ``source_text`` the text before entity parsing, ``versions`` earlier ``data``.
    """

    chat_id: int
    outgoing: bool
    data: JSON
    seq: int = 0
    source_text: str | None = None
    parse_mode: str | None = None
    reply_markup: JSON | None = None
    deleted: bool = False
    versions: list[JSON] = field(default_factory=list)

    @property
    def message_id(self) -> int:
        return int(self.data["message_id"])

    def to_json(self) -> JSON:
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "outgoing": self.outgoing,
            "seq": self.seq,
            "source_text": self.source_text,
            "parse_mode": self.parse_mode,
            "reply_markup": self.reply_markup,
            "deleted": self.deleted,
            "versions": list(self.versions),
            "message": self.data,
        }


@dataclass
class ChatState:
    info: JSON  # the Telegram Chat object
    chat_instance: str
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    reply_keyboard: JSON | None = None
    menu_button: JSON | None = None

    @property
    def id(self) -> int:
        return int(self.info["id"])


@dataclass
class Failure:
    """Makes the next ``remaining`` calls of ``method`` fail (``None``: until reset)."""

    method: str  # lower-case
    kind: Literal["flood", "blocked"]
    remaining: int | None = 1
    chat_id: int | None = None
    retry_after: int = 1

    def error(self) -> ApiError:
        if self.kind == "flood":
            return ApiError(
                429, f"Too Many Requests: retry after {self.retry_after}", self.retry_after
            )
        return ApiError(403, "Forbidden: bot was blocked by the user")


@dataclass
class KillHook:
    """SIGKILL process ``pid`` the moment the ``nth`` next call of ``method`` (for ``chat_id``, or
    any chat) has been carried out and before it is answered: the bot dies with the message
    delivered and the reply never read, as on a power cut between sending and committing."""

    method: str  # lower-case
    pid: int
    nth: int = 1
    chat_id: int | None = None


@dataclass(frozen=True)
class CallRecord:
    method: str
    chat_id: int | None
    at: float  # time.monotonic() when the request arrived
    status: int

    def to_json(self) -> JSON:
        return {
            "method": self.method,
            "chat_id": self.chat_id,
            "at": self.at,
            "status": self.status,
        }


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


def bot_id_for(token: str) -> int:
    """The id Telegram encodes in a token's prefix, or a stable stand-in for odd test tokens."""
    prefix = token.split(":", 1)[0]
    return int(prefix) if prefix.isdigit() else 1_000_000_000 + zlib.crc32(token.encode())


class BotState:
    """Everything one bot token sees; mutated only from the event loop's thread."""

    def __init__(self, token: str, update_ids: Iterator[int]) -> None:
        self.token = token
        self.id = bot_id_for(token)
        self.user: JSON = {
            "id": self.id,
            "is_bot": True,
            "first_name": "SmartBrief Test",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._update_ids = update_ids
        self._file_numbers = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._arrival = asyncio.Event()
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self.closing = False
        self.subscribers: set[asyncio.Queue[Event]] = set()
        self.webhook: Webhook | None = None
        self.allowed_updates: frozenset[str] | None = None
        self.menu_button: JSON = {"type": "default"}
        self.last_seq = 0
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.pending: deque[JSON] = deque()
        # update_id -> time.monotonic() when getUpdates or the webhook first handed it out, so
        # a benchmark can time the bot from the moment it had the update.
        self.served_at: dict[int, float] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.open_queries: dict[str, int] = {}  # callback query id -> chat id
        self.callback_answers: list[JSON] = []
        self.chat_actions: list[JSON] = []
        self.calls: list[CallRecord] = []
        self.failures: list[Failure] = []
        self.kill_hooks: list[KillHook] = []
        self.events: deque[Event] = deque(maxlen=EVENT_LOG_SIZE)

    def reset(self) -> None:
        """Forget the world but keep pollers and subscribers attached to this bot."""
        self.webhook = None
        self.allowed_updates = None
        self.menu_button = {"type": "default"}
        self.chats.clear()
        self.files.clear()
        self.files_by_path.clear()
        self.pending.clear()
        self.served_at.clear()
        self.commands.clear()
        self.open_queries.clear()
        self.callback_answers.clear()
        self.chat_actions.clear()
        self.calls.clear()
        self.failures.clear()
        self.kill_hooks.clear()
        self.events.clear()
        self.publish("reset", None, {})

    # --- events -------------------------------------------------------------------------
    def publish(self, kind: str, chat_id: int | None, data: JSON) -> Event:
        self.last_seq += 1
        event = Event(self.last_seq, kind, chat_id, data)
        self.events.append(event)
        for queue in self.subscribers:
            queue.put_nowait(event)
        self._changed.set()
        self._changed = asyncio.Event()
        return event

    def subscribe(self) -> asyncio.Queue[Event]:
        """A queue that receives every later event until :meth:`unsubscribe`."""
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        self.subscribers.discard(queue)

    async def events_after(self, seq: int, wait: float) -> list[Event]:
        """Events newer than ``seq``, waiting up to ``wait`` seconds for the first one."""
        changed = self._changed
        if self.last_seq <= seq and wait > 0 and not self.closing:
            try:
                await asyncio.wait_for(changed.wait(), wait)
            except TimeoutError:
                return []
        newer: list[Event] = []
        for event in reversed(self.events):
            if event.seq <= seq:
                break
            newer.append(event)
        return newer[::-1]

    # --- chats and messages ------------------------------------------------------------
    def chat(self, chat_id: int) -> ChatState:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise bad_request("chat not found") from None

    def ensure_chat(self, user: JSON, chat_id: int | None = None) -> ChatState:
        """The chat a simulated user writes in: their private chat, or a group if negative."""
        chat_id = user["id"] if chat_id is None else chat_id
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id == user["id"]:
            keys = ("first_name", "last_name", "username")
            info = {"id": chat_id, "type": "private"} | {k: user[k] for k in keys if k in user}
        elif chat_id < 0:
            info = {"id": chat_id, "type": "group", "title": f"Test group {-chat_id}"}
        else:
            raise bad_request("a positive chat id must be the user's own id")
        instance = str(zlib.crc32(f"{self.id}:{chat_id}".encode()))
        chat = self.chats[chat_id] = ChatState(info=info, chat_instance=instance)
        return chat

    def add_message(
        self,
        chat: ChatState,
        sender: JSON,
        content: JSON,
        *,
        source_text: str | None = None,
        parse_mode: str | None = None,
        reply_markup: JSON | None = None,
    ) -> StoredMessage:
        data = {
            "message_id": next(chat.message_ids),
            "from": sender,
            "chat": chat.info,
            "date": int(time.time()),
        } | content
        message = StoredMessage(
            chat_id=chat.id,
            outgoing=sender["id"] == self.id,
            data=data,
            source_text=source_text,
            parse_mode=parse_mode,
            reply_markup=reply_markup,
        )
        chat.messages[message.message_id] = message
        if message.outgoing and reply_markup is not None:
            if "keyboard" in reply_markup:
                chat.reply_keyboard = reply_markup
            elif reply_markup.get("remove_keyboard"):
                chat.reply_keyboard = None
        self._publish_message("message", message)
        return message

    def find_message(self, chat_id: int, message_id: int, missing: str) -> StoredMessage:
        """A live message, or the Bad Request Telegram gives for this operation (``missing``)."""
        message = self.chat(chat_id).messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request(missing)
        return message

    def edit_message(
        self,
        message: StoredMessage,
        changes: JSON,
        *,
        source_text: str | None = None,
        parse_mode: str | None = None,
    ) -> StoredMessage:
        """Apply ``changes`` (``None`` values remove a field); refuse a no-op like Telegram."""
        data = {k: v for k, v in (message.data | changes).items() if v is not None}
        if data == message.data:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.versions.append(message.data)
        message.data = data | {"edit_date": int(time.time())}
        if source_text is not None:
            message.source_text = source_text
            message.parse_mode = parse_mode
        message.reply_markup = data.get("reply_markup")
        self._publish_message("edit", message)
        return message

    def delete_message(self, message: StoredMessage) -> None:
        message.deleted = True
        self._publish_message("delete", message)

    def _publish_message(self, kind: str, message: StoredMessage) -> None:
        message.seq = self.last_seq + 1  # the seq this very event gets, so its data shows it
        self.publish(kind, message.chat_id, message.to_json())

    # --- files ------------------------------------------------------------------------
    def store_file(
        self, data: bytes, folder: str, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        number = next(self._file_numbers)
        suffix = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"F{self.id}x{number}x{zlib.crc32(data):08x}",
            file_unique_id=f"U{number}",
            file_path=f"{folder}/file_{number}.{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = self.files_by_path[stored.file_path] = stored
        return stored

    def file(self, file_id: str) -> StoredFile:
        try:
            return self.files[file_id]
        except KeyError:
            raise bad_request("invalid file_id") from None

    # --- callback queries --------------------------------------------------------------
    def open_query(self, chat: ChatState) -> str:
        query_id = f"{self.id}{next(self._query_ids):06d}"
        self.open_queries[query_id] = chat.id
        return query_id

    def answer_query(self, query_id: str, answer: JSON) -> None:
        chat_id = self.open_queries.pop(query_id, None)
        if chat_id is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        record = {"callback_query_id": query_id, "chat_id": chat_id} | answer
        self.callback_answers.append(record)
        self.publish("callback_answer", chat_id, record)

    # --- updates ------------------------------------------------------------------------
    def enqueue(self, kind: str, payload: JSON) -> JSON | None:
        """Queue an update unless the bot's ``allowed_updates`` filters it out (as Telegram)."""
        allowed = self.allowed_updates
        if (kind not in allowed) if allowed else (kind in _OPT_IN_UPDATES):
            return None
        update = {"update_id": next(self._update_ids), kind: payload}
        self.pending.append(update)
        self.wake()
        return update

    def mark_served(self, updates: list[JSON]) -> None:
        """Note when each update first left for the bot; re-deliveries keep the first time."""
        now = time.monotonic()
        for update in updates:
            self.served_at.setdefault(update["update_id"], now)

    def wake(self) -> None:
        """Tell pollers and the webhook sender that updates, the webhook or shutdown changed."""
        self._arrival.set()
        self._arrival = asyncio.Event()

    def confirm(self, offset: int) -> None:
        if offset < 0:
            while len(self.pending) > -offset:
                self.pending.popleft()
            return
        while self.pending and self.pending[0]["update_id"] < offset:
            self.pending.popleft()

    @property
    def polled(self) -> bool:
        """Whether a bot has asked for updates yet: it has started and takes them from now on."""
        return self._poll_generation > 0

    async def wait_updates(self, poll_seconds: float) -> None:
        """Long-poll: return when updates are pending or ``poll_seconds`` pass.

        A newer poll ends an older waiting one with Telegram's 409 Conflict, which is how a
        second running copy of the bot shows up in tests.
        """
        self._poll_generation += 1
        generation = self._poll_generation
        self.wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + poll_seconds
        while not self.pending and not self.closing:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            arrival = self._arrival
            try:
                await asyncio.wait_for(arrival.wait(), remaining)
            except TimeoutError:
                return

    async def wait_arrival(self) -> None:
        await self._arrival.wait()

    # --- failure injection and call log --------------------------------------------------
    def take_kill(self, method: str, chat_id: int | None) -> int | None:
        """The pid to kill after this call, if a hook is due now (the hook is then used up)."""
        for hook in self.kill_hooks:
            if hook.method == method and hook.chat_id in (None, chat_id):
                hook.nth -= 1
                if hook.nth <= 0:
                    self.kill_hooks.remove(hook)
                    return hook.pid
        return None

    def take_failure(self, method: str, chat_id: int | None) -> ApiError | None:
        for failure in self.failures:
            if failure.method == method and failure.chat_id in (None, chat_id):
                if failure.remaining is not None:
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self.failures.remove(failure)
                return failure.error()
        return None
