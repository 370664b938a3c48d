"""Engine and session factory.

SQLite gets WAL (readers never block the writer), a busy timeout (writers queue instead of failing)
and foreign keys on every connection, because SQLite forgets pragmas between connections, and a
driver that runs statements on the event loop with one writer at a time (`bot.db.sqlite_driver`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.sqlite_driver import GatedDBAPI

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    sqlite = url.startswith("sqlite+aiosqlite")
    extra: dict[str, Any] = (
        {"module": GatedDBAPI(write_timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)} if sqlite else {}
    )
    engine = create_async_engine(
        url, echo=echo, pool_pre_ping=not url.startswith("sqlite"), **extra
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
