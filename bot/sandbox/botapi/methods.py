"""The Bot API methods the fake server answers, validated the way Telegram validates them.

Each handler reads typed parameters, checks them with Telegram's limits and wording, and changes
the :class:`~.state.BotState`. Answers must validate against aiogram's pydantic types. Handlers
must never touch HTTP or sleep; only ``getUpdates`` waits, on an asyncio event.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import mimetypes
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from .htmltext import HtmlParseError, parse_html, utf16_len
from .images import image_size
from .params import Params, Upload
from .state import JSON, ApiError, BotState, StoredFile, StoredMessage, Webhook, bad_request

Handler = Callable[[BotState, Params], Awaitable[Any]]
METHODS: dict[str, Handler] = {}

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = handler  # Telegram method names are case-insensitive
        return handler

    return register


# --- shared validation ---------------------------------------------------------------------
def formatted(p: Params, field: str, *, limit: int, required: bool) -> tuple[str, list[JSON]]:
    """Visible text and entities of ``field`` after ``parse_mode``, trimmed as Telegram does.

    Only HTML is parsed; Markdown modes are counted as typed (the project uses HTML only).
    """
    source = p.get_str(field) or ""
    parse_mode = (p.get_str("parse_mode") or "").lower()
    if parse_mode == "html":
        try:
            text, entities = parse_html(source)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif not parse_mode:
        text = source
        entities = p.get_json("entities" if field == "text" else "caption_entities") or []
    elif parse_mode in {"markdown", "markdownv2"}:
        text, entities = source, []
    else:
        raise bad_request(f"unsupported parse_mode {p.get_str('parse_mode')!r}")
    stripped = text.strip()
    if stripped != text:
        shift, end = utf16_len(text) - utf16_len(text.lstrip()), utf16_len(stripped)
        moved = []
        for entity in entities:
            start = max(entity["offset"] - shift, 0)
            stop = min(entity["offset"] + entity["length"] - shift, end)
            if stop > start:
                moved.append(entity | {"offset": start, "length": stop - start})
        text, entities = stripped, moved
    if not text and required:
        raise bad_request("message text is empty")
    if len(text) > limit:
        raise bad_request(
            "message is too long" if field == "text" else "message caption is too long"
        )
    return text, entities


def reply_markup(p: Params) -> JSON | None:
    markup = p.get_json("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for button in _buttons(markup["inline_keyboard"]):
            actions = _BUTTON_ACTIONS & button.keys()
            if not actions:
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            size = len(str(data).encode())
            if "callback_data" in actions and not 0 < size <= CALLBACK_DATA_LIMIT:
                raise bad_request("BUTTON_DATA_INVALID")
    elif "keyboard" in markup:
        _buttons(markup["keyboard"])
    elif not markup.get("remove_keyboard") and not markup.get("force_reply"):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _buttons(rows: Any) -> list[JSON]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    buttons = [{"text": b} if isinstance(b, str) else b for b in itertools.chain(*rows)]
    for button in buttons:
        if not isinstance(button, dict) or not button.get("text"):
            raise bad_request("BUTTON_TEXT_INVALID")
    return buttons


def text_content(text: str, entities: list[JSON], field: str = "text") -> JSON:
    entities_field = "entities" if field == "text" else "caption_entities"
    return {field: text, entities_field: entities or None} if text else {field: None}


def inline_only(markup: JSON | None) -> JSON:
    """Telegram echoes only inline keyboards inside the returned Message."""
    return {"reply_markup": markup if markup and "inline_keyboard" in markup else None}


def link_preview(p: Params) -> JSON:
    options = p.get_json("link_preview_options")
    if options is None and p.get_bool("disable_web_page_preview"):
        options = {"is_disabled": True}
    return {"link_preview_options": options}


def compact(data: JSON) -> JSON:
    return {key: value for key, value in data.items() if value is not None}


def own_message(bot: BotState, p: Params, missing: str) -> StoredMessage:
    if p.get_str("inline_message_id"):
        raise bad_request("inline messages are not supported by the fake Bot API")
    message = bot.find_message(p.chat_id(), p.required_int("message_id"), missing)
    if not message.outgoing:
        raise bad_request("message can't be edited")
    return message


def send(bot: BotState, p: Params, make_content: Callable[[], JSON]) -> JSON:
    """Validate the chat and markup first, so a refused call stores no uploaded file."""
    chat = bot.chat(p.chat_id())
    markup = reply_markup(p)
    content = compact(make_content() | inline_only(markup) | link_preview(p))
    if p.get_bool("protect_content"):
        content["has_protected_content"] = True
    message = bot.add_message(
        chat,
        bot.user,
        content,
        source_text=p.get_str("text") or p.get_str("caption"),
        parse_mode=p.get_str("parse_mode"),
        reply_markup=markup,
    )
    return message.data


# --- files ---------------------------------------------------------------------------------
def document(bot: BotState, source: Upload | str) -> JSON:
    stored = _stored(bot, source, "documents")
    return compact(
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": len(stored.data),
        }
    )


def photo(bot: BotState, source: Upload | str) -> list[JSON]:
    data = source.data if isinstance(source, Upload) else bot.file(source).data
    size = image_size(data)
    if size is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    stored = _stored(bot, source, "photos")
    width, height = size
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
            "file_size": len(stored.data),
        }
    ]


def _stored(bot: BotState, source: Upload | str, folder: str) -> StoredFile:
    if isinstance(source, str):
        if source.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        return bot.file(source)
    guessed = mimetypes.guess_type(source.filename)[0]
    mime = guessed or source.content_type
    return bot.store_file(source.data, folder, source.filename, mime)


# --- methods -------------------------------------------------------------------------------
@method("getMe")
async def get_me(bot: BotState, p: Params) -> JSON:
    return bot.user


@method("getUpdates")
async def get_updates(bot: BotState, p: Params) -> list[JSON]:
    if bot.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = p.get_int("offset")
    if offset is not None:
        bot.confirm(offset)
    allowed = p.get_json("allowed_updates")
    if allowed is not None:
        bot.allowed_updates = frozenset(allowed) or None
    await bot.wait_updates(p.get_int("timeout") or 0)
    limit = min(max(p.get_int("limit") or 100, 1), 100)
    updates = list(itertools.islice(bot.pending, limit))
    bot.mark_served(updates)
    return updates


@method("setWebhook")
async def set_webhook(bot: BotState, p: Params) -> bool:
    url = p.get_str("url") or ""
    if not url:
        await delete_webhook(bot, p)
        return True
    parts = urlsplit(url)
    host = parts.hostname or ""
    loopback = host == "localhost" or _is_loopback_ip(host)
    if parts.scheme not in {"http", "https"} or not loopback:
        raise bad_request("bad webhook: the fake Bot API delivers only to loopback addresses")
    if p.get_bool("drop_pending_updates"):
        bot.pending.clear()
    allowed = p.get_json("allowed_updates")
    if allowed is not None:
        bot.allowed_updates = frozenset(allowed) or None
    bot.webhook = Webhook(url=url, secret_token=p.get_str("secret_token"))
    bot.wake()
    return True


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@method("deleteWebhook")
async def delete_webhook(bot: BotState, p: Params) -> bool:
    bot.webhook = None
    if p.get_bool("drop_pending_updates"):
        bot.pending.clear()
    bot.wake()
    return True


@method("getWebhookInfo")
async def get_webhook_info(bot: BotState, p: Params) -> JSON:
    hook = bot.webhook
    info: JSON = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.pending),
    }
    if hook:
        info |= compact(
            {
                "max_connections": 40,
                "last_error_date": hook.last_error_date,
                "last_error_message": hook.last_error_message,
                "allowed_updates": sorted(bot.allowed_updates) if bot.allowed_updates else None,
            }
        )
    return info


@method("sendMessage")
async def send_message(bot: BotState, p: Params) -> JSON:
    text, entities = formatted(p, "text", limit=TEXT_LIMIT, required=True)
    return send(bot, p, lambda: text_content(text, entities))


@method("sendDocument")
async def send_document(bot: BotState, p: Params) -> JSON:
    caption, entities = formatted(p, "caption", limit=CAPTION_LIMIT, required=False)
    caption_content = text_content(caption, entities, "caption")
    return send(bot, p, lambda: {"document": document(bot, p.file("document"))} | caption_content)


@method("sendPhoto")
async def send_photo(bot: BotState, p: Params) -> JSON:
    caption, entities = formatted(p, "caption", limit=CAPTION_LIMIT, required=False)
    caption_content = text_content(caption, entities, "caption")
    return send(bot, p, lambda: {"photo": photo(bot, p.file("photo"))} | caption_content)


@method("editMessageText")
async def edit_message_text(bot: BotState, p: Params) -> JSON:
    message = own_message(bot, p, "message to edit not found")
    if "text" not in message.data:
        raise bad_request("there is no text in the message to edit")
    text, entities = formatted(p, "text", limit=TEXT_LIMIT, required=True)
    changes = text_content(text, entities) | inline_only(reply_markup(p))
    if p.get_json("link_preview_options") or p.get_bool("disable_web_page_preview"):
        changes |= link_preview(p)
    source = p.get_str("text")
    return bot.edit_message(
        message, changes, source_text=source, parse_mode=p.get_str("parse_mode")
    ).data


@method("editMessageCaption")
async def edit_message_caption(bot: BotState, p: Params) -> JSON:
    message = own_message(bot, p, "message to edit not found")
    if "text" in message.data:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = formatted(p, "caption", limit=CAPTION_LIMIT, required=False)
    changes = text_content(caption, entities, "caption") | inline_only(reply_markup(p))
    source = p.get_str("caption") or ""
    return bot.edit_message(
        message, changes, source_text=source, parse_mode=p.get_str("parse_mode")
    ).data


@method("editMessageMedia")
async def edit_message_media(bot: BotState, p: Params) -> JSON:
    message = own_message(bot, p, "message to edit not found")
    if "text" in message.data:
        raise bad_request("there is no media in the message to edit")
    media = p.get_json("media")
    if not isinstance(media, dict) or media.get("type") not in {"photo", "document"}:
        raise bad_request("unsupported media type for the fake Bot API")
    nested = Params(dict(p.values) | {key: value for key, value in media.items() if key != "type"})
    caption, entities = formatted(nested, "caption", limit=CAPTION_LIMIT, required=False)
    source = nested.file("media")
    new_media = photo(bot, source) if media["type"] == "photo" else document(bot, source)
    changes = {"photo": None, "document": None, media["type"]: new_media}
    changes |= text_content(caption, entities, "caption") | inline_only(reply_markup(p))
    source_text = nested.get_str("caption") or ""
    parse_mode = nested.get_str("parse_mode")
    return bot.edit_message(message, changes, source_text=source_text, parse_mode=parse_mode).data


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(bot: BotState, p: Params) -> JSON:
    message = own_message(bot, p, "message to edit not found")
    return bot.edit_message(message, inline_only(reply_markup(p))).data


@method("deleteMessage")
async def delete_message(bot: BotState, p: Params) -> bool:
    chat_id, message_id = p.chat_id(), p.required_int("message_id")
    bot.delete_message(bot.find_message(chat_id, message_id, "message to delete not found"))
    return True


@method("answerCallbackQuery")
async def answer_callback_query(bot: BotState, p: Params) -> bool:
    answer = {
        "text": p.get_str("text"),
        "show_alert": p.get_bool("show_alert"),
        "url": p.get_str("url"),
        "cache_time": p.get_int("cache_time") or 0,
    }
    bot.answer_query(p.required_str("callback_query_id"), answer)
    return True


def _commands_key(p: Params) -> tuple[str, str]:
    scope = p.get_json("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.get_str("language_code") or ""


@method("setMyCommands")
async def set_my_commands(bot: BotState, p: Params) -> bool:
    commands = p.get_json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not _COMMAND.fullmatch(str(command.get("command", "")).lstrip("/")):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    key = _commands_key(p)
    if commands:
        bot.commands[key] = [
            {"command": c["command"].lstrip("/"), "description": c["description"]} for c in commands
        ]
    else:
        bot.commands.pop(key, None)
    return True


@method("getMyCommands")
async def get_my_commands(bot: BotState, p: Params) -> list[JSON]:
    return bot.commands.get(_commands_key(p), [])


@method("deleteMyCommands")
async def delete_my_commands(bot: BotState, p: Params) -> bool:
    bot.commands.pop(_commands_key(p), None)
    return True


@method("getFile")
async def get_file(bot: BotState, p: Params) -> JSON:
    return bot.file(p.required_str("file_id")).to_file()


@method("sendChatAction")
async def send_chat_action(bot: BotState, p: Params) -> bool:
    chat = bot.chat(p.chat_id())
    action = p.get_str("action")
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    record = {"chat_id": chat.id, "action": action, "date": int(time.time())}
    bot.chat_actions.append(record)
    bot.publish("chat_action", chat.id, record)
    return True


@method("setChatMenuButton")
async def set_chat_menu_button(bot: BotState, p: Params) -> bool:
    button = p.get_json("menu_button") or {"type": "default"}
    if p.get_str("chat_id"):
        bot.chat(p.chat_id()).menu_button = button
    else:
        bot.menu_button = button
    return True


@method("getChatMenuButton")
async def get_chat_menu_button(bot: BotState, p: Params) -> JSON:
    if p.get_str("chat_id"):
        return bot.chat(p.chat_id()).menu_button or bot.menu_button
    return bot.menu_button


@method("getChat")
async def get_chat(bot: BotState, p: Params) -> JSON:
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    accepted = dict.fromkeys(gifts, True) | {"gifts_from_channels": False}
    chat = bot.chat(p.chat_id())
    return chat.info | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": accepted,
    }
