"""The SQLite driver: statements and commits on the event loop, WAL checkpoints in a worker thread,
one writer at a time waited for on the loop, results as the stock driver's."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.db.engine import create_engine
from bot.db.sqlite_driver import Checkpoints, GatedDBAPI


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield engine
    await engine.dispose()


async def test_statements_and_commits_make_no_trip_to_aiosqlites_thread(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips: list[str] = []
    stock = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(fn, "__name__", "?"))
        return await stock(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    async with engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
        many = await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        rows = (await connection.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
    assert trips == []
    assert (inserted.rowcount, inserted.lastrowid, many.rowcount) == (1, 1, 2)
    assert [tuple(row) for row in rows] == [(1, "a"), (2, "b"), (3, "c")]

    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('d')"))
            await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
    assert trips == []  # nor does a rollback
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == 3


async def test_the_log_is_copied_into_the_database_in_a_worker_thread_every_n_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own checkpoint (at 1 000 pages of log, in the committing connection) would stall
    the loop; the driver's comes every `checkpoint_every` commits, off the loop."""
    dbapi = GatedDBAPI(write_timeout=5, checkpoint_every=40)
    threads: list[int] = []
    stock = Checkpoints._checkpoint

    def checkpoint(self: Checkpoints) -> None:
        threads.append(threading.get_ident())
        stock(self)

    monkeypatch.setattr(Checkpoints, "_checkpoint", checkpoint)
    path = tmp_path / "log.db"
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", module=dbapi)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("PRAGMA journal_mode=WAL"))
            await connection.execute(text("CREATE TABLE big (body BLOB)"))
        empty = path.stat().st_size
        for _ in range(39):  # 39 × 150 KB: past SQLite's 1 000 pages, short of 40 commits
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO big VALUES (zeroblob(150000))"))
        assert path.stat().st_size == empty  # all of it still in the log
        assert threads == []
        async with engine.begin() as connection:  # the 40th commit
            await connection.execute(text("INSERT INTO big VALUES (zeroblob(150000))"))
        await dbapi.checkpoints.wait()
        assert threads and threads[0] != threading.get_ident()
        assert path.stat().st_size > 40 * 150_000  # copied into the database
    finally:
        await engine.dispose()


async def test_a_second_writer_waits_on_the_loop_while_readers_and_others_go_on(
    engine: AsyncEngine,
) -> None:
    events: list[str] = []
    first_wrote = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('first')"))
            first_wrote.set()
            await release_first.wait()  # holds the write transaction across an await
            events.append("first commits")

    async def second() -> None:
        await first_wrote.wait()
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('second')"))
            events.append("second wrote")

    async def reader() -> None:
        await first_wrote.wait()
        async with engine.connect() as connection:
            count = (await connection.execute(text("SELECT count(*) FROM t"))).scalar()
        events.append(f"reader saw {count}")  # the committed state: nothing yet
        release_first.set()

    await asyncio.wait_for(asyncio.gather(first(), second(), reader()), 10)
    assert events == ["reader saw 0", "first commits", "second wrote"]
    async with engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars()
        assert list(names) == ["first", "second"]


async def test_a_failed_write_holds_the_gate_until_its_rollback(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('taken')"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('new')"))
            await connection.execute(text("INSERT INTO t (name) VALUES ('taken')"))
    async with asyncio.timeout(5), engine.begin() as connection:  # the gate was left
        await connection.execute(text("INSERT INTO t (name) VALUES ('after')"))
    async with engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars()
        assert list(names) == ["taken", "after"]  # 'new' went with the rollback


async def test_an_invalidated_writer_leaves_the_gate(engine: AsyncEngine) -> None:
    """SQLAlchemy terminates a connection it gives up on (a task cancelled in the middle of a
    statement) instead of rolling it back: the gate must not go with it."""
    async with engine.connect() as lost:
        await lost.execute(text("INSERT INTO t (name) VALUES ('lost')"))
        await lost.invalidate()
    async with asyncio.timeout(5), engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('next')"))
    async with engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t"))).scalars()
        assert list(names) == ["next"]


async def test_a_writer_that_never_ends_gets_sqlites_own_refusal(tmp_path: Path) -> None:
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'stuck.db'}", module=GatedDBAPI(write_timeout=0.2)
    )
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        async with engine.connect() as stuck:
            await stuck.execute(text("INSERT INTO t DEFAULT VALUES"))
            with pytest.raises(OperationalError, match="database is locked"):
                async with engine.begin() as connection:
                    await connection.execute(text("INSERT INTO t DEFAULT VALUES"))
            await stuck.rollback()
        async with asyncio.timeout(5), engine.begin() as connection:
            await connection.execute(text("INSERT INTO t DEFAULT VALUES"))
    finally:
        await engine.dispose()
