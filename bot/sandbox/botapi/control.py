"""The test-control surface: simulated users act, tests read what the bot did.

Injection functions work on a :class:`~.state.BotState` directly (in-process tests, the sandbox's
web page) and :func:`add_routes` exposes them as JSON under ``/_test/`` so a server started as a
subprocess can be driven the same way. Nothing here is part of the real Bot API, and it must
never be reachable under a ``/bot<token>/`` path.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .images import image_size, make_png
from .state import (
    JSON,
    ApiError,
    BotState,
    ChatState,
    Failure,
    KillHook,
    StoredMessage,
    bad_request,
)

BotLookup = Callable[[str], BotState]


def sim_user(raw: Any) -> JSON:
    """A Telegram ``User`` for a simulated person from ``{"id", "first_name", ...}``."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), int):
        raise bad_request("user must be an object with an integer id")
    user = {"id": raw["id"], "is_bot": False, "first_name": raw.get("first_name") or "Test"}
    for key in ("last_name", "username", "language_code"):
        if raw.get(key):
            user[key] = raw[key]
    return user


def text_message(text: str) -> JSON:
    """A user's text; a leading ``/command`` gets the ``bot_command`` entity Telegram adds."""
    content: JSON = {"text": text}
    if text.startswith("/") and len(text) > 1:
        command = text.split(maxsplit=1)[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return content


def inject_message(
    bot: BotState, user: JSON, content: JSON, chat_id: int | None = None
) -> tuple[StoredMessage, JSON | None]:
    chat = bot.ensure_chat(user, chat_id)
    message = bot.add_message(chat, user, content)
    return message, bot.enqueue("message", message.data)


def inject_photo(
    bot: BotState, user: JSON, data: bytes, caption: str | None = None, chat_id: int | None = None
) -> tuple[StoredMessage, JSON | None]:
    size = image_size(data)
    if size is None:
        raise bad_request("photo must be a PNG, GIF or JPEG picture")
    stored = bot.store_file(data, "photos", "photo.png", "image/png")
    sizes = [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": size[0],
            "height": size[1],
            "file_size": len(data),
        }
    ]
    return inject_message(
        bot, user, {"photo": sizes, "caption": caption} if caption else {"photo": sizes}, chat_id
    )


def inject_sticker(
    bot: BotState, user: JSON, emoji: str, chat_id: int | None = None
) -> tuple[StoredMessage, JSON | None]:
    stored = bot.store_file(emoji.encode(), "stickers", "sticker.webp", "image/webp")
    sticker = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return inject_message(bot, user, {"sticker": sticker}, chat_id)


def press_button(
    bot: BotState,
    user: JSON,
    *,
    chat_id: int | None = None,
    message_id: int | None = None,
    data: str | None = None,
    button_text: str | None = None,
) -> tuple[str, StoredMessage, JSON | None]:
    """Press an inline button the bot showed: by ``message_id`` or the newest message that has
    it, choosing the button by ``data`` or ``button_text``. Returns the callback query id."""
    if (data is None) == (button_text is None):
        raise bad_request("give exactly one of data and button_text")
    chat = bot.chat(user["id"] if chat_id is None else chat_id)
    candidates = (
        [bot.find_message(chat.id, message_id, "message not found")]
        if message_id
        else [m for m in reversed(chat.messages.values()) if m.outgoing and not m.deleted]
    )
    for message in candidates:
        button = _find_button(message, data, button_text)
        if button is not None:
            return _callback(bot, chat, user, message, button["callback_data"])
    raise bad_request(f"no inline button with data={data!r} text={button_text!r}")


def _find_button(message: StoredMessage, data: str | None, text: str | None) -> JSON | None:
    markup = message.data.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if "callback_data" in button and (
                button["callback_data"] == data or button["text"] == text
            ):
                return dict(button)
    return None


def _callback(
    bot: BotState, chat: ChatState, user: JSON, message: StoredMessage, data: str
) -> tuple[str, StoredMessage, JSON | None]:
    query_id = bot.open_query(chat)
    query = {
        "id": query_id,
        "from": user,
        "message": message.data,
        "chat_instance": chat.chat_instance,
        "data": data,
    }
    return query_id, message, bot.enqueue("callback_query", query)


# --- HTTP routes ---------------------------------------------------------------------------
Route = Callable[[BotState, web.Request], Awaitable[Any]]


def add_routes(app: web.Application, bot_for: BotLookup, reset_all: Callable[[], None]) -> None:
    def route(handler: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            try:
                result = await handler(bot_for(request.match_info["token"]), request)
            except ApiError as error:
                return web.json_response(error.to_json(), status=error.code)
            except (KeyError, TypeError, ValueError) as error:
                failure = bad_request(f"malformed control call: {error!r}")
                return web.json_response(failure.to_json(), status=400)
            if isinstance(result, web.StreamResponse):
                return result
            return web.json_response(result)

        return wrapped

    async def reset_everything(request: web.Request) -> web.Response:
        reset_all()
        return web.json_response({"ok": True})

    prefix = "/_test/bot{token}"
    app.router.add_post("/_test/reset", reset_everything)
    for verb, path, handler in [
        ("POST", "/reset", _reset),
        ("POST", "/message", _message),
        ("POST", "/messages", _messages_batch),
        ("POST", "/callback", _press),
        ("POST", "/location", _location),
        ("POST", "/sticker", _sticker),
        ("POST", "/photo", _photo),
        ("GET", "/chats", _chats),
        ("GET", "/chats/{chat_id}/messages", _messages),
        ("GET", "/files/{file_id}", _file),
        ("GET", "/callback_answers", _answers),
        ("GET", "/chat_actions", _actions),
        ("GET", "/commands", _commands),
        ("GET", "/calls", _calls),
        ("GET", "/events", _events),
        ("POST", "/failures", _fail),
        ("DELETE", "/failures", _clear_failures),
    ]:
        app.router.add_route(verb, prefix + path, route(handler))


def add_kill_route(app: web.Application, bot_for: BotLookup) -> None:
    """``POST /_test/bot<token>/kill_hooks`` ``{"method", "pid", "nth", "chat_id"}`` arms a
    :class:`~.state.KillHook`; ``DELETE`` disarms them all. Only on a server built for crash tests."""

    async def arm(bot: BotState, request: web.Request) -> JSON:
        body = await _body(request)
        method, pid, nth = body.get("method"), body.get("pid"), body.get("nth", 1)
        chat_id = body.get("chat_id")
        if not isinstance(method, str) or not isinstance(pid, int) or pid <= 1:
            raise bad_request("a kill hook needs a method and the pid of the bot's process")
        if not isinstance(nth, int) or nth < 1 or not isinstance(chat_id, int | None):
            raise bad_request("nth is a positive integer and chat_id an integer")
        bot.kill_hooks.append(KillHook(method.lower(), pid, nth, chat_id))
        return {"ok": True}

    async def disarm(bot: BotState, request: web.Request) -> JSON:
        bot.kill_hooks.clear()
        return {"ok": True}

    path = "/_test/bot{token}/kill_hooks"

    def route(handler: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            try:
                return web.json_response(
                    await handler(bot_for(request.match_info["token"]), request)
                )
            except ApiError as error:
                return web.json_response(error.to_json(), status=error.code)

        return wrapped

    app.router.add_post(path, route(arm))
    app.router.add_delete(path, route(disarm))


async def _body(request: web.Request) -> JSON:
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("control calls take a JSON object") from None
    if not isinstance(body, dict):
        raise bad_request("control calls take a JSON object")
    return body


def _injected(bot: BotState, message: StoredMessage, update: JSON | None) -> JSON:
    return {
        "update_id": update["update_id"] if update else None,
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "seq": bot.last_seq,
    }


async def _reset(bot: BotState, request: web.Request) -> JSON:
    bot.reset()
    return {"ok": True}


def _inject_text(bot: BotState, body: JSON) -> JSON:
    text = body.get("text")
    if not isinstance(text, str) or not text:
        raise bad_request("text is required")
    user = sim_user(body.get("user"))
    return _injected(bot, *inject_message(bot, user, text_message(text), body.get("chat_id")))


async def _message(bot: BotState, request: web.Request) -> JSON:
    return _inject_text(bot, await _body(request))


async def _messages_batch(bot: BotState, request: web.Request) -> list[JSON]:
    """Many texts in one request, for load tests that need thousands of updates a second."""
    return [_inject_text(bot, item) for item in (await _body(request))["messages"]]


async def _location(bot: BotState, request: web.Request) -> JSON:
    body = await _body(request)
    location = {"latitude": float(body["latitude"]), "longitude": float(body["longitude"])}
    user = sim_user(body.get("user"))
    return _injected(bot, *inject_message(bot, user, {"location": location}, body.get("chat_id")))


async def _sticker(bot: BotState, request: web.Request) -> JSON:
    body = await _body(request)
    user = sim_user(body.get("user"))
    return _injected(
        bot, *inject_sticker(bot, user, body.get("emoji") or "👍", body.get("chat_id"))
    )


async def _photo(bot: BotState, request: web.Request) -> JSON:
    body = await _body(request)
    encoded = body.get("data_base64")
    data = base64.b64decode(encoded) if encoded else make_png()
    user = sim_user(body.get("user"))
    message, update = inject_photo(bot, user, data, body.get("caption"), body.get("chat_id"))
    return _injected(bot, message, update)


async def _press(bot: BotState, request: web.Request) -> JSON:
    body = await _body(request)
    query_id, message, update = press_button(
        bot,
        sim_user(body.get("user")),
        chat_id=body.get("chat_id"),
        message_id=body.get("message_id"),
        data=body.get("data"),
        button_text=body.get("button_text"),
    )
    return _injected(bot, message, update) | {"callback_query_id": query_id}


async def _chats(bot: BotState, request: web.Request) -> list[JSON]:
    return [
        {"chat": chat.info, "reply_keyboard": chat.reply_keyboard, "menu_button": chat.menu_button}
        for chat in bot.chats.values()
    ]


async def _messages(bot: BotState, request: web.Request) -> JSON:
    chat = bot.chat(int(request.match_info["chat_id"]))
    return {"seq": bot.last_seq, "messages": [m.to_json() for m in chat.messages.values()]}


async def _file(bot: BotState, request: web.Request) -> web.Response:
    stored = bot.file(request.match_info["file_id"])
    return web.Response(
        body=stored.data, content_type=stored.mime_type or "application/octet-stream"
    )


async def _answers(bot: BotState, request: web.Request) -> list[JSON]:
    return bot.callback_answers


async def _actions(bot: BotState, request: web.Request) -> list[JSON]:
    return bot.chat_actions


async def _commands(bot: BotState, request: web.Request) -> list[JSON]:
    return [
        {"scope": json.loads(scope), "language_code": language or None, "commands": commands}
        for (scope, language), commands in bot.commands.items()
    ]


async def _calls(bot: BotState, request: web.Request) -> JSON:
    since = int(request.query.get("since", "0"))
    return {"calls": [c.to_json() for c in bot.calls[since:]], "next": len(bot.calls)}


async def _events(bot: BotState, request: web.Request) -> JSON:
    after = int(request.query.get("after", "0"))
    wait = float(request.query.get("wait", "0"))
    events = await bot.events_after(after, min(wait, 60.0))
    return {"events": [e.to_json() for e in events], "seq": bot.last_seq}


async def _fail(bot: BotState, request: web.Request) -> JSON:
    body = await _body(request)
    kind = body.get("kind")
    if kind not in ("flood", "blocked") or not isinstance(body.get("method"), str):
        raise bad_request("a failure needs a method and kind 'flood' or 'blocked'")
    bot.failures.append(
        Failure(
            method=body["method"].lower(),
            kind=kind,
            remaining=body.get("count", 1),
            chat_id=body.get("chat_id"),
            retry_after=int(body.get("retry_after", 1)),
        )
    )
    return {"ok": True}


async def _clear_failures(bot: BotState, request: web.Request) -> JSON:
    bot.failures.clear()
    return {"ok": True}
