"""Keep aiogram's per-method response models alive for the life of the process.

aiogram validates every Bot API answer with `Response[method.__returning__]`; pydantic caches such
parametrised models only weakly, so they are garbage-collected and rebuilt — about 14 ms each on a
slow core, a fifth of the bot's CPU per update in `bench/questionnaire.py`. Building the few the
bot calls once, and holding them, turns that into a dictionary lookup.
"""

from __future__ import annotations

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
