"""A button pressed a moment too early is tried once more instead of being called stale.

A screen reaches the person as soon as the bot sends it, but the dialog state behind it is
committed only when the update that drew it ends. A quick tap (or a slow machine) can land in
between and find no dialog yet (aiogram-dialog's `UnknownIntent` / `OutdatedIntent`). This
middleware, outside the database one so the retry gets a fresh session, waits a moment and
handles the press again; a second miss goes on to the error router, which says the button no
longer works.

The chain below writes into the data it is given (the FSM storage, the session, the user), and
aiogram's error middleware, outside this one, hands the *same* dict to the error handlers —
aiogram-dialog's among them needs `fsm_storage`. So the data is never copied: what the retry must
not inherit is taken back out of the one dict instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

#: Longer than an update takes to commit on a busy machine, shorter than a person notices.
RETRY_DELAY = 0.3


class EarlyPressRetry(BaseMiddleware):
    def __init__(self, delay: float = RETRY_DELAY) -> None:
        self._delay = delay

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update) or event.callback_query is None:
            return await handler(event, data)
        outer = dict(data)
        try:
            return await handler(event, data)
        except (UnknownIntent, OutdatedIntent):
            _restore(data, outer)
            await asyncio.sleep(self._delay)
            return await handler(event, data)


def _restore(data: dict[str, Any], outer: dict[str, Any]) -> None:
    """Back to what the outer middlewares passed in: the first try's session, dialog stack and
    the rest are gone, so the retry loads everything afresh."""
    data.clear()
    data.update(outer)
