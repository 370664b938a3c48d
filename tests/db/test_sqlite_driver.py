"""The SQLite driver: one trip to aiosqlite's thread per statement, results as the stock driver's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text

from bot.db.engine import create_engine


async def test_a_statement_is_one_trip_to_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    trips: list[str] = []
    stock = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(fn, "__name__", "?"))
        return await stock(self, fn, *args, **kwargs)

    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
            monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
            inserted = await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
            many = await connection.execute(
                text("INSERT INTO t (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
            )
            rows = (await connection.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
            assert trips == ["_run", "_run", "_run"]
        assert (inserted.rowcount, inserted.lastrowid, many.rowcount) == (1, 1, 2)
        assert [tuple(row) for row in rows] == [(1, "a"), (2, "b"), (3, "c")]
    finally:
        await engine.dispose()
