"""aiogram FSM storage kept in the application's own database.

This is what makes dialogs survive `kill -9`: aiogram-dialog keeps its stacks and contexts in FSM
data, so once they live in SQLite (or PostgreSQL) a restarted bot continues every open dialog.

While an update is being handled, the storage works inside that update's session: the dialog's
position and the answer it recorded commit together (or roll back together) — before the next
screen is sent, see the transaction policy in `bot.db.middleware` — and on SQLite a second
connection would wait for the update's own write lock. Outside an update (background managers) each
call is its own short transaction.

Inside an update the storage costs two statements at most: the first read loads every row of the
person (their stack, their dialogs' contexts, the plain FSM state — aiogram-dialog reads them one
by one), and writes are kept in the update's scope and sent as one statement when the session
commits (`before_commit`, so they are part of that very commit and never survive a rollback).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import Table, bindparam, event, select
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction
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
    #: Key prefixes of the people whose rows are all in ``rows`` (a key missing there has no row).
    owners: set[str] = field(default_factory=set)
    #: Rows written in this update and not yet sent, and the statement that sends them.
    pending: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    upsert: Executable | None = None

    def __post_init__(self) -> None:
        # Found by the listeners below, registered once: a listener added per session costs
        # more than the statements it saves.
        self.session.sync_session.info[_SCOPE] = self

    def flush(self, session: Session) -> None:
        """Runs inside the commit (in SQLAlchemy's greenlet, so the synchronous call is fine)."""
        if self.pending and self.upsert is not None:
            params = [
                {"key": key, "state": state, "data": data}
                for key, (state, data) in self.pending.items()
            ]
            session.connection().execute(self.upsert, params)
        self.pending.clear()

    async def commit(self) -> None:
        """Commit the update's transaction, if a commit now would reach the database: a transaction
        is open, or dialog rows or ORM objects wait to be sent. An update shows several things in a
        row (a callback answer, an edit, a message) and most find that the previous commit took
        everything; an empty commit still costs the ORM a transaction begun and ended (~17 µs)."""
        session = self.session
        if (
            self.pending
            or session.in_transaction()
            or session.new
            or session.dirty
            or session.deleted
        ):
            await session.commit()

    def detach(self) -> None:
        """The update is over. Without the session's link back to this scope (which links to the
        session) the two would be a reference cycle: the session, and every row and object it
        loaded, would wait for a garbage collection instead of going at once."""
        self.session.sync_session.info.pop(_SCOPE, None)

    def forget(self) -> None:
        self.pending.clear()
        self.rows.clear()
        self.owners.clear()


_SCOPE = "update_scope"


@event.listens_for(Session, "before_commit")
def _send_pending_rows(session: Session) -> None:
    scope: UpdateScope | None = session.info.get(_SCOPE)
    if scope is not None:
        scope.flush(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rows(session: Session, transaction: SessionTransaction) -> None:
    """A rollback takes the unsent writes and what was read with them away (a savepoint's does
    not: what was written before it stands)."""
    scope: UpdateScope | None = session.info.get(_SCOPE)
    if scope is not None and not transaction.nested:
        scope.forget()


#: The scope of the update being handled; set by `DatabaseMiddleware`.
update_scope: ContextVar[UpdateScope | None] = ContextVar("update_scope", default=None)


class SQLStorage(BaseStorage):
    def __init__(self, engine: AsyncEngine, key_builder: KeyBuilder | None = None) -> None:
        self._engine = engine
        self._keys = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        # Built once and run with parameters: building a statement costs more than running it.
        self._select = select(_table.c.state, _table.c.data).where(_table.c.key == bindparam("key"))
        # Keys are "fsm:<bot>:<chat>:<user>:<destiny>", so a person's rows are one index range.
        self._select_owner = select(_table.c.key, _table.c.state, _table.c.data).where(
            _table.c.key >= bindparam("low"), _table.c.key < bindparam("high")
        )
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

    def _owner(self, key: StorageKey) -> str:
        """The prefix every key of this person (bot, chat, user) starts with, whatever its destiny."""
        return self._keys.build(replace(key, destiny=""))

    async def _row(self, key: StorageKey) -> tuple[str | None, str]:
        name = self._keys.build(key)
        scope = update_scope.get()
        if scope is None:
            return await self._read_one(name)
        owner = self._owner(key)
        if name in scope.rows:
            pass
        elif not name.startswith(owner):  # a key builder of another shape: this key alone
            scope.rows[name] = await self._read_one(name)
        elif owner not in scope.owners:
            # ":" is followed by ";": every key that starts with the prefix, through the index.
            bounds = {"low": owner, "high": owner[:-1] + chr(ord(owner[-1]) + 1)}
            for found in await self._execute(self._select_owner, bounds):
                scope.rows.setdefault(found.key, (found.state, found.data))
            scope.owners.add(owner)
        # A key with no row reads as empty, and writing it empty is then skipped as unchanged.
        return scope.rows.setdefault(name, (None, EMPTY))

    async def _read_one(self, name: str) -> tuple[str | None, str]:
        found = (await self._execute(self._select, {"key": name})).one_or_none()
        return (found.state, found.data) if found is not None else (None, EMPTY)

    async def _write(self, key: StorageKey, state: str | None, data: str) -> None:
        name = self._keys.build(key)
        scope = update_scope.get()
        if scope is None:
            await self._execute(self._upsert, {"key": name, "state": state, "data": data})
        elif scope.rows.get(name) != (state, data):
            scope.rows[name] = scope.pending[name] = (state, data)
            scope.upsert = self._upsert

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        _, data = await self._row(key)
        await self._write(key, state.state if isinstance(state, State) else state, data)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self._row(key)
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        state, _ = await self._row(key)
        await self._write(key, state, json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, raw = await self._row(key)
        data: dict[str, Any] = json.loads(raw)
        return data

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""
