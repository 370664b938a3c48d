"""The sandbox's web chat: two simulated Telegram users (specialist and client) talking to the bot.

It runs in the same process as the built-in Bot API server and reads and changes the same
:class:`~.botapi.BotState`: typing in a pane injects that person's message, a button press a
callback query. The page (``static/``) loads both histories from ``/api/state`` and then follows
``/api/events``, a server-sent event stream of the state's own events, so a reload or a second tab
shows the same chats. It renders what the bot sent from Telegram's text and entities, never from
HTML, so nothing a person types can become markup.

Only loopback clients are served (``Host`` must be a loopback name) and every change is a JSON
POST, which a foreign web page cannot send without a CORS pre-flight this app never allows.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.clock import FileOffsetClock

from .botapi.control import inject_message, press_button, text_message
from .botapi.state import JSON, ApiError, BotState, Event, StoredMessage

STATIC = Path(__file__).with_name("static")
TEXT_LIMIT = 4096  # what Telegram lets a person send in one message
HEARTBEAT = 15.0  # seconds between SSE comments, so proxies and browsers keep the stream open
TIME_STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}
_SHOWN = frozenset({"message", "edit", "delete", "callback_answer"})
_LOOPBACK_NAMES = frozenset({"localhost"})


@dataclass(frozen=True)
class Person:
    """A pane of the page: the role it plays and the Telegram ``User`` who types in it."""

    role: str  # specialist | client
    user: JSON

    @property
    def id(self) -> int:
        return int(self.user["id"])


class SandboxWeb:
    """The page, its JSON API and its event stream for one bot of the built-in Bot API."""

    def __init__(
        self, bot: Callable[[], BotState], people: Sequence[Person], clock: FileOffsetClock
    ) -> None:
        self._bot = bot
        self.people = {person.role: person for person in people}
        self._chats = {person.id: person.role for person in people}
        self.clock = clock
        self._streams: set[asyncio.Queue[Event]] = set()
        self.app = web.Application(middlewares=[_loopback_only])
        self.app.router.add_get("/", self._index)
        self.app.router.add_static("/static/", STATIC)
        self.app.router.add_get("/api/state", self._state)
        self.app.router.add_get("/api/events", self._events)
        self.app.router.add_get("/api/files/{file_id}", self._file)
        self.app.router.add_get("/api/{role}/commands", self._with_person(self._commands))
        self.app.router.add_post("/api/{role}/message", self._with_person(self._message))
        self.app.router.add_post("/api/{role}/press", self._with_person(self._press))
        self.app.router.add_post("/api/clock", self._advance_clock)
        self.app.on_shutdown.append(self._close_streams)

    # --- reading --------------------------------------------------------------------------
    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def _state(self, request: web.Request) -> web.Response:
        bot = self._bot()
        return web.json_response(
            {
                "seq": bot.last_seq,
                "bot": bot.user,
                "clock": self._clock_json(),
                "people": {
                    role: {
                        "user": person.user,
                        "messages": [_view(m) for m in _messages(bot, person.id) if not m.deleted],
                    }
                    for role, person in self.people.items()
                },
            }
        )

    async def _file(self, request: web.Request) -> web.Response:
        """A file the bot sent (the brief's PDF, a chart), shown inline under its own name."""
        try:
            stored = self._bot().file(request.match_info["file_id"])
        except ApiError:
            raise web.HTTPNotFound() from None
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type or "application/octet-stream",
            headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"},
        )

    async def _commands(self, person: Person, request: web.Request) -> web.Response:
        """The menu Telegram would show this person: the most specific scope and language the
        bot registered with ``setMyCommands``."""
        commands = self._bot().commands
        language = person.user.get("language_code") or ""
        scopes = ({"type": "chat", "chat_id": person.id}, {"type": "all_private_chats"})
        for scope in (*scopes, {"type": "default"}):
            key = json.dumps(scope, sort_keys=True)
            for code in dict.fromkeys((language, "")):
                if (key, code) in commands:
                    return web.json_response(commands[key, code])
        return web.json_response([])

    # --- acting ---------------------------------------------------------------------------
    async def _message(self, person: Person, request: web.Request) -> web.Response:
        text = (await _json_body(request)).get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("type a message first")
        if len(text.encode("utf-16-le")) // 2 > TEXT_LIMIT:
            raise _bad(f"Telegram takes at most {TEXT_LIMIT} characters in one message")
        message, _ = inject_message(self._bot(), person.user, text_message(text))
        return web.json_response(_view(message))

    async def _press(self, person: Person, request: web.Request) -> web.Response:
        body = await _json_body(request)
        message_id, data = body.get("message_id"), body.get("data")
        if not isinstance(message_id, int) or not isinstance(data, str):
            raise _bad("a press needs the message_id and the button's data")
        try:
            query_id, _, _ = press_button(
                self._bot(), person.user, message_id=message_id, data=data
            )
        except ApiError as error:
            raise _bad(error.description) from None
        return web.json_response({"callback_query_id": query_id})

    async def _advance_clock(self, request: web.Request) -> web.Response:
        step = (await _json_body(request)).get("step")
        if step not in TIME_STEPS:
            raise _bad(f"step must be one of {', '.join(TIME_STEPS)}")
        self.clock.advance(TIME_STEPS[step])
        event = Event(self._bot().last_seq, "clock", None, self._clock_json())
        for stream in self._streams:
            stream.put_nowait(event)
        return web.json_response(event.data)

    def _clock_json(self) -> JSON:
        return {
            "now": self.clock.now().isoformat(),
            "offset_seconds": self.clock.offset().total_seconds(),
        }

    # --- the event stream -----------------------------------------------------------------
    async def _events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events after ``Last-Event-ID`` (a reconnect) or ``?after=`` (a page that
        has just loaded the state with that ``seq``): first the missed ones from the state's
        log, then live ones. ``resync`` asks the page to reload when the log no longer reaches
        back that far."""
        after = int(request.headers.get("Last-Event-ID") or request.query.get("after") or 0)
        bot = self._bot()
        queue = bot.subscribe()
        self._streams.add(queue)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        try:
            await response.prepare(request)
            sent = after
            if bot.events and bot.events[0].seq > after + 1:
                await _send(response, Event(bot.last_seq, "resync", None, {}), None)
                sent = bot.last_seq
            for event in await bot.events_after(after, 0):
                sent = await self._forward(response, event, sent)
            while True:
                try:
                    live = await asyncio.wait_for(queue.get(), HEARTBEAT)
                except TimeoutError:
                    await response.write(b": heartbeat\n\n")
                    continue
                if live.kind == "closed":
                    break
                sent = await self._forward(response, live, sent)
        except ConnectionResetError:
            pass  # the tab was closed
        finally:
            self._streams.discard(queue)
            bot.unsubscribe(queue)
        return response

    async def _forward(self, response: web.StreamResponse, event: Event, sent: int) -> int:
        """Send ``event`` if the page shows it and has not had it; returns the newest seq sent."""
        if event.kind == "clock":
            await _send(response, event, event.data)
            return sent
        if event.seq <= sent:
            return sent
        if event.kind == "reset":
            await _send(response, event, {})
        elif event.kind in _SHOWN and event.chat_id in self._chats:
            role = self._chats[event.chat_id]
            data = event.data
            if event.kind == "callback_answer":
                payload = {"text": data.get("text"), "show_alert": data.get("show_alert", False)}
            else:
                payload = _view_json(data)
            await _send(response, event, {"role": role} | payload)
        return event.seq

    async def _close_streams(self, app: web.Application) -> None:
        closed = Event(self._bot().last_seq, "closed", None, {})
        for stream in self._streams:
            stream.put_nowait(closed)

    def _with_person(
        self, handler: Callable[[Person, web.Request], Awaitable[web.Response]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapped(request: web.Request) -> web.Response:
            person = self.people.get(request.match_info["role"])
            if person is None:
                raise web.HTTPNotFound()
            return await handler(person, request)

        return wrapped


def _messages(bot: BotState, chat_id: int) -> list[StoredMessage]:
    chat = bot.chats.get(chat_id)
    return list(chat.messages.values()) if chat else []


def _view(message: StoredMessage) -> JSON:
    return _view_json(message.to_json())


def _view_json(stored: JSON) -> JSON:
    """What the page needs of a stored message: Telegram's ``Message`` and who sent it."""
    return {
        "message_id": stored["message_id"],
        "outgoing": stored["outgoing"],
        "deleted": stored["deleted"],
        "message": stored["message"],
    }


async def _send(response: web.StreamResponse, event: Event, data: Any) -> None:
    payload = json.dumps({"seq": event.seq, "kind": event.kind, "data": data}, ensure_ascii=False)
    await response.write(f"id: {event.seq}\ndata: {payload}\n\n".encode())


async def _json_body(request: web.Request) -> JSON:
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="send JSON")
    with contextlib.suppress(ValueError):
        body = await request.json()
        if isinstance(body, dict):
            return body
    raise _bad("send a JSON object")


def _bad(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=json.dumps({"error": reason}, ensure_ascii=False), content_type="application/json"
    )


@web.middleware
async def _loopback_only(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Refuse a request whose ``Host`` is not a loopback name: a web page the browser fetched
    from elsewhere cannot reach the sandbox by pointing its own domain at 127.0.0.1."""
    if not _is_loopback_host(request.host or ""):
        raise web.HTTPForbidden(text="the sandbox answers on loopback addresses only")
    return await handler(request)


def _is_loopback_host(host: str) -> bool:
    """``Host`` header → is it ``localhost`` or a loopback IP (``[::1]:8080`` included)?"""
    name = host[1:].split("]", 1)[0] if host.startswith("[") else host.rsplit(":", 1)[0]
    if name.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
