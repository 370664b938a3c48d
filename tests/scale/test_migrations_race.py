"""Replicas start together and each applies migrations: on PostgreSQL they take turns (an
advisory lock in migrations/env.py) instead of creating the same tables twice."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text

from bot.db.engine import create_engine
from testkit.process import ROOT
from testkit.servers import PostgresServer

MIGRATE = "import sys; from bot.db import migrate; migrate.upgrade(sys.argv[1])"


async def _migrate_in_a_process(database_url: str) -> int:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", MIGRATE, database_url, cwd=ROOT
    )
    return await process.wait()


async def test_replicas_migrating_a_fresh_database_at_once_all_succeed(
    postgres_server: PostgresServer,
) -> None:
    database_url = postgres_server.fresh_database()
    codes = await asyncio.gather(*(_migrate_in_a_process(database_url) for _ in range(3)))
    assert codes == [0, 0, 0]
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            versions = (
                await connection.scalars(text("SELECT version_num FROM alembic_version"))
            ).all()
    finally:
        await engine.dispose()
    assert len(versions) == 1
