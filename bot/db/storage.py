"""aiogram FSM storage kept in the application's own database.

This is what makes dialogs survive `kill -9`: aiogram-dialog keeps its stacks and contexts in FSM
data, so once they live in SQLite (or PostgreSQL) a restarted bot continues every open dialog.

While an update is being handled, the storage works inside that update's session: the dialog's
position and the answer it recorded commit together (or roll back together) — before the next
screen is sent, see the transaction policy in `bot.db.middleware` — and on SQLite a second
connection would wait for the update's own write lock. Outside an update (background managers) each
call is its own short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import Table, bindparam, select
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql import Executable

from bot.db.dialect import insert_for
from bot.db.models import FSMRecord

_table = cast(Table, FSMRecord.__table__)

EMPTY = "{}"


@dataclass
class UpdateScope:
    """What one update shares with the storage: its session, and the rows already read or written.

    aiogram-dialog reads the same stack and context several times per update and writes them back
    even when nothing changed; remembering rows for the update's duration turns those into no-ops,
    which matters on SQLite, where every write queues for the one write lock.
    """

    session: AsyncSession
    rows: dict[str, tuple[str | None, str]] = field(default_factory=dict)


#: The scope of the update being handled; set by `DatabaseMiddleware`.
update_scope: ContextVar[UpdateScope | None] = ContextVar("update_scope", default=None)


class SQLStorage(BaseStorage):
    def __init__(self, engine: AsyncEngine, key_builder: KeyBuilder | None = None) -> None:
        self._engine = engine
        self._keys = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        # Built once and run with parameters: building a statement costs more than running it.
        self._select = select(_table.c.state, _table.c.data).where(_table.c.key == bindparam("key"))
        insert = insert_for(engine.dialect.name)(_table)
        self._upsert = insert.on_conflict_do_update(
            index_elements=[_table.c.key],
            set_={"state": insert.excluded.state, "data": insert.excluded.data},
        )

    async def _execute(self, statement: Executable, params: dict[str, Any]) -> Result[Any]:
        scope = update_scope.get()
        if scope is not None:
            # The session's own connection and transaction, without the ORM's per-statement work
            # (FSM rows are never ORM objects, so there is nothing to flush first).
            connection = await scope.session.connection()
            return await connection.execute(statement, params)
        async with self._engine.begin() as connection:
            return await connection.execute(statement, params)

    async def _row(self, key: str) -> tuple[str | None, str]:
        scope = update_scope.get()
        if scope is not None and key in scope.rows:
            return scope.rows[key]
        result = await self._execute(self._select, {"key": key})
        found = result.one_or_none()
        row = (found.state, found.data) if found is not None else (None, EMPTY)
        if scope is not None:
            scope.rows[key] = row
        return row

    async def _write(self, key: str, state: str | None, data: str) -> None:
        scope = update_scope.get()
        if scope is not None and scope.rows.get(key) == (state, data):
            return
        await self._execute(self._upsert, {"key": key, "state": state, "data": data})
        if scope is not None:
            scope.rows[key] = (state, data)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = self._keys.build(key)
        _, data = await self._row(name)
        await self._write(name, state.state if isinstance(state, State) else state, data)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self._row(self._keys.build(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        name = self._keys.build(key)
        state, _ = await self._row(name)
        await self._write(name, state, json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, raw = await self._row(self._keys.build(key))
        data: dict[str, Any] = json.loads(raw)
        return data

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""
