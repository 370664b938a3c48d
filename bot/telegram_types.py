"""Bot API answers validated cheaply: response models kept alive, and our own messages' echoes
left out.

aiogram validates every Bot API answer with `Response[method.__returning__]`; pydantic caches such
parametrised models only weakly, so they are garbage-collected and rebuilt — about 14 ms each on a
slow core, a fifth of the bot's CPU per update in `bench/questionnaire.py`. Building the few the
bot calls once, and holding them, turns that into a dictionary lookup.
"""

from __future__ import annotations

import json
from typing import Any

from aiogram import methods, types
from aiogram.methods.base import Response

HOT_METHODS = (
    methods.AnswerCallbackQuery,
    methods.DeleteMessage,
    methods.EditMessageReplyMarkup,
    methods.EditMessageText,
    methods.GetMe,
    methods.GetUpdates,
    methods.SendDocument,
    methods.SendMessage,
    methods.SendPhoto,
    methods.SetMyCommands,
)

#: Built first, on their own: a response model then reuses their schemas instead of generating
#: the whole graph of types under a message again for each response that holds one.
SHARED_TYPES = (types.Message, types.Update)


def pin_response_models() -> list[Any]:
    """Returns the models, built (aiogram's types are otherwise built on first use, see
    `bot.lean_aiogram`: not in the middle of the first update); whoever holds the list keeps
    them cached."""
    for shared in SHARED_TYPES:
        shared.model_rebuild()
    models = [Response[method.__returning__] for method in HOT_METHODS]  # type: ignore[name-defined]
    for model in models:
        model.model_rebuild()
    return models


#: What Telegram echoes back of a message the bot has just sent or edited: its keyboard and the
#: entities its HTML became.
ECHOED = ("reply_markup", "entities", "caption_entities")


def loads_without_echoes(content: str) -> Any:
    """The session's JSON loader: a message the bot sent or edited comes back without `ECHOED`.

    A returned message's keyboard and entities — ten buttons, each a pydantic model — took 120 µs
    of the 160 µs its validation costs, on every screen shown, for fields nobody reads:
    aiogram-dialog keeps the message id, chat and media of what it sent, and the bot knows its own
    keyboard (the guard digests it from the call). Only a single message as the whole result is
    trimmed; updates (a list) keep everything, as a pressed message's keyboard is what a press is
    checked against (`ui.pressed`)."""
    data = json.loads(content)
    result = data.get("result") if isinstance(data, dict) else None
    if isinstance(result, dict) and "message_id" in result and "chat" in result:
        for field in ECHOED:
            result.pop(field, None)
    return data
