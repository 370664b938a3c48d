"""SQLAlchemy's aiosqlite driver, with statements run on the event loop and one writer at a time.

aiosqlite runs SQLite in a thread of its own and every call on it is a trip there and back (a
queue, a wake-up of the thread, a wake-up of the event loop, the GIL handed over twice). A
statement on a local file takes microseconds; the trip costs more than the statement, and an
update makes about seven. So statements, commits and rollbacks run where SQLAlchemy calls them,
on the event loop's thread; aiosqlite still opens and closes connections in its thread.

A commit in WAL mode appends to the log and does not wait for the disk (`synchronous=NORMAL`),
except the one that takes the log past 1 000 pages: SQLite has that connection copy the log into
the database (a checkpoint, two fsyncs). On the loop that would stall every update for as long, so
the bot's connections never checkpoint (`wal_autocheckpoint=0`) and `Checkpoints` runs one in a
worker thread, on a connection of its own, every few hundred commits.

A statement on the loop must never wait for SQLite's file lock: while it slept in SQLite's busy
handler nothing else in the process could run, the writer it waits for included. So the process
takes SQLite's one-writer rule upon itself: a connection's first write waits for `WriteGate`, an
asyncio lock (other updates go on meanwhile), and holds it until its commit or rollback. Readers
never wait (WAL). Another process writing the same file (a migration, an admin's shell) still
meets SQLite's busy timeout, as before.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

log = logging.getLogger(__name__)

#: What one statement leaves behind: description, rows, rowcount, lastrowid.
Outcome = tuple[Any, list[Any], int, int | None]

#: Statements that only read: everything else may start a write transaction.
_READS = ("SELECT", "PRAGMA", "EXPLAIN")


class WriteGate:
    """The process's one SQLite writer at a time, waited for on the event loop."""

    def __init__(self, timeout: float) -> None:
        self._lock = asyncio.Lock()
        self._timeout = timeout

    async def enter(self) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                await self._lock.acquire()
        except TimeoutError:
            # What SQLite itself says when its busy timeout runs out.
            raise sqlite3.OperationalError("database is locked") from None

    def leave(self) -> None:
        self._lock.release()


class Checkpoints:
    """A WAL checkpoint in a worker thread every `every` commits, one at a time.

    PASSIVE: it copies what no reader still needs and never waits for a lock, so it never holds
    up the bot's own readers or its writer."""

    def __init__(self, every: int) -> None:
        self._every = every
        self._commits = 0
        self._connect: tuple[tuple[Any, ...], dict[str, Any]] | None = None
        self._running: asyncio.Future[None] | None = None

    def database(self, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
        """How the bot's connections open the database, for the checkpoint's own."""
        self._connect = (args, kw)

    def committed(self) -> None:
        self._commits += 1
        if self._commits < self._every or self._running is not None or self._connect is None:
            return
        self._commits = 0
        self._running = asyncio.get_running_loop().run_in_executor(None, self._checkpoint)
        self._running.add_done_callback(self._finished)

    def _checkpoint(self) -> None:
        assert self._connect is not None
        args, kw = self._connect
        connection = sqlite3.connect(*args, **kw)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    def _finished(self, done: asyncio.Future[None]) -> None:
        self._running = None
        if not done.cancelled() and done.exception() is not None:
            # The log only grows meanwhile; the next one, or closing the last connection, copies it.
            log.warning("WAL checkpoint failed: %s", done.exception())

    async def wait(self) -> None:
        """Until the running checkpoint, if any, has finished: how a test sees it done."""
        if self._running is not None:
            await asyncio.shield(self._running)


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """The whole life of one cursor."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class InlineCursor(AsyncAdapt_aiosqlite_cursor):
    """A DB-API cursor whose statement has run and whose rows are in memory when `execute`
    returns."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    _adapt_connection: GatedConnection

    def __init__(self, adapt_connection: GatedConnection) -> None:
        # No aiosqlite cursor (opening one is a trip to its thread): `_run` opens its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid or 0

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        """The SQLite cursor is closed already; the rows stay here."""

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._statement(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._statement(operation, seq_of_parameters, many=True)

    def _statement(self, operation: str, parameters: Any, *, many: bool) -> None:
        try:
            # A coroutine, though nothing in it waits unless the gate is taken: SQLAlchemy's
            # async API insists on an await per statement.
            await_(self._inline(operation, parameters, many=many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _inline(self, operation: str, parameters: Any, *, many: bool) -> None:
        adapt = self._adapt_connection
        if not operation.lstrip()[:7].upper().startswith(_READS):
            await adapt.begin_writing()
        outcome = _run(adapt.sqlite, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)


class GatedConnection(AsyncAdapt_aiosqlite_connection):
    """Holds the process's `WriteGate` from its first write until the transaction ends."""

    __slots__ = ("_checkpoints", "_gate", "_writing", "sqlite")

    _cursor_cls = InlineCursor  # type: ignore[assignment]

    def __init__(
        self, dbapi: Any, connection: Any, gate: WriteGate, checkpoints: Checkpoints
    ) -> None:
        super().__init__(dbapi, connection)
        self._gate = gate
        self._checkpoints = checkpoints
        self._writing = False
        self.sqlite: sqlite3.Connection = connection._conn  # aiosqlite's, opened in its thread

    async def begin_writing(self) -> None:
        if not self._writing:
            await self._gate.enter()
            self._writing = True

    def commit(self) -> None:
        try:
            if self._in_transaction():
                self.sqlite.commit()
                self._checkpoints.committed()
        except Exception as error:
            self._handle_exception(error)
        finally:
            self._done_writing()

    def rollback(self) -> None:
        try:
            if self._in_transaction():
                self.sqlite.rollback()
        except Exception as error:
            self._handle_exception(error)
        finally:
            self._done_writing()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._done_writing(closed=True)

    def terminate(self) -> None:
        """An invalidated connection (a cancelled task, a lost one) goes without a rollback."""
        try:
            super().terminate()
        finally:
            self._done_writing(closed=True)

    def _done_writing(self, *, closed: bool = False) -> None:
        """Leave the gate once no transaction is open (a failed commit leaves one, until the
        rollback that follows)."""
        if self._writing and (closed or not self._in_transaction()):
            self._writing = False
            self._gate.leave()

    def _in_transaction(self) -> bool:
        return bool(self._connection._connection) and self.sqlite.in_transaction


class GatedDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """Passed to `create_async_engine(module=...)` for SQLite URLs: one per engine, and so one
    `WriteGate` and one `Checkpoints` per database file the process writes."""

    def __init__(self, write_timeout: float, checkpoint_every: int = 500) -> None:
        super().__init__(aiosqlite, sqlite3)
        self._gate = WriteGate(write_timeout)
        self.checkpoints = Checkpoints(checkpoint_every)

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        # Statements run on the loop's thread, opening and closing in aiosqlite's: never both
        # at once.
        kw["check_same_thread"] = False
        self.checkpoints.database(arg, dict(kw))
        stock = super().connect(*arg, **kw)
        connection = GatedConnection(self, stock._connection, self._gate, self.checkpoints)
        connection.sqlite.execute("PRAGMA wal_autocheckpoint=0")
        return connection
