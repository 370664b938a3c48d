"""aiogram FSM storage kept in the application's own database.

This is what makes dialogs survive `kill -9`: aiogram-dialog keeps its stacks and contexts in FSM
data, so once they live in SQLite (or PostgreSQL) a restarted bot continues every open dialog.

While an update is being handled, the storage works inside that update's session: the dialog's
position and the answer it recorded commit together (or roll back together), and on SQLite a second
connection would wait for the update's own write lock. Outside an update (background managers) each
call is its own short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import Table, select
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql import Executable

from bot.db.dialect import insert_for
from bot.db.models import FSMRecord

_table = cast(Table, FSMRecord.__table__)

#: The session of the update being handled; set by `DatabaseMiddleware`.
update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)


class SQLStorage(BaseStorage):
    def __init__(self, engine: AsyncEngine, key_builder: KeyBuilder | None = None) -> None:
        self._engine = engine
        self._keys = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        self._insert = insert_for(engine.dialect.name)

    async def _upsert(self, key: StorageKey, values: dict[str, Any]) -> None:
        statement = self._insert(_table).values(key=self._keys.build(key), **values)
        statement = statement.on_conflict_do_update(index_elements=[_table.c.key], set_=values)
        await self._execute(statement)

    async def _execute(self, statement: Executable) -> Result[Any]:
        session = update_session.get()
        if session is not None:
            return await session.execute(statement)
        async with self._engine.begin() as connection:
            return await connection.execute(statement)

    async def _fetch(self, column: str, key: StorageKey) -> Any:
        result = await self._execute(
            select(_table.c[column]).where(_table.c.key == self._keys.build(key))
        )
        return result.scalar_one_or_none()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._upsert(key, {"state": value})

    async def get_state(self, key: StorageKey) -> str | None:
        state: str | None = await self._fetch("state", key)
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._upsert(key, {"data": json.dumps(dict(data), ensure_ascii=False)})

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        raw = await self._fetch("data", key)
        return json.loads(raw) if raw else {}

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""
