"""The alembic history must build exactly the schema the models describe (`alembic check`), on
SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.db.engine import create_engine
from bot.db.migrate import ROOT, upgrade
from bot.db.models import Base
from tests.servers import both_databases

T = TypeVar("T")


def _inspect(url: str, look: Callable[[Connection], T]) -> T:
    """Runs `look` on a connection of its own; alembic's env runs (and closes) its own loop too."""

    async def run() -> T:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(look)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


@both_databases
def test_migrations_match_the_models_and_step_back_cleanly(database_url: str) -> None:
    """Synchronous on purpose: alembic's env runs its own event loop."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    head = ScriptDirectory.from_config(config).get_current_head()

    upgrade(database_url)

    assert _inspect(database_url, _revision) == head
    assert _inspect(database_url, _differences) == []

    command.downgrade(config, "0001")
    assert {"answers", "invites"}.isdisjoint(_inspect(database_url, _tables))

    upgrade(database_url)
    assert _inspect(database_url, _differences) == []
