"""aiogram's Telegram types built on first use instead of all at import.

`import aiogram` builds a pydantic validator for every one of its ~400 Telegram types —
`aiogram.types` calls `model_rebuild` on each although the types ask for `defer_build` — and each
validator carries its own copy of every type it can contain. That is about 110 MB of the bot's RSS
and several seconds of start-up on a slow core, for a bot that receives a few kinds of update and
calls a dozen methods. Here that eager rebuild is skipped and the namespace aiogram passes to it is
kept; pydantic then builds a type the first time it is used (its own deferred build), with that
namespace, so forward references resolve exactly as in aiogram's rebuild. Validation itself is the
same once a type is built.

Must run before anything imports aiogram — `bot/__init__.py` calls it, so every entry point
(`python -m bot`, the sandbox, the tests) gets it; once aiogram is imported it does nothing.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel

_TYPES_MODULE = "aiogram.types"


def defer_aiogram_types() -> bool:
    """Import aiogram with its types' validators deferred; False if aiogram was imported already."""
    if "aiogram" in sys.modules:
        return False
    eager = BaseModel.__dict__["model_rebuild"]
    rebuild = eager.__func__
    namespace: dict[str, Any] = {}

    def skip_eager(cls: type[BaseModel], /, **kwargs: Any) -> bool | None:
        types_namespace = kwargs.get("_types_namespace")
        if types_namespace is not None and cls.__module__.startswith(_TYPES_MODULE):
            namespace.update(types_namespace)  # the same mapping for every type: all of them
            return None
        result: bool | None = rebuild(cls, **kwargs)
        return result

    setattr(BaseModel, "model_rebuild", classmethod(skip_eager))  # noqa: B010 - mypy: method-assign
    try:
        import aiogram  # noqa: F401 - this import is the point
    finally:
        setattr(BaseModel, "model_rebuild", eager)  # noqa: B010

    from aiogram.methods.base import Response, TelegramMethod
    from aiogram.types.base import TelegramObject

    def with_types(
        cls: type[BaseModel],
        /,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: dict[str, Any] | None = None,
    ) -> bool | None:
        """What pydantic calls on a type's first use: resolve names in aiogram's namespace, not
        in whatever frame happens to be five levels up the stack."""
        result: bool | None = rebuild(
            cls,
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=0,
            _types_namespace={**namespace, **(_types_namespace or {})},
        )
        return result

    for base in (TelegramObject, TelegramMethod, Response):
        setattr(base, "model_rebuild", classmethod(with_types))  # noqa: B010
    return True
