"""Where every failed update ends: a reply, never silence.

Four kinds of failure, four answers:
- a button of a project the person is not in (forwarded, stale or forged) is a refusal, not a
  fault: a short alert, a WARNING naming who pressed what, no traceback;
- a press whose data is not a button of the pressed message (typed or tampered data a handler
  could not make sense of) is refused the same way: the button does not work;
- a button of a dialog that is closed or not theirs says it no longer works;
- anything else is our fault: the traceback is logged, the pressed button stops spinning, the
  person gets one sentence, and the step they were on is shown again so they can go on.

The handlers run in their own database session (`ErrorScope`): the failed update's session has
been rolled back and closed by then. When the database itself is what failed, they run without
one, and still answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, ErrorEvent, Message, TelegramObject, Update
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent
from aiogram_dialog.utils import remove_intent_id

from bot.db.middleware import DatabaseMiddleware
from bot.db.storage import update_scope
from bot.i18n import Translator, pick_language, translator
from bot.limits import ALERT_LIMIT, cut_plain
from bot.projects import AccessDenied
from bot.user_middleware import UserMiddleware
from ui.context import KEY as CONTEXT_KEY
from ui.context import ContextMiddleware
from ui.pressed import was_offered

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ErrorScope(BaseMiddleware):
    """What the error handlers need whatever failed: the FSM storage (aiogram-dialog's error
    middleware reads it to find the person's step; it is missing when the failure came before
    aiogram's FSM middleware ran) and a database session of their own — or none, if opening one
    is what fails — with the person loaded again and a fresh `ctx` on that session (the failed
    update's `ctx` holds its rolled-back session and is never passed on)."""

    def __init__(
        self,
        storage: BaseStorage,
        database: DatabaseMiddleware,
        users: UserMiddleware,
        context: ContextMiddleware,
    ) -> None:
        self._storage = storage
        self._database = database
        self._users = users
        self._context = context

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        data.setdefault("fsm_storage", self._storage)
        data.pop(CONTEXT_KEY, None)
        entered = False

        async def inside(event: TelegramObject, data: dict[str, Any]) -> Any:
            nonlocal entered
            entered = True
            return await handler(event, data)

        async def with_context(event: TelegramObject, data: dict[str, Any]) -> Any:
            return await self._context(inside, event, data)

        async def with_user(event: TelegramObject, data: dict[str, Any]) -> Any:
            return await self._users(with_context, event, data)

        try:
            return await self._database(with_user, event, data)
        except Exception:
            if entered:
                raise
            log.warning("handling a failed update without the database", exc_info=True)
            for stale in ("session", "user", "i18n"):  # the failed update's, closed or unloaded
                data.pop(stale, None)
            token = update_scope.set(None)  # dialog state in short transactions of its own
            try:
                return await handler(event, data)
            finally:
                update_scope.reset(token)


def _translator(event: ErrorEvent, default_language: str, i18n: Translator | None) -> Translator:
    """`i18n` is absent when the failure happened before the database middleware ran."""
    if i18n is not None:
        return i18n
    sender = getattr(event.update.event, "from_user", None)
    return translator(pick_language(sender.language_code if sender else None, default_language))


def _chat_id(update: Update) -> int | None:
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.message.chat.id
    return None


def describe(update: Update) -> str:
    """Who did what, for a log line: the sender's id and the pressed data or the command. Typed
    text is not logged — a /start argument is an invite token, other text is someone's answer."""
    if update.callback_query is not None:
        query = update.callback_query
        return f"user {query.from_user.id} pressed {query.data!r}"
    if update.message is not None:
        message = update.message
        sender = message.from_user.id if message.from_user else None
        text = message.text or ""
        if text.startswith("/"):
            command, _, argument = text.partition(" ")
            return f"user {sender} sent {command[:32]!r}" + (
                " with an argument" if argument else ""
            )
        return f"user {sender} sent a {message.content_type} message"
    return f"update {update.update_id} ({update.event_type})"


def _made_up(callback: CallbackQuery) -> bool:
    """A press on a message we can see whose data is none of its buttons: not our fault, but
    typed or tampered data a handler could not make sense of. (Telegram sends a message older
    than 48 hours without its keyboard; a failure there is a fault like any other.)"""
    return isinstance(callback.message, Message) and not was_offered(callback)


async def _alert(callback: CallbackQuery, text: str) -> None:
    """An alert on the pressed button; an answer Telegram refuses (too late) is only logged."""
    try:
        await callback.answer(cut_plain(text, ALERT_LIMIT), show_alert=True)
    except TelegramAPIError as error:
        log.warning("could not answer callback %s: %s", callback.id, error)


async def on_error(
    event: ErrorEvent,
    bot: Bot,
    default_language: str,
    i18n: Translator | None = None,
    dialog_manager: DialogManager | None = None,
) -> None:
    update = event.update
    i18n = _translator(event, default_language, i18n)
    callback = update.callback_query
    if callback is not None and _made_up(callback):
        log.warning(
            "refused: %s (no button of that message; %s: %s)",
            describe(update),
            type(event.exception).__name__,
            event.exception,
        )
        await _alert(callback, i18n("fallback.broken_button"))
        return
    log.error("update %s failed: %s", update.update_id, describe(update), exc_info=event.exception)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramAPIError as error:
            log.warning("could not answer callback %s: %s", update.callback_query.id, error)
    chat_id = _chat_id(update)
    if chat_id is None:
        return
    try:
        await bot.send_message(chat_id, i18n("errors.generic"))
    except TelegramAPIError:
        log.warning("could not tell chat about the failure of update %s", update.update_id)
        return
    await _show_step_again(dialog_manager, update)


def _was_for_a_step(update: Update) -> bool:
    """A press on a dialog's button or a typed answer; not a command, nor a button of a brief or a
    reminder, whose message keeps its buttons rather than giving them up to a step shown anew."""
    if update.callback_query is not None:
        return remove_intent_id(update.callback_query.data or "")[0] is not None
    return update.message is not None and not (update.message.text or "").startswith("/")


async def _show_step_again(manager: DialogManager | None, update: Update) -> None:
    """The step the person was on, as a new message under the apology. Its state is what the
    database holds after the failed update rolled back, so screen and state agree again. A step
    that cannot be drawn is left alone: the apology already says to send /start."""
    if manager is None or not _was_for_a_step(update) or not manager.has_context():
        return
    try:
        await manager.show(ShowMode.SEND)
    except Exception:
        log.warning(
            "could not show the step again after update %s", update.update_id, exc_info=True
        )


async def on_access_denied(
    event: ErrorEvent, bot: Bot, default_language: str, i18n: Translator | None = None
) -> None:
    """A stale, forwarded or forged button or command for a project this person is not in: a
    refusal, logged as such — the authorization held, nothing is wrong with the bot."""
    update = event.update
    log.warning("refused: %s (not a member of that project)", describe(update))
    i18n = _translator(event, default_language, i18n)
    if update.callback_query is not None:
        await _alert(update.callback_query, i18n("access.foreign_button"))
        return
    chat_id = _chat_id(update)
    if chat_id is not None:
        try:
            await bot.send_message(chat_id, i18n("access.denied"))
        except TelegramAPIError:
            log.warning("could not refuse update %s", update.update_id)


async def on_stale_dialog(
    event: ErrorEvent, default_language: str, i18n: Translator | None = None
) -> None:
    """A button of a dialog that is closed or belongs to someone else: nothing happens, we say so."""
    update = event.update
    log.info("stale dialog button: %s", describe(update))
    i18n = _translator(event, default_language, i18n)
    if update.callback_query is not None:
        await _alert(update.callback_query, i18n("fallback.stale_button"))
    elif update.message is not None:
        await update.message.answer(i18n("fallback.message"))


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_stale_dialog, ExceptionTypeFilter(UnknownIntent, OutdatedIntent))
    router.errors.register(on_access_denied, ExceptionTypeFilter(AccessDenied))
    router.errors.register(on_error)
    return router
