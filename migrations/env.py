"""Alembic environment: the URL comes from the same settings as the bot (DATABASE_URL)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.config import DatabaseSettings
from bot.db.engine import create_engine
from bot.db.models import Base

target_metadata = Base.metadata


def _url() -> str:
    return context.config.attributes.get("database_url") or DatabaseSettings().database_url


#: Any constant shared by every replica: they all start at once and each applies migrations.
_MIGRATION_LOCK = 0x736D_6272  # "smbr"


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Replicas starting together would both create the same tables; the second waits here
        # (the lock ends with this transaction) and then finds the schema up to date.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(_url())
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
